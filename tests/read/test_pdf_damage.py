"""Damaged PDFs: no page lost or renumbered, no stream read in part, no glyph written as
"(cid:N)", none of pdfminer's warnings left on stderr naming no file (issue 21).

Each case is the sample report with a few bytes changed, as the audit changed them: a
page object's dictionary, a content stream's compressed bytes, a ToUnicode CMap's entries.
"""

from __future__ import annotations

import json
import logging
import re
import zlib

import pytest
from click.testing import CliRunner

from conftest import SAMPLE_PDF
from pipeline.cli import main
from pipeline.errors import InputError
from pipeline.read.pdf import pdf_to_document, read_page_regions
from pipeline.read.pdf_damage import pdfminer_warnings
from rawpdf import pdf_of_objects, raw_pdf

SAMPLE = SAMPLE_PDF.read_bytes()
BACKENDS = ["pdfium", "pdfminer"]
# The sample's page objects and their content streams, in page order.
PAGE_OBJECTS = (4, 20, 22, 46, 48, 50, 52)
PAGE1_CONTENT, PAGE2_CONTENT = 19, 21
PAGE1_TOUNICODE = 10  # font F1's CMap: 令 (01), 和 (02), 進 (32), …


def object_span(data: bytes, number: int) -> tuple[int, int]:
    start = data.index(b"\n%d 0 obj" % number) + 1
    return start, data.index(b"endobj", start)


def stream_span(data: bytes, number: int) -> tuple[int, int]:
    start, _ = object_span(data, number)
    begin = data.index(b"stream\n", start) + len(b"stream\n")
    end = data.index(b"endstream", begin)
    return begin, end - (data[end - 1:end] == b"\n")  # the line end before endstream


def with_object_edit(data: bytes, number: int, old: bytes, new: bytes) -> bytes:
    """``old`` replaced by ``new`` (as long) inside object ``number``: offsets stay right."""
    assert len(old) == len(new)
    start, end = object_span(data, number)
    body = data[start:end]
    assert body.count(old) == 1
    return data[:start] + body.replace(old, new) + data[end:]


def with_flipped_byte(data: bytes, number: int, share: float) -> bytes:
    """One byte of stream ``number``'s compressed data changed, ``share`` of the way in
    (1: the second-last byte, in zlib's checksum)."""
    begin, end = stream_span(data, number)
    at = min(begin + int((end - begin) * share), end - 2)
    return data[:at] + bytes([data[at] ^ 0x55]) + data[at + 1:]


def inflated(data: bytes, number: int) -> bytes:
    begin, end = stream_span(data, number)
    return zlib.decompress(data[begin:end])


def with_stream(data: bytes, number: int, content: bytes) -> bytes:
    """Stream ``number`` replaced by ``content``, compressed, with the xref rebuilt."""
    compressed = zlib.compress(content)
    start, end = object_span(data, number)
    body = (b"%d 0 obj\n<<\n/Filter /FlateDecode\n/Length %d\n>>\nstream\n"
            % (number, len(compressed)) + compressed + b"\nendstream\n")
    data = data[:start] + body + data[end:]
    xref = data.rindex(b"\nxref\n") + 1
    offsets = {int(m.group(1)): m.start() + 1
               for m in re.finditer(rb"\n(\d+) 0 obj", data[:xref])}
    size = max(offsets) + 1
    table = b"xref\n0 %d\n0000000000 65535 f \n" % size + b"".join(
        b"%010d 00000 n \n" % offsets[n] for n in range(1, size))
    trailer = data[data.index(b"trailer", xref):data.index(b"startxref", xref)]
    return data[:xref] + table + trailer + b"startxref\n%d\n%%%%EOF\n" % xref


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal(path, backend: str) -> str:
    with pytest.raises(InputError) as error:
        pdf_to_document(path, {"backend": backend})
    return str(error.value)


LOST_PAGE = ("page1.pdf: page 1 is damaged: its page object cannot be read, so the page "
             "would be lost and every later page renumbered; the report is refused.")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("old, new", [
    (b"/Type /Page\n", b"/Type /Pagf\n"),  # pdfminer leaves the page out, pdfium cannot load it
    (b"<<\n/Type", b"<[\n/Type"),  # the dictionary itself broken
])
def test_a_page_object_that_cannot_be_read_refuses_the_report(tmp_path, backend, old, new):
    path = write(tmp_path, "page1.pdf", with_object_edit(SAMPLE, PAGE_OBJECTS[0], old, new))
    assert refusal(path, backend) == LOST_PAGE


def test_a_lost_page_is_refused_by_the_run_with_one_sentence(tmp_path):
    path = write(tmp_path, "page1.pdf",
                 with_object_edit(SAMPLE, PAGE_OBJECTS[0], b"/Type /Page\n", b"/Type /Pagf\n"))
    result = CliRunner().invoke(main, ["run", str(path), "--out", str(tmp_path / "out"),
                                       "--no-dataset", "--jobs", "1"])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {LOST_PAGE}\n"
                             "Error: 1 of 1 input(s) failed; nothing was written for them.\n")
    assert not (tmp_path / "out" / "page1").exists()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_page_listed_twice_in_the_page_tree_refuses_the_report(tmp_path, backend):
    # Page 2's reference changed into page 1's: pdfminer reads page 1 once and page 3
    # as page 2.
    path = write(tmp_path, "tree.pdf", with_object_edit(SAMPLE, 2, b"20 0 R", b" 4 0 R"))
    assert refusal(path, backend) == (
        "tree.pdf: the PDF is damaged: its page tree lists 7 pages but 6 can be read in "
        "its order, so pages would be lost or renumbered; the report is refused.")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_page_whose_content_stream_is_missing_refuses_the_report(tmp_path, backend):
    path = write(tmp_path, "gone.pdf",
                 with_object_edit(SAMPLE, PAGE_OBJECTS[0], b"/Contents 19", b"/Contents 99"))
    assert refusal(path, backend) == (
        "gone.pdf: page 1 is damaged: its content stream is missing from the file, so the "
        "page would read as blank; the report is refused.")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("new, key", [
    (b"/Contelts 19", "Contelts"),  # fuzzing: bench/fuzz_long.py pdf flip_in_page_dict seed 1051
    (b"-Contents 19", "/b'Contents'"),  # seed 1052: the name's slash flipped
])
def test_a_page_whose_contents_key_is_damaged_refuses_the_report(tmp_path, backend, new, key):
    path = write(tmp_path, "key.pdf", with_object_edit(SAMPLE, PAGE_OBJECTS[0], b"/Contents 19",
                                                        new))
    assert refusal(path, backend) == (
        f"key.pdf: page 1 is damaged: its dictionary has no /Contents but a key no page has "
        f"({key}), so the page would read as blank; the report is refused.")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("stream, page", [(PAGE1_CONTENT, 1), (PAGE2_CONTENT, 2)])
@pytest.mark.parametrize("share", [0.3, 0.9, 1])
def test_a_content_stream_that_does_not_inflate_whole_refuses_the_report(
        tmp_path, backend, stream, page, share):
    # 0.3 leaves pdfminer nothing or a part, silently; 1 hits the checksum, where
    # pdfminer keeps what it inflated and logs "Data-loss while decompressing".
    data = with_flipped_byte(SAMPLE, stream, share)
    with pytest.raises(zlib.error) as why:
        inflated(data, stream)
    path = write(tmp_path, "inflate.pdf", data)
    assert refusal(path, backend) == (
        f"inflate.pdf: page {page} is damaged: its compressed content cannot be inflated "
        f"whole ({why.value}), so part of its text would be lost or wrong; the report is "
        "refused.")


def test_a_truncated_content_stream_is_refused_where_pdfminer_reads_it_in_part(tmp_path):
    content = inflated(SAMPLE, PAGE2_CONTENT)
    data = with_stream(SAMPLE, PAGE2_CONTENT, content)
    begin, end = stream_span(data, PAGE2_CONTENT)
    cut = data[:begin] + zlib.compress(content)[:-40] + b" " * 40 + data[end:]
    path = write(tmp_path, "cut.pdf", cut)
    assert refusal(path, "pdfminer") == (
        "cut.pdf: page 2 is damaged: its compressed content cannot be inflated whole "
        "(Error -5 while decompressing data: incomplete or truncated stream), so part of "
        "its text would be lost or wrong; the report is refused.")


def without_cmap_entry(data: bytes, stream: int, code: bytes) -> bytes:
    """The sample with ``code``'s entry taken out of ToUnicode CMap ``stream``."""
    lines = inflated(data, stream).split(b"\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(b"<%s> " % code))
    count = max(i for i in range(at) if lines[i].endswith(b"beginbfchar"))
    lines[count] = b"%d beginbfchar" % (int(lines[count].split()[0]) - 1)
    return with_stream(data, stream, b"\n".join(lines[:at] + lines[at + 1:]))


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_glyph_without_unicode_refuses_the_report_naming_page_and_line(tmp_path, backend):
    # 進 (code 32) taken out of the CMap: 4 glyphs of page 1, well under the 5 % the
    # text-layer check allows, read as "(cid:50)".
    path = write(tmp_path, "cmap.pdf", without_cmap_entry(SAMPLE, PAGE1_TOUNICODE, b"32"))
    assert refusal(path, backend) == (
        "cmap.pdf: page 1 has 4 characters without Unicode (read as (cid:N), the first in "
        "the line '区では、令和6年3月に策定した「第2次中野区地域情報化推(cid:50)計画改定版」"
        "(以下「計画」とい'); the font has no Unicode map for them, so the report is refused "
        "rather than written with placeholders.")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_glyph_without_unicode_in_a_table_cell_names_the_cell(tmp_path, backend):
    # 得 (code EA) is printed once, in the indicator table's seventh row.
    path = write(tmp_path, "cell.pdf", without_cmap_entry(SAMPLE, PAGE1_TOUNICODE, b"EA"))
    assert refusal(path, backend) == (
        "cell.pdf: page 1 has 1 character without Unicode (read as (cid:N), the first in "
        "the table cell at row 7, column 1: 'ICT資格の「ITパスポート試験」取(cid:234)者数 \\n※3'); "
        "the font has no Unicode map for it, so the report is refused rather than written "
        "with placeholders.")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("share", [0.05, 0.6, 1])
def test_a_unicode_map_that_does_not_inflate_whole_refuses_the_report(tmp_path, backend,
                                                                       share):
    # pdfminer would read an empty map (other characters, or (cid:N) on a page then
    # called "no text layer, run OCR") or keep what inflates and log "Data-loss".
    data = with_flipped_byte(SAMPLE, PAGE1_TOUNICODE, share)
    with pytest.raises(zlib.error) as why:
        inflated(data, PAGE1_TOUNICODE)
    path = write(tmp_path, "cmap.pdf", data)
    assert refusal(path, backend) == (
        "cmap.pdf: page 1 is damaged: the Unicode map (ToUnicode) of its font F1 cannot be "
        f"inflated whole ({why.value}), so part of its text would be lost or wrong; the "
        "report is refused.")


def form_pdf(cmap_stream: bytes) -> bytes:
    """A page that draws form Fm1, whose own font F1 has the compressed ToUnicode given."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Fm1 4 0 R >> >> /Contents 5 0 R >>",
        *(b"<< %s /Length %d >>\nstream\n" % (head, len(body)) + body + b"\nendstream"
          for head, body in [
              (b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] "
               b"/Resources << /Font << /F1 6 0 R >> >>",
               b"BT /F1 12 Tf 72 700 Td (AB) Tj ET"),
              (b"", b"/Fm1 Do")]),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+Sans /FirstChar 65 /LastChar 66 "
        b"/Widths [600 600] /ToUnicode 7 0 R /FontDescriptor 8 0 R >>",
        b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(cmap_stream) + cmap_stream
        + b"\nendstream",
        b"<< /Type /FontDescriptor /FontName /ABCDEF+Sans /Flags 32 /FontBBox [0 -200 1000 "
        b"800] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
    ]
    return pdf_of_objects(objects)


AB_CMAP = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
           b"1 begincodespacerange <00> <FF> endcodespacerange\n"
           b"2 beginbfchar <41> <4EE4> <42> <548C> endbfchar\n"
           b"endcmap CMapName currentdict /CMap defineresource pop end end")


@pytest.mark.parametrize("backend", BACKENDS)
def test_pdfminers_data_loss_warning_refuses_the_report_naming_the_page(tmp_path, capfd,
                                                                        backend):
    # A form's own font is not among the streams checked before the page is read: its
    # map's checksum damaged, pdfminer keeps what inflates and logs "Data-loss".
    compressed = zlib.compress(AB_CMAP)
    assert pdf_to_document(write(tmp_path, "form.pdf", form_pdf(compressed)),
                           {"backend": backend}).blocks[0].text == "令和"
    damaged = compressed[:-2] + bytes([compressed[-2] ^ 0x55]) + compressed[-1:]
    path = write(tmp_path, "form.pdf", form_pdf(damaged))
    assert refusal(path, backend) == (
        "form.pdf: page 1 is damaged: pdfminer reports \u201cData-loss while decompressing "
        "corrupted data\u201d while reading it, so part of its text may be lost; the report "
        "is refused.")
    assert capfd.readouterr().err == ""


BAD_COLOUR = b"BT /F1 12 Tf 72 700 Td (AB) Tj ET\n/X 0 0 rg\nBT /F1 12 Tf 72 680 Td (AB) Tj ET"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def test_pdfminer_warnings_name_the_file_and_page_and_stay_off_stderr(tmp_path, capfd):
    path = write(tmp_path, "colour.pdf", raw_pdf(FONT, BAD_COLOUR))
    assert refusal(path, "pdfminer") == (
        "colour.pdf: page 1 is damaged: pdfminer reports \u201cCannot set RGB non-stroke "
        "color because not all values in (/'X', 0, 0) can be parsed as floats\u201d while "
        "reading it, so part of its text may be lost; the report is refused.")
    assert capfd.readouterr().err == ""


def test_read_page_regions_names_pdfminers_warnings_too(tmp_path, capfd):
    path = write(tmp_path, "colour.pdf", raw_pdf(FONT, BAD_COLOUR))
    with pytest.raises(InputError) as error:
        read_page_regions(path, 1, {"backend": "pdfminer"})
    assert str(error.value).startswith("colour.pdf: page 1 is damaged: pdfminer reports")
    assert capfd.readouterr().err == ""


def test_warnings_outside_a_capture_reach_pdfminers_usual_handlers(caplog):
    # Only the reading thread's own page is captured; pdfminer's logger is as it was after.
    logger = logging.getLogger("pdfminer.pdfinterp")
    with pdfminer_warnings() as kept:
        logger.warning("inside")
    with caplog.at_level(logging.WARNING, logger="pdfminer"):
        logger.warning("outside")
    assert kept == ["inside"]
    assert [record.getMessage() for record in caplog.records] == ["outside"]
    assert logging.getLogger("pdfminer").handlers == []


def test_pdfium_counting_other_pages_than_the_page_tree_leaves_every_page_to_pdfminer(tmp_path):
    # /Count 8 over 7 kids: pdfium believes the count, pdfminer walks the kids.
    path = write(tmp_path, "count.pdf", SAMPLE.replace(b"/Count 7", b"/Count 8"))
    document = pdf_to_document(path)
    reason = "pdfium counts 8 pages where the page tree has 7"
    assert json.loads(document.metadata["pdf_pages"]) == [
        {"page": page, "read_by": "pdfminer", "reason": reason} for page in range(1, 8)]
    assert document.blocks == pdf_to_document(SAMPLE_PDF, {"backend": "pdfminer"}).blocks


def test_report_json_lists_every_page_and_how_it_was_read(tmp_path):
    result = CliRunner().invoke(main, ["run", str(SAMPLE_PDF), "--out", str(tmp_path),
                                       "--no-dataset", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / SAMPLE_PDF.stem / "report.json").read_text("utf-8"))
    assert report["pages"] == [{"page": page, "read_by": "pdfium"} for page in range(1, 8)]
    assert report["pdf_backend_pages"] == {"pdfium": [1, 2, 3, 4, 5, 6, 7]}


F1_FONT = 7  # page 1's first font: /FirstChar 0 /LastChar 255 /Widths [ 0 1000 1000 555 …


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("old, new, problem", [
    # A digit changed to a letter: pdfminer would shift every later width by one.
    (b"/Widths [ 0 1000", b"/Widths [ 0 1p00", "holds p00, not a number"),
    (b"/LastChar 255", b"/LastChar 254", "lists 256 widths for its 255 characters"),
])
def test_a_font_widths_table_that_is_damaged_refuses_the_report(tmp_path, backend, old,
                                                                new, problem):
    path = write(tmp_path, "widths.pdf", with_object_edit(SAMPLE, F1_FONT, old, new))
    assert refusal(path, backend) == (
        f"widths.pdf: page 1 is damaged: the widths table of its font F1 {problem}, so its "
        "text would be spaced and split wrong; the report is refused.")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_page_box_that_is_damaged_names_the_page_and_leaves_stderr_quiet(tmp_path, capfd,
                                                                          backend):
    # pdfplumber refuses the box while making its list of pages, and made it again on
    # closing the file: the error was an internal MalformedPDFException.
    path = write(tmp_path, "box.pdf", with_object_edit(
        SAMPLE, PAGE_OBJECTS[4], b"841.889764 ]", b"841.8R9764 ]"))
    assert refusal(path, backend) == (
        "box.pdf: page 5 is damaged: its page object cannot be read (Bounding box contains "
        "non-number coordinate(s): [0, 0, 1190.55118, 841.8, /b'R9764']); the report is "
        "refused.")
    assert capfd.readouterr().err == ""
