"""The writer makes its Parquet files from Arrow tables it builds once per frame; each
file must be, byte for byte, what pandas' own ``to_parquet`` writes of the same frame
(the report folder's file) or of the frame with the partition keys dropped and the
dataset's renames made (the dataset part)."""

import hashlib
import io

import pytest
from conftest import NAKANO, SEED

from pipeline.read.text import text_to_document
from pipeline.tidy.frames import document_to_frames
from pipeline.output.write import DATASET_RENAMES, arrow_table, dataset_part, write_parquet
from schemas.registry import TABLES


@pytest.fixture(scope="module")
def seed_frames():
    document = text_to_document(SEED.read_text(encoding="utf-8"), "seed.txt", "text")
    return document_to_frames(document, "nakano_fy2023", profile=NAKANO)[0]


def pandas_parquet(frame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False, engine="pyarrow")
    return buffer.getvalue()


@pytest.mark.parametrize("table", list(TABLES))
@pytest.mark.parametrize("empty", [False, True], ids=["rows", "empty"])
def test_the_report_file_and_the_dataset_part_are_what_pandas_writes(seed_frames, tmp_path,
                                                                     table, empty):
    frame = seed_frames[table].iloc[:0] if empty else seed_frames[table]
    write_parquet(arrow_table(frame), tmp_path / "file.parquet")
    assert (tmp_path / "file.parquet").read_bytes() == pandas_parquet(frame)

    renamed = frame.rename(columns=DATASET_RENAMES.get(table, {}))
    expected = renamed.drop(columns=[c for c in ("report_id", "fiscal_year") if c in renamed])
    sha256 = write_parquet(dataset_part(arrow_table(frame), table), tmp_path / "part.parquet")
    assert (tmp_path / "part.parquet").read_bytes() == pandas_parquet(expected)
    assert sha256 == hashlib.sha256(pandas_parquet(expected)).hexdigest()
