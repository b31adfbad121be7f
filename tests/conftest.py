from pathlib import Path

import pytest

from pipeline.profiles import builtin_profile
from schemas.registry import TABLES

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
SEED = ROOT / "tests" / "fixtures" / "nakano_fy2023.txt"
SAMPLE_PDF = ROOT / "raw" / "nakano_fy2023_sample.pdf"
# The built-in profile, for tests of stages that take one (every stage does).
NAKANO = builtin_profile()
# What one report folder holds: every registered table as Parquet and CSV, the workbook of
# them all, and the metadata.
REPORT_FILES = sorted([f"{table}.{ext}" for table in TABLES for ext in ("csv", "parquet")]
                      + ["datapackage.json", "report.json", "report.xlsx"])


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def layout_pdf(tmp_path_factory):
    """Build a tests/pdfgen.py layout once per session: layout_pdf("a3_landscape_merged")."""
    import pdfgen

    folder = tmp_path_factory.mktemp("layouts")
    built: dict[str, Path] = {}

    def build(name: str) -> Path:
        if name not in built:
            built[name] = pdfgen.build_report_pdf(folder / f"{name}.pdf", pdfgen.LAYOUTS[name])
        return built[name]

    return build


def spinning_pdf(path: Path, operators: int = 200_000) -> Path:
    """A 5 KB PDF whose one page draws ``operators`` tiny rectangles: it makes the parser
    spin for many seconds and hold hundreds of MB, as a hostile download would."""
    import zlib

    stream = zlib.compress(b"0 0 1 1 re f\n" * operators, 9)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream
               + b"\nendstream"]
    body, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, content in enumerate(objects, 1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
             .encode())
    path.write_bytes(bytes(body))
    return path


SEED_TITLE = "第 2 次中野区地域情報化推進計画改定版の進捗状況等について"


def seed_of_its_own(name: str) -> str:
    """The seed as the report of a plan of its own (its title names ``name``): copies of
    one report in one OUT would be one fiscal year twice, which the dataset keeps once."""
    text = SEED.read_text(encoding="utf-8")
    assert text.count(SEED_TITLE) == 1
    return text.replace(SEED_TITLE, f"{SEED_TITLE} ({name})")
