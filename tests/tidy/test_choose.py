"""Choosing a profile by the tables its words claim (pipeline/tidy/choose.py): among every
shipped and test profile, each fixture's own is chosen — a report with no attachment (the
群馬-like and 愛知-like ones) too — with the sentence saying why; two that claim as many
tables are refused by name, and a report none fits names every profile and why."""

from pathlib import Path

import pytest

from conftest import TESTS
from pipeline.errors import LayoutError
from pipeline.profiles import builtin_profile, load_profile, parse_profile
from pipeline.read import read_document
from pipeline.tidy.choose import choose_fit, profile_fit

FIXTURES = TESTS / "fixtures"
TEST_PROFILES = ("gunma_like", "aichi_like", "kakuu_city", "trial_minamiyama", "tottori_like",
                 "kawasaki_like")
CANDIDATES = (builtin_profile(),) + tuple(load_profile(TESTS / "profiles" / f"{name}.toml")
                                          for name in TEST_PROFILES)


@pytest.mark.parametrize("rendering", ["txt", "xlsx"])
@pytest.mark.parametrize(("report", "chosen"), [
    ("aichi_like_fy2023", "aichi_like"), ("aichi_like_fy2024", "aichi_like"),
    ("gunma_like_fy2019", "gunma_like"), ("gunma_like_fy2020", "gunma_like"),
    ("kawasaki_like_fy2023", "kawasaki_like"), ("tottori_like_fy2022", "tottori_like"),
    ("trial_minamiyama_town_fy2024", "trial_minamiyama"),
])
def test_each_report_chooses_its_own_profile_among_all_of_them(report, chosen, rendering):
    document = read_document(FIXTURES / f"{report}.{rendering}")
    for candidates in (CANDIDATES, tuple(reversed(CANDIDATES))):
        assert choose_fit(document, candidates)[0].profile.name == chosen


@pytest.mark.parametrize(("report", "chosen"), [("nakano_fy2023", "nakano"),
                                                ("kakuu_city_fy2024", "kakuu_city")])
def test_a_list_report_chooses_its_list_profile(report, chosen):
    assert choose_fit(read_document(FIXTURES / f"{report}.txt"), CANDIDATES)[0].profile.name == chosen


@pytest.mark.parametrize(("report", "why"), [
    ("aichi_like_fy2023", "aichi_like: its words claim every table of the report (indicators (3), "
                          "legend, status counts)"),
    ("gunma_like_fy2019", "gunma_like: its words claim every table of the report (indicators (3), "
                          "legend, skipped)"),
    ("nakano_fy2023", "nakano: its words claim every table of the report (attachment (16), "
                      "indicators (2), status counts)"),
])
def test_the_choice_says_why(report, why):
    assert choose_fit(read_document(FIXTURES / f"{report}.txt"), CANDIDATES)[1] == why


def test_a_profile_that_claims_more_tables_is_chosen_and_the_other_named():
    """A copy of the 群馬-like profile without its legend table passes the legend over
    (skip): it fits, but claims one table fewer of its own."""
    text = (TESTS / "profiles" / "gunma_like.toml").read_text(encoding="utf-8").replace(
        'name = "gunma_like"', 'name = "gunma_skipping"')
    start, end = text.index("[tables.legend]"), text.index("[[tables.skip]]")
    skipping = parse_profile(text[:start] + text[end:].replace(
        '[[tables.skip]]', '[[tables.skip]]\nidentify = ["評価の表示方法"]\nwhy = "凡例"\n\n'
        '[[tables.skip]]', 1), "s")
    document = read_document(FIXTURES / "gunma_like_fy2019.txt")
    fit, why = choose_fit(document, (skipping, CANDIDATES[1]))
    assert (fit.profile.name, why) == ("gunma_like", (
        "gunma_like: its words claim every table of the report (indicators (3), legend, "
        "skipped); fitting too, with fewer tables of their own: gunma_skipping (indicators (3), "
        "skipped (2))"))


def test_two_profiles_that_claim_as_many_tables_are_refused_by_name():
    text = (TESTS / "profiles" / "aichi_like.toml").read_text(encoding="utf-8")
    twin = parse_profile(text.replace('name = "aichi_like"', 'name = "aichi_twin"'), "twin")
    with pytest.raises(LayoutError) as refused:
        choose_fit(read_document(FIXTURES / "aichi_like_fy2023.txt"), (CANDIDATES[2], twin))
    assert str(refused.value) == (
        "aichi_like_fy2023.txt: several profiles fit equally (aichi_like, aichi_twin: each "
        "claims 5 table(s), indicators (3), legend, status counts); choose one with --profile.")


def test_a_report_no_profile_fits_names_each_and_why():
    with pytest.raises(LayoutError) as refused:
        choose_fit(read_document(FIXTURES / "aichi_like_fy2023.txt"), CANDIDATES[:2])
    assert str(refused.value) == (
        "aichi_like_fy2023.txt: no layout profile fits; is this a progress report? Tried nakano "
        "(no attachment header naming 事業内容/事業名/取組内容 and 進捗状況/進捗/進捗度); "
        "gunma_like (line 7, a table starting '評価' is none of the report's tables). For "
        "another layout, write a profile and pass it with --profile (see `pipeline profile "
        "show`).")


def test_a_table_no_kind_claims_is_why_a_profile_does_not_fit(tmp_path: Path):
    report = tmp_path / "r.txt"
    text = (FIXTURES / "aichi_like_fy2023.txt").read_text(encoding="utf-8")
    report.write_text(text + "\n氏名\t住所\n山田\t中野\n", encoding="utf-8")
    fit = profile_fit(read_document(report), CANDIDATES[2])
    assert fit.problem == "line 49, a table starting '氏名' is none of the report's tables"
