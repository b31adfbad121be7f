"""Office damage is input damage: a damaged part of a .xlsx or .docx ends as one sentence
naming the file and the part, exit 1 and no traceback, never as "this is a bug"; the
DOCTYPE guard parses the prolog in any encoding and at any length; a number no float
holds is refused, never stored as inf."""

from __future__ import annotations

import random
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import officegen
import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.read.docx import docx_to_document
from pipeline.read.ooxml import check_office_file
from pipeline.read.xlsx import xlsx_to_document
from conftest import TESTS

PARTS = TESTS / "fixtures" / "nakano_fy2023_parts"
MEMO = PARTS / "nakano_fy2023_memo.docx"  # written by Word
KIND = "Excel workbook (.xlsx)"


@pytest.fixture(scope="module")
def besshi(tmp_path_factory) -> Path:
    """The 別紙 as Excel writes it: one sheet, its strings in a shared-strings part."""
    folder = tmp_path_factory.mktemp("besshi")
    inline = officegen.build_besshi_xlsx(folder / "inline.xlsx")
    return officegen.with_shared_strings(inline, folder / "besshi.xlsx")


def rezip(source: Path, target: Path, part: str, change: Callable[[bytes], bytes | None],
          stored: bool = False) -> Path:
    """``source`` with ``part`` replaced by ``change(part)``, or left out where that is None."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        assert part in old.namelist()
        for member in old.infolist():
            data = old.read(member)
            if member.filename == part:
                data = change(data)
                if data is None:
                    continue
            method = zipfile.ZIP_STORED if stored and member.filename == part else zipfile.ZIP_DEFLATED
            new.writestr(member.filename, data, compress_type=method)
    return target


def truncated(data: bytes) -> bytes:
    return data[:len(data) // 2]


def flipped(data: bytes) -> bytes:
    middle = len(data) // 2  # every byte XOR 0xFF is a control byte or breaks UTF-8
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]


def without_first_closing_tag(data: bytes) -> bytes:
    return re.sub(rb"</[^>]+>", b"", data, count=1)


def shared_string_9999(data: bytes) -> bytes:
    changed, count = re.subn(rb'(<c [^>]*t="s"[^>]*><v>)\d+(</v>)', rb"\g<1>9999\g<2>", data, count=1)
    assert count == 1
    return changed


def with_bad_crc(source: Path, target: Path, part: str) -> Path:
    """The part stored uncompressed, then one of its bytes changed in the archive: the
    central directory's CRC-32 no longer matches."""
    rezip(source, target, part, lambda data: data, stored=True)
    with zipfile.ZipFile(target) as archive:
        original = archive.read(part)
    raw = target.read_bytes()
    # a byte well inside the part's data, which is stored as is
    at = raw.index(original) + len(original) // 2
    target.write_bytes(raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1:])
    return target


def run_cli(path: Path, out: Path):
    return CliRunner().invoke(main, ["run", str(path), "--out", str(out)])


def damaged(name: str, part: str, line: int) -> str:
    return f"{name}: the part {part} is damaged (not well-formed XML at line {line}); it was not read."


def missing(name: str, part: str, named_in: str) -> str:
    return (f"{name}: the part {part} is missing ({named_in} names it), and the file cannot "
            "be read without it.")


def empty(name: str, part: str) -> str:
    return f"{name}: the part {part} is empty; it was not read."


def bad_crc(name: str, part: str) -> str:
    return f"{name}: the part {part} is damaged (its checksum does not match its content); it was not read."


SHEET, STRINGS, STYLES = "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml"
WORKBOOK, WORKBOOK_RELS, TYPES = "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml"
DOCUMENT, DOCUMENT_RELS, WORD_STYLES = "word/document.xml", "word/_rels/document.xml.rels", "word/styles.xml"
X, D = "besshi.xlsx", "memo.docx"

# (file, part, mutation, message)
MUTATIONS = [
    (X, SHEET, truncated, damaged(X, SHEET, 1)),
    (X, SHEET, flipped, damaged(X, SHEET, 1)),
    (X, SHEET, without_first_closing_tag, damaged(X, SHEET, 1)),
    (X, SHEET, shared_string_9999,
     f"{X}: the part {SHEET} is damaged (a cell refers to a shared string or a style the "
     "workbook does not hold); it was not read."),
    (X, SHEET, None, missing(X, SHEET, WORKBOOK_RELS)),
    (X, SHEET, "crc", bad_crc(X, SHEET)),
    (X, SHEET, b"", empty(X, SHEET)),
    (X, STRINGS, truncated, damaged(X, STRINGS, 14)),
    (X, STRINGS, flipped, damaged(X, STRINGS, 14)),
    (X, STRINGS, without_first_closing_tag, damaged(X, STRINGS, 1)),
    (X, STRINGS, None, missing(X, STRINGS, WORKBOOK_RELS)),
    (X, STRINGS, "crc", bad_crc(X, STRINGS)),
    (X, STYLES, truncated, damaged(X, STYLES, 1)),
    (X, STYLES, None, missing(X, STYLES, WORKBOOK_RELS)),
    (X, STYLES, b"", empty(X, STYLES)),
    (X, WORKBOOK, flipped, damaged(X, WORKBOOK, 1)),
    (X, WORKBOOK, None, missing(X, WORKBOOK, "_rels/.rels")),
    (X, WORKBOOK_RELS, without_first_closing_tag, damaged(X, WORKBOOK_RELS, 1)),
    (X, TYPES, truncated, damaged(X, TYPES, 1)),
    (X, TYPES, None, f"{X}: the part {TYPES} is missing, and the file cannot be read without it."),
    (D, DOCUMENT, truncated, damaged(D, DOCUMENT, 2)),
    (D, DOCUMENT, flipped, damaged(D, DOCUMENT, 2)),
    (D, DOCUMENT, without_first_closing_tag, damaged(D, DOCUMENT, 2)),
    (D, DOCUMENT, None, missing(D, DOCUMENT, "_rels/.rels")),
    (D, DOCUMENT, "crc", bad_crc(D, DOCUMENT)),
    (D, DOCUMENT, b"", empty(D, DOCUMENT)),
    (D, WORD_STYLES, truncated, damaged(D, WORD_STYLES, 2)),
    (D, WORD_STYLES, None, missing(D, WORD_STYLES, DOCUMENT_RELS)),
    (D, WORD_STYLES, "crc", bad_crc(D, WORD_STYLES)),
    (D, DOCUMENT_RELS, flipped, damaged(D, DOCUMENT_RELS, 2)),
    (D, "_rels/.rels", b"", empty(D, "_rels/.rels")),
    (D, TYPES, without_first_closing_tag, damaged(D, TYPES, 2)),
]


def _mutated(source: Path, folder: Path, name: str, part: str, mutation: object) -> Path:
    target = folder / name
    if mutation == "crc":
        return with_bad_crc(source, target, part)
    if mutation is None or isinstance(mutation, bytes):
        return rezip(source, target, part, lambda _: mutation)
    return rezip(source, target, part, mutation)


@pytest.mark.parametrize(("name", "part", "mutation", "message"), MUTATIONS,
                         ids=[f"{n}:{p}:{getattr(m, '__name__', repr(m))[:10]}"
                              for n, p, m, _ in MUTATIONS])
def test_a_damaged_part_gets_one_sentence_naming_file_and_part(tmp_path, besshi, name, part,
                                                               mutation, message):
    source = besshi if name == X else MEMO
    path = _mutated(source, tmp_path, name, part, mutation)
    result = run_cli(path, tmp_path / "out")
    assert result.exit_code == 1
    assert result.output == (f"Error: {message}\n"
                             "Error: 1 of 1 input(s) failed; nothing was written for them.\n")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.parquet"))


@pytest.mark.parametrize("name", [X, D])
def test_a_zip_cut_in_half_names_the_file(tmp_path, besshi, name):
    source = besshi if name == X else MEMO
    data = source.read_bytes()
    (tmp_path / name).write_bytes(data[:len(data) // 2])
    kind = KIND if name == X else "Word document (.docx)"
    result = run_cli(tmp_path / name, tmp_path / "out")
    assert result.exit_code == 1
    assert result.output == (f"Error: {name}: the file is damaged or truncated; it is not a "
                             f"readable {kind}.\n"
                             "Error: 1 of 1 input(s) failed; nothing was written for them.\n")


def test_the_sound_files_still_read(besshi):
    inline = xlsx_to_document(besshi.parent / "inline.xlsx")
    shared = xlsx_to_document(besshi)
    assert shared.blocks == inline.blocks and len(shared.blocks) > 3
    assert docx_to_document(MEMO).blocks


# --- the DOCTYPE guard ----------------------------------------------------------------

_COMMENT = "<!--" + "x" * (70 * 1024) + "-->"
_DOCTYPE = '<!DOCTYPE worksheet [<!ENTITY big "big">]>'
_ROOT = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'


def _utf16(text: str, codec: str, bom: bool) -> bytes:
    mark = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[codec] if bom else b""
    return mark + text.encode(codec)


def _declared(encoding: str) -> str:
    return f'<?xml version="1.0" encoding="{encoding}" standalone="yes"?>'


DECLARING_PARTS = [
    ("after 70 KiB of comment", (_declared("UTF-8") + _COMMENT + _DOCTYPE + _ROOT).encode()),
    ("after 70 KiB of comment, no XML declaration", (_COMMENT + _DOCTYPE + _ROOT).encode()),
    ("inside a processing instruction", (_declared("UTF-8") + "<?pi " + _DOCTYPE + "?>" + _ROOT).encode()),
    ("after a processing instruction", (_declared("UTF-8") + "<?pi x?>" + _DOCTYPE + _ROOT).encode()),
    ("lower case, after a UTF-8 byte-order mark",
     b"\xef\xbb\xbf" + (_COMMENT + _DOCTYPE + _ROOT).encode()),
] + [(f"{codec}, byte-order mark {bom}",
      _utf16(_declared("UTF-16") + _COMMENT + _DOCTYPE + _ROOT, codec, bom))
     for codec in ("utf-16-le", "utf-16-be") for bom in (True, False)]


def _workbook_with(tmp_path: Path, part: bytes) -> Path:
    """A workbook openpyxl wrote, its sheet replaced by ``part``."""
    workbook = Workbook()
    workbook.active["A1"] = "x"
    workbook.save(tmp_path / "sound.xlsx")
    return rezip(tmp_path / "sound.xlsx", tmp_path / "book.xlsx", SHEET, lambda _: part)


@pytest.mark.parametrize(("case", "part"), DECLARING_PARTS, ids=[c for c, _ in DECLARING_PARTS])
def test_a_document_type_anywhere_in_the_prolog_is_refused(tmp_path, case, part):
    path = _workbook_with(tmp_path, part)
    with pytest.raises(InputError) as raised:
        check_office_file(path, KIND)
    assert str(raised.value) == (f"book.xlsx: the part {SHEET} declares a document type or "
                                 "entities, which Office files never do; it was not read.")


_SHEET_XML = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>見出し</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>&lt;!DOCTYPE&gt; is text here</t></is></c>'
              '</row></sheetData></worksheet>')


@pytest.mark.parametrize("part", [
    (_declared("UTF-8") + _COMMENT + _SHEET_XML).encode(),
    _utf16(_declared("UTF-16") + _COMMENT + _SHEET_XML, "utf-16-le", True),
], ids=["utf-8", "utf-16-le"])
def test_a_sound_part_with_a_long_comment_is_read(tmp_path, part):
    path = _workbook_with(tmp_path, part)
    check_office_file(path, KIND)
    grid = xlsx_to_document(path).blocks[0]
    assert [[cell.text for cell in row] for row in grid.rows] == [["見出し", "<!DOCTYPE> is text here"]]


@pytest.mark.parametrize("encoding", ["UTF-1e400", "Shift_JIS"])
def test_a_part_in_an_encoding_expat_cannot_decode_is_refused(tmp_path, encoding):
    path = _workbook_with(tmp_path, (_declared(encoding) + _ROOT).encode())
    with pytest.raises(InputError) as raised:
        check_office_file(path, KIND)
    assert str(raised.value) == (f"book.xlsx: the part {SHEET} declares a text encoding the "
                                 "reader cannot decode (Office writes UTF-8 or UTF-16); it was "
                                 "not read.")


def test_a_prolog_longer_than_any_office_file_has_is_refused(tmp_path):
    noise = random.Random(0).randbytes(1 << 20).hex()  # incompressible: no zip bomb
    part = ("<!--" + noise + "-->" + _ROOT).encode()
    with pytest.raises(InputError) as raised:
        check_office_file(_workbook_with(tmp_path, part), KIND)
    assert str(raised.value) == (f"book.xlsx: the part {SHEET} has more than 1,048,576 bytes "
                                 "before its first element, which Office files never have; it "
                                 "was not read.")


# --- numbers and dates a sheet cannot hold ----------------------------------------------

def _sheet_with_cell(tmp_path: Path, cell: str, style: int | None = None) -> Path:
    """A one-sheet workbook whose B2 is ``cell`` (a ``<c>`` element's inside), styled."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "別紙"
    sheet["A1"], sheet["B1"], sheet["A2"] = "id", "件数", "1-1-①"
    sheet["B2"] = 1
    sheet["C3"] = "date"
    sheet["C3"].number_format = "yyyy/m/d"
    workbook.save(tmp_path / "sound.xlsx")
    style_attr = f' s="{style}"' if style is not None else ""

    def put(data: bytes) -> bytes:
        changed, count = re.subn(rb'<c r="B2"[^>]*>.*?</c>',
                                 f'<c r="B2"{style_attr}>{cell}</c>'.encode(), data, count=1)
        assert count == 1
        return changed
    return rezip(tmp_path / "sound.xlsx", tmp_path / "book.xlsx", SHEET, put)


@pytest.mark.parametrize("value", ["1e400", "-1E400", "12345678901234567890.5e300"])
def test_a_number_too_large_for_a_float_is_refused_not_stored_as_inf(tmp_path, value):
    path = _sheet_with_cell(tmp_path, f"<v>{value}</v>")
    with pytest.raises(InputError) as raised:
        xlsx_to_document(path)
    assert str(raised.value) == ("book.xlsx: the cell 別紙!B2 holds a number too large to read "
                                 "(beyond ±1.8e308); the file was not read.")


@pytest.mark.parametrize("kind", ["zz", "", "-5"])
def test_a_cell_of_a_type_the_format_lacks_is_refused_not_read_as_its_raw_text(tmp_path, kind):
    path = _sheet_with_cell(tmp_path, "<v>668</v>").rename(tmp_path / "typed.xlsx")
    path = rezip(path, tmp_path / "book.xlsx", SHEET,
                 lambda data: data.replace(b'<c r="B2">', f'<c r="B2" t="{kind}">'.encode()))
    with pytest.raises(InputError) as raised:
        xlsx_to_document(path)
    assert str(raised.value) == (f"book.xlsx: the cell 別紙!B2 has the type {kind!r}, which the "
                                 "format does not have; the file was not read.")


def test_a_large_number_a_float_holds_is_kept(tmp_path):
    grid = xlsx_to_document(_sheet_with_cell(tmp_path, "<v>1e300</v>")).blocks[0]
    assert grid.rows[1][1].text == "1e+300"


def test_a_date_serial_outside_the_calendar_is_refused_not_read_as_an_error_value(tmp_path):
    with zipfile.ZipFile(_sheet_with_cell(tmp_path, "<v>1</v>")) as archive:
        date_style = re.search(rb'<c r="C3" s="(\d+)"', archive.read(SHEET)).group(1).decode()
    path = _sheet_with_cell(tmp_path, "<v>1e20</v>", style=int(date_style))
    with pytest.raises(InputError) as raised:
        xlsx_to_document(path)
    assert str(raised.value) == ("book.xlsx: the cell 別紙!B2 holds the date serial 1e+20, "
                                 "outside the dates a sheet can show; the file was not read.")


def test_a_value_of_the_wrong_type_names_the_part(tmp_path):
    path = _sheet_with_cell(tmp_path, '<v>abc</v>')
    with pytest.raises(InputError) as raised:
        xlsx_to_document(path)
    assert str(raised.value) == (f"book.xlsx: the part {SHEET} is damaged (it holds a value or "
                                 "structure the format does not allow); it was not read.")


def test_a_word_document_without_a_body_names_its_part(tmp_path):
    bodiless = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w='
                b'"http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    path = rezip(MEMO, tmp_path / "memo.docx", DOCUMENT, lambda _: bodiless)
    with pytest.raises(InputError) as raised:
        docx_to_document(path)
    assert str(raised.value) == f"memo.docx: the part {DOCUMENT} has no body (w:body); it was not read."
