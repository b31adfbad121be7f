import re

import pytest

from pipeline.normalize.numbers import Quantity, parse_quantity, strip_note_refs


# (printed cell, (value, unit, approx, denominator, note_refs))
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("約 179 万件", (1790000.0, "件", True, None, ())),
        ("約 200 万件", (2000000.0, "件", True, None, ())),
        ("170 万件", (1700000.0, "件", False, None, ())),
        ("約 6 万件", (60000.0, "件", True, None, ())),
        ("62.3%", (62.3, "%", False, None, ())),
        ("68.3% ※1", (68.3, "%", False, None, ("※1",))),
        ("100%", (100.0, "%", False, None, ())),
        ("3.2%", (3.2, "%", False, None, ())),
        ("0/15", (0.0, None, False, 15.0, ())),
        ("1/15", (1.0, None, False, 15.0, ())),
        ("15/15", (15.0, None, False, 15.0, ())),
        ("約 5,900fm", (5900.0, "fm", True, None, ())),
        ("約 3,000fm", (3000.0, "fm", True, None, ())),
        ("3 団体", (3.0, "団体", False, None, ())),
        ("22名", (22.0, "名", False, None, ())),
        ("7件", (7.0, "件", False, None, ())),
        ("0件", (0.0, "件", False, None, ())),
        ("44,025件", (44025.0, "件", False, None, ())),
        ("約1万枚", (10000.0, "枚", True, None, ())),
        ("６２．３％", (62.3, "%", False, None, ())),
        ("約　５，９００ｆｍ", (5900.0, "fm", True, None, ())),
        ("1.5億円", (150000000.0, "円", False, None, ())),
        ("5千人", (5000.0, "人", False, None, ())),
        ("3団体程度", (3.0, "団体", True, None, ())),
        ("170 万", (1700000.0, None, False, None, ())),
        # A dash is a missing figure, never zero.
        ("—", (None, None, False, None, ())),
        ("-", (None, None, False, None, ())),
        ("－", (None, None, False, None, ())),
        ("―", (None, None, False, None, ())),
        ("", (None, None, False, None, ())),
        ("— ※2", (None, None, False, None, ("※2",))),
    ],
)
def test_parse_quantity(raw, expected):
    assert parse_quantity(raw) == Quantity(*expected)


@pytest.mark.parametrize(
    "raw",
    ["令和5年度", "約", "未定", "3 団体 5 件", "1,00件", "62.3.1%", "x"],
)
def test_parse_quantity_rejects_text(raw):
    with pytest.raises(ValueError, match=re.escape(f"cannot read a number from {raw!r}")):
        parse_quantity(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "本庁舎の執務室等で保有し、組織で共有している文書量 (fm) ※2",
            ("本庁舎の執務室等で保有し、組織で共有している文書量 (fm)", ("※2",)),
        ),
        (
            "ICT資格の「ITパスポート試験」取得者数 ※3",
            ("ICT資格の「ITパスポート試験」取得者数", ("※3",)),
        ),
        ("68.3% ※1", ("68.3%", ("※1",))),
        ("68.3%※ 1", ("68.3%", ("※1",))),
        ("68.3% ※１", ("68.3%", ("※1",))),
        ("68.3% ＊1", ("68.3%", ("*1",))),
        ("取得者数 ※1、※2", ("取得者数", ("※1", "※2"))),
        ("取得者数 ※1※3", ("取得者数", ("※1", "※3"))),
        ("区内のマイナンバーカード交付率", ("区内のマイナンバーカード交付率", ())),
        # A ※ that opens a note, not one that points to it, is left in place.
        ("成果指標の推移 ※令和5年度末時点", ("成果指標の推移 ※令和5年度末時点", ())),
    ],
)
def test_strip_note_refs(raw, expected):
    assert strip_note_refs(raw) == expected
