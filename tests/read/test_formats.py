"""The same report in other text forms gives the same tables (provenance aside)."""

from pathlib import Path

import pandas as pd
import pytest
from conftest import NAKANO, SEED

from pipeline.read import read_document
from pipeline.tidy.frames import document_to_frames

PROVENANCE = ["source_page", "source_line", "source_bbox", "source_file", "source_ref"]


def tables_of(path: Path) -> dict[str, pd.DataFrame]:
    frames, _, _ = document_to_frames(read_document(path), "nakano_fy2023", profile=NAKANO)
    return {name: frame.drop(columns=[c for c in PROVENANCE if c in frame.columns])
            for name, frame in frames.items()}


def to_markdown(text: str) -> str:
    """Tab rows → pipe rows, with a separator under each table's first row."""
    lines, in_table = [], False
    for line in text.splitlines():
        if "\t" in line:
            cells = [cell.replace("|", "\\|") for cell in line.split("\t")]
            lines.append("| " + " | ".join(cells) + " |")
            if not in_table:
                lines.append("|" + "---|" * len(cells))
            in_table = True
        else:
            lines.append(line)
            in_table = False
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def seed_tables() -> dict[str, pd.DataFrame]:
    return tables_of(SEED)


def with_lookalikes(text: str) -> str:
    """Marks and years as other producers print them: 〇 ◯ for ○, full-width and spaced digits."""
    rows = text.split("\t○\t")
    marks = ["\t〇\t", "\t◯\t", "\t○\t"]
    text = rows[0] + "".join(marks[i % 3] + row for i, row in enumerate(rows[1:]))
    return (text.replace("○ 予定どおり", "〇 予定どおり")
                .replace("取組結果 (令和5年度)", "取組結果 (令和５年度)")
                .replace("令和6年度取組予定", "令和 6 年度取組予定")
                .replace("令和7年度以降取組予定", "R7年度以降取組予定"))


def without_repeated_headers(text: str) -> str:
    """Attachment pages as printed when Excel's print titles are not set: one header only."""
    lines = text.split("\n")
    headers = [i for i, line in enumerate(lines) if line.startswith("実施内容\t")]
    return "\n".join(line for i, line in enumerate(lines) if i not in headers[1:])


@pytest.mark.parametrize("variant", ["markdown", "cp932", "utf8_bom", "crlf", "lookalikes",
                                     "one_header"])
def test_variants_give_the_seed_tables(tmp_path, seed_tables, variant):
    text = SEED.read_text(encoding="utf-8")
    expected = seed_tables
    if variant == "markdown":
        path = tmp_path / "nakano.md"
        path.write_text(to_markdown(text), encoding="utf-8")
    elif variant == "cp932":
        # Shift_JIS has no U+2014 EM DASH; its dash is U+2015, which is printed as-is.
        path = tmp_path / "nakano.txt"
        path.write_bytes(text.replace("—", "―").encode("cp932"))
        expected = dict(seed_tables, indicators=seed_tables["indicators"].replace({"raw": {"—": "―"}}))
    elif variant == "utf8_bom":
        path = tmp_path / "nakano.txt"
        path.write_bytes(text.encode("utf-8-sig"))
    elif variant == "crlf":
        path = tmp_path / "nakano.txt"
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    elif variant == "lookalikes":
        path = tmp_path / "nakano.txt"
        path.write_text(with_lookalikes(text), encoding="utf-8")
    else:
        path = tmp_path / "nakano.txt"
        path.write_text(without_repeated_headers(text), encoding="utf-8")
    produced = tables_of(path)
    for name, frame in expected.items():
        pd.testing.assert_frame_equal(produced[name], frame, obj=name)
