import unicodedata

import pytest

from conftest import NAKANO
from pipeline.normalize._radicals import SUPPLEMENT_TO_IDEOGRAPH
from pipeline.normalize.text import (
    clean_text,
    fold_chars,
    is_dash,
    join_wrapped,
    repair_text,
    split_departments,
    unspace_letters,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # CJK Radicals Supplement: NFKC leaves these alone, the explicit table folds them.
        ("⻑", "長"),
        ("⻄", "西"),
        ("⻘", "青"),
        ("⻝", "食"),
        ("⺠", "民"),
        ("⻆", "角"),
        ("⺟", "母"),
        # Kangxi Radicals: NFKC folds them.
        ("⾏", "行"),
        ("⽇", "日"),
        ("区⺠の利便性向上", "区民の利便性向上"),
        ("⾏政サービスの提供による区⺠の利便性向上", "行政サービスの提供による区民の利便性向上"),
        ("中⻑期的な取組", "中長期的な取組"),
        # Full-width digits, letters, parentheses and colons become ASCII.
        ("令和５年度", "令和5年度"),
        ("（推進）", "(推進)"),
        ("Ｆｒｅｅ Ｗｉ－Ｆｉ", "Free Wi-Fi"),
        ("fm (ファイルメーター)：書類", "fm (ファイルメーター):書類"),
        ("１-１-①", "1-1-①"),
        # Half-width katakana compose with their voicing marks.
        ("ｶﾞﾊﾞﾒﾝﾄｸﾗｳﾄﾞ", "ガバメントクラウド"),
        # The ideographic space becomes a plain space.
        ("デジタル政策課\u3000職員課", "デジタル政策課 職員課"),
        # Protected: circled measure numbers, status marks and look-alikes, ※ ☆ ★.
        ("1-1-③", "1-1-③"),
        ("2-5-⑳", "2-5-⑳"),
        ("3-1-㉑", "3-1-㉑"),
        ("4-2-㊿", "4-2-㊿"),
        ("○ 予定どおり取り組んだ", "○ 予定どおり取り組んだ"),
        ("◎・・・目標を大きく上回る", "◎・・・目標を大きく上回る"),
        ("× 未着手", "× 未着手"),
        ("〇", "〇"),
        ("◯", "◯"),
        ("✕", "✕"),
        ("✖", "✖"),
        ("68.3% ※1", "68.3% ※1"),
        ("☆セルフサービス端末の活用", "☆セルフサービス端末の活用"),
        ("★", "★"),
        # Format characters (Cf) print nothing and are dropped: they hid header words and
        # (国) tags from matching.
        ("令和6年度の\u200b取組予定", "令和6年度の取組予定"),
        ("(\u00ad国)電子処方箋", "(国)電子処方箋"),
        ("\ufeff所管課", "所管課"),
        ("取組\u2060結果", "取組結果"),
        ("\u200e\u202bペーパーレス\u202c\u200f", "ペーパーレス"),
        ("施設\U000e0041予約", "施設予約"),
        # Control characters (Cc) are dropped, those that space words become a space, and
        # tab and line breaks stay for the wraps and cells they mark.
        ("区\x01民\x07の\x1b利\x7f便\x9f性", "区民の利便性"),
        ("電子申請\x0bサービス\x0c共同運営", "電子申請 サービス 共同運営"),
        ("推進\u2028拡充\x85運用", "推進\n拡充\n運用"),
        ("推進\t拡充\r\n運用", "推進\t拡充\r\n運用"),
        # Variation selectors (Mn) choose a glyph of an ideograph: kept as printed.
        ("葛\U000e0100飾区", "葛\U000e0100飾区"),
    ],
)
def test_repair_text(raw, expected):
    assert repair_text(raw) == expected


@pytest.mark.parametrize("char", ["①", "⑳", "㉑", "㉟", "㊱", "㊿"])
def test_circled_numbers_need_protecting_from_nfkc(char):
    assert unicodedata.normalize("NFKC", char).isdigit()
    assert repair_text(char) == char


def test_every_kangxi_radical_repairs_to_one_ideograph():
    for code in range(0x2F00, 0x2FD6):
        repaired = repair_text(chr(code))
        assert len(repaired) == 1, hex(code)
        assert unicodedata.name(repaired).startswith("CJK UNIFIED IDEOGRAPH"), hex(code)


def test_supplement_table_maps_the_block_to_ideographs():
    for radical, ideograph in SUPPLEMENT_TO_IDEOGRAPH.items():
        assert 0x2E80 <= ord(radical) <= 0x2EF3, hex(ord(radical))
        assert unicodedata.name(ideograph).startswith("CJK UNIFIED IDEOGRAPH"), radical
        assert repair_text(radical) == ideograph


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("令和６年３⽉ ①", "令和6年3月 ①"),
        ("⻑期 ㈱", "長期 ㈱"),  # ㈱ would expand to 3 characters, so it stays
        ("R６.５", "R6.5"),
    ],
)
def test_fold_chars_keeps_length(raw, expected):
    assert fold_chars(raw) == expected
    assert len(fold_chars(raw)) == len(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("令 和 5 年 度", "令和5年度"),
        ("進 捗 状 況", "進捗状況"),
        ("進 捗 状 況 の 区 分", "進捗状況の区分"),
        ("取 組 結 果  令 和 5 年 度", "取組結果  令和5年度"),
        ("18業務システム 国のスケジュール", "18業務システム 国のスケジュール"),
        ("Free Wi-Fi", "Free Wi-Fi"),
        ("約 179 万件", "約 179 万件"),
        ("令和 5 年度", "令和 5 年度"),
        ("第 2 次中野区", "第 2 次中野区"),
        ("A B C", "A B C"),  # no Japanese: may be initials or a list
        ("○ ○ △", "○ ○ △"),
    ],
)
def test_unspace_letters(raw, expected):
    assert unspace_letters(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "ホームページ運用保守を行う。 (適宜、リビジョンアッ\nプ)",
            "ホームページ運用保守を行う。 (適宜、リビジョンアップ)",
        ),
        ("文化振興・多文化共生推\n進課", "文化振興・多文化共生推進課"),
        ("新庁舎における区民向けオンライン環境(Free\nWi-Fi)の整備", "新庁舎における区民向けオンライン環境(Free Wi-Fi)の整備"),
        ("収納業務におけるAI-\nOCRの活用", "収納業務におけるAI-OCRの活用"),
        ("Google\n広告に加え", "Google広告に加え"),
        ("ガバメントクラウド早期移行団体\r\n  検証事業", "ガバメントクラウド早期移行団体検証事業"),
        # a wrap on a printed space keeps it (the PDF reader keeps blank characters)
        ("ホームページ運用保守を行う。 \n(適宜、リビジョンアップ)", "ホームページ運用保守を行う。 (適宜、リビジョンアップ)"),
        ("統合仮想サーバ環境の最適化 \n(ガバメントクラウドを見据えた方針の決定)",
         "統合仮想サーバ環境の最適化 (ガバメントクラウドを見据えた方針の決定)"),
        ("4pay\n\nによる", "4payによる"),
        ("改行なし", "改行なし"),
    ],
)
def test_join_wrapped(raw, expected):
    assert join_wrapped(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("令和 5 年度", "令和5年度"),
        ("令 和 5 年 度", "令和5年度"),
        ("令和５年度", "令和5年度"),
        ("第 2 次中野区地域情報化推進計画改定版", "第2次中野区地域情報化推進計画改定版"),
        ("約 179 万件", "約179万件"),
        (
            "区では、令和 6 年 3 月に策定した「第 2 次中野区地域情報化推進計画改定版」",
            "区では、令和6年3月に策定した「第2次中野区地域情報化推進計画改定版」",
        ),
        (
            "国が指定し、該当する18業務システム 国のスケジュールに合わせて、段階的に移行",
            "国が指定し、該当する18業務システム 国のスケジュールに合わせて、段階的に移行",
        ),
        (
            "ホームページ運用保守を行う。 (適宜、リビジョンアッ\nプ)",
            "ホームページ運用保守を行う。 (適宜、リビジョンアップ)",
        ),
        ("区⺠のモバイル機器に関する実態把握", "区民のモバイル機器に関する実態把握"),
        ("  TDPFが稼働を開始した。\t\t", "TDPFが稼働を開始した。"),
        ("引き続き  協定を維持した。", "引き続き 協定を維持した。"),
        ("1-1-① マイナンバーカードの普及促進", "1-1-① マイナンバーカードの普及促進"),
        ("ー", "ー"),  # the katakana long vowel is text, not a dash
        (None, None),
        ("", None),
        ("   ", None),
        ("\u3000", None),
        ("—", None),
        ("-", None),
        ("－", None),
        ("―", None),
        ("‐", None),
        ("–", None),
        (" — ", None),
    ],
)
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("—", True),
        ("-", True),
        ("－", True),
        ("―", True),
        ("‐", True),
        ("–", True),
        (" — ", True),
        ("――", True),
        ("ー", False),
        ("", False),
        ("0件", False),
        ("-5", False),
        ("(推進)", False),
    ],
)
def test_is_dash(raw, expected):
    assert is_dash(raw) is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("デジタル政策課 子育て支援課 介護保険課", ["デジタル政策課", "子育て支援課", "介護保険課"]),
        (
            "企画課 区民サービス課 子ども・若者相談課 地域支えあい推進部 環境課",
            ["企画課", "区民サービス課", "子ども・若者相談課", "地域支えあい推進部", "環境課"],
        ),
        ("地域活動推進課 施設所管課", ["地域活動推進課", "施設所管課"]),
        ("選挙管理委員会事務局", ["選挙管理委員会事務局"]),
        ("区議会事務局", ["区議会事務局"]),
        ("文化振興・多文化共生推進課", ["文化振興・多文化共生推進課"]),
        ("文化振興・多文化共生推\n進課", ["文化振興・多文化共生推進課"]),
        ("デジタル政策課\u3000職員課", ["デジタル政策課", "職員課"]),
        ("デジタル政策課\n広聴・広報課", ["デジタル政策課", "広聴・広報課"]),
        ("保健企画課 選挙管理委員会\n事務局", ["保健企画課", "選挙管理委員会事務局"]),
        ("デジタル政策課、職員課", ["デジタル政策課", "職員課"]),
        ("地域包括ケア推進課", ["地域包括ケア推進課"]),
        ("区⺠サービス課 戸籍住⺠課", ["区民サービス課", "戸籍住民課"]),
        # Wrapped after a suffix (所): only the profile's vocabulary can tell.
        ("新区役所\n整備課", ["新区役所整備課"]),
        ("新区役所\n整備課 戸籍住民課", ["新区役所整備課", "戸籍住民課"]),
        ("デジタル政策課，職員課", ["デジタル政策課", "職員課"]),
        ("デジタル政策課、 職員課", ["デジタル政策課", "職員課"]),
        ("", []),
        (None, []),
    ],
)
def test_split_departments(raw, expected):
    # The stages see repaired text: the document is repaired once, after reading.
    assert split_departments(repair_text(raw) if raw else raw, profile=NAKANO) == expected


def test_repair_text_leaves_no_format_or_control_character():
    every = "".join(chr(code) for code in range(0x110000)
                    if unicodedata.category(chr(code)) in ("Cf", "Cc"))
    # \x85 (next line) becomes a line break; the spacing controls one space each.
    assert repair_text(f"区{every}民") == "区\t\n  \r    \n民"
