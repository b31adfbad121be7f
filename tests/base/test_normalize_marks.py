import re

import pytest

from conftest import NAKANO
from pipeline.normalize.marks import (
    MARK_ORDER,
    STATUS_BY_MARK,
    STATUS_ORDER,
    is_status_mark,
    normalize_mark,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("○", "○"),
        ("○ ", "○"),
        ("\u3000○\u3000", "○"),
        ("〇", "○"),  # U+3007 ideographic zero
        ("◯", "○"),  # U+25EF large circle
        ("⚪", "○"),
        ("◎", "◎"),
        ("⊚", "◎"),
        ("△", "△"),
        ("▵", "△"),
        ("×", "×"),
        ("✕", "×"),
        ("✖", "×"),
        ("╳", "×"),
        ("", None),
        ("  ", None),
        (None, None),
    ],
)
def test_normalize_mark(raw, expected):
    assert normalize_mark(raw, NAKANO.grade_by_form) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "▲",  # a different mark ("decrease"), not △
        "x",  # Latin letters are ambiguous
        "X",
        "Ｘ",
        "o",
        "済",
        "○(完了)",
        "○○",
        "-",
    ],
)
def test_normalize_mark_rejects_other_text(raw):
    with pytest.raises(ValueError, match=re.escape(f"not a status mark: {raw!r}")):
        normalize_mark(raw, NAKANO.grade_by_form)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("○", True), ("〇", True), ("× ", True), ("◎", True), ("▲", False), ("", False),
     (None, False), ("予定どおり取り組んだ", False)],
)
def test_is_status_mark(raw, expected):
    assert is_status_mark(raw, NAKANO.grade_by_form) is expected


def test_mark_order_and_status_order_agree():
    assert [STATUS_BY_MARK[mark] for mark in MARK_ORDER] == list(STATUS_ORDER)
    assert STATUS_ORDER == ("not_started", "delayed", "on_schedule", "exceeded")


@pytest.mark.parametrize(
    ("legend_line", "status"),
    [
        ("◎ 目標を大きく上回る、スケジュールを前倒しするなど、予定を上回る取組となった", "exceeded"),
        ("○ 予定どおり取り組んだ", "on_schedule"),
        ("△ 予定よりも遅れて取り組んだ", "delayed"),
        ("× 未着手", "not_started"),
    ],
)
def test_status_of_each_legend_mark(legend_line, status):
    assert STATUS_BY_MARK[normalize_mark(legend_line.split()[0], NAKANO.grade_by_form)] == status
