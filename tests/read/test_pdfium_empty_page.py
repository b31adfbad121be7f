"""A page pdfium reads as empty while pdfminer reads its content (bench/fuzz_long.py pdf
flip_in_page_dict seed 164): a flipped byte makes page 1's "/Contents 19 0 R" read
"19 00R", which pdfium drops and pdfminer resolves. The pdfium backend read the front
part (40 indicators, the status counts) as a blank page, silently; the page now goes to
pdfminer, with the reason, and both backends read the same Document."""

import json

from conftest import SAMPLE_PDF

from pipeline.read.pdf import pdf_to_document

PAGE_ONE = b"/MediaBox [ 0 0 595.303937 841.889764 ]\n/Contents 19 0 R"


def test_a_page_pdfium_reads_as_empty_is_read_by_pdfminer(tmp_path):
    data = SAMPLE_PDF.read_bytes()
    assert data.count(PAGE_ONE) == 1
    damaged = tmp_path / "contents.pdf"
    damaged.write_bytes(data.replace(PAGE_ONE, PAGE_ONE.replace(b"19 0 R", b"19 00R")))
    clean = pdf_to_document(SAMPLE_PDF)
    document = pdf_to_document(damaged)
    assert document.blocks == clean.blocks
    assert json.loads(document.metadata["pdf_backend_pages"]) == {
        "pdfium": [2, 3, 4, 5, 6, 7], "pdfminer": [1],
        "fallback_reasons": {"1": "pdfium finds nothing on a page whose content stream is not empty"}}
    assert document == pdf_to_document(damaged, {"backend": "pdfminer"})
