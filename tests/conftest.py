from pathlib import Path

import pytest

from schemas.registry import TABLES

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests" / "fixtures" / "nakano_fy2023.txt"
SAMPLE_PDF = ROOT / "raw" / "nakano_fy2023_sample.pdf"
# What one report folder holds: every registered table as Parquet and CSV, and the metadata.
REPORT_FILES = sorted([f"{table}.{ext}" for table in TABLES for ext in ("csv", "parquet")]
                      + ["datapackage.json", "report.json"])


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
