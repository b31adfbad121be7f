"""再掲 resolution on records shaped like the seed's."""

from conftest import NAKANO
from pipeline.tidy.relisted import resolve_relisted
from schemas.records import ItemRecord


def item(row_no, measure_id, business, relisted_from=None, **values):
    goal_no, policy_no, _ = measure_id.split("-")
    record = {"report_id": "r", "fiscal_year": 2023, "row_no": row_no, "measure_id": measure_id, "measure_id_raw": measure_id,
              "goal_no": int(goal_no), "policy_no": int(policy_no), "measure_no": 1,
              "measure_name": "施策", "business": business, "business_raw": business,
              "gov_level": "ward", "starred": False,
              "is_relisted": relisted_from is not None, "relisted_from": relisted_from,
              "relisted_row_no": None, "extra": None, "source_page": None, "source_line": row_no,
              "source_bbox": None, "source_file": "r.txt", "source_ref": None, "status_mark": None, "grade_rank": None, "status": None, "change_reason": None,
              "result": None, "plan_next": None, "plan_next_tag": None, "plan_next_fy": 2024, "plan_next_fy_inferred": False,
              "plan_later": None, "plan_later_tag": None, "plan_later_from_fy": 2025,
              "departments": None}
    return ItemRecord(**(record | values))


ORIGINAL = item(85, "2-2-⑤", "共通化(クラウドサービス)「ガバメントクラウド」の提供", status_mark="○",
                grade_rank=2, status="on_schedule", result="ガバメントクラウド早期移行団体検証事業を開始した。",
                plan_next="(継続)", plan_next_tag="継続", plan_later="(継続)", plan_later_tag="継続",
                departments="デジタル政策課")


def test_a_relisted_row_takes_the_originals_values():
    relisted = item(92, "2-3-①", "共通化 (クラウドサービス) 「ガバメントクラウド」の提供", "2-2-⑤")
    (_, resolved), failures = resolve_relisted([ORIGINAL, relisted], "r.txt", profile=NAKANO)
    assert failures == []
    assert resolved.relisted_row_no == 85
    assert {k: getattr(resolved, k) for k in ("status_mark", "result", "plan_next_tag", "departments")} == {
        "status_mark": "○", "result": "ガバメントクラウド早期移行団体検証事業を開始した。",
        "plan_next_tag": "継続", "departments": "デジタル政策課"}
    assert resolved.measure_id == "2-3-①"  # it stays where it was printed


def test_a_relisted_row_of_another_measure_is_left_unresolved():
    relisted = item(92, "2-3-①", ORIGINAL.business, "1-1-③")
    (_, resolved), failures = resolve_relisted([ORIGINAL, relisted], "r.txt", profile=NAKANO)
    assert resolved.relisted_row_no is None and resolved.status_mark is None
    assert failures == []  # reported by schemas.checks.relisted_resolved, with the row


def test_a_printed_value_that_contradicts_the_original_is_a_failure():
    relisted = item(92, "2-3-①", ORIGINAL.business, "2-2-⑤", status_mark="△")
    _, failures = resolve_relisted([ORIGINAL, relisted], "r.txt", profile=NAKANO)
    assert [f.describe() for f in failures] == [
        "r.txt, table items, line 92, row 92, column status_mark: the re-listed row says '△' but "
        "row 85 it repeats says '○' (value '△')"]
