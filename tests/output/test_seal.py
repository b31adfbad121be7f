"""A report folder's seal as records (InputKey, Seal): written and read back as the very
bytes the pipeline wrote before the records, and a seal that does not parse is one
sentence naming the folder, never a seal.

The seals in tests/output/seals/ were written by `pipeline run` before the seal became a
record (ff61e0a): a text report, the sample PDF (pages), a report folder of parts left out
of the dataset, a report under --profile, one under --no-dataset; manifest.json is the
manifest of the first four's output folder.
"""

import json
import shutil
from pathlib import Path

import pytest
from conftest import TESTS

from pipeline.job import InputKey, KeySettings, Seal, SealFormatError, SourceKey
from pipeline.output.state import (
    SEAL,
    DamagedSeal,
    manifest_entry,
    read_seal,
    trusted_seal,
    write_seal,
)

WRITTEN_BEFORE = TESTS / "output" / "seals"
SEALS = sorted(p.name for p in WRITTEN_BEFORE.glob("*.json") if p.name != "manifest.json")


@pytest.mark.parametrize("name", SEALS)
def test_a_seal_written_before_the_records_is_rewritten_byte_for_byte(tmp_path, name):
    shutil.copy(WRITTEN_BEFORE / name, tmp_path / SEAL)
    seal = read_seal(tmp_path)
    assert seal is not None
    write_seal(tmp_path, seal)
    assert (tmp_path / SEAL).read_bytes() == (WRITTEN_BEFORE / name).read_bytes()


def test_the_records_hold_what_the_seal_says():
    seal = Seal.from_json(json.loads((WRITTEN_BEFORE / "parts_left_out.json").read_text()))
    assert seal.key == InputKey(
        sources=(SourceKey("/tmp/keys27/in/parts/nakano_fy2023_besshi.xlsx",
                           "7b5a667c9576138c1b653cb90e527bcdbd619424b67f86d7cd900a18f47d0a91"),
                 SourceKey("/tmp/keys27/in/parts/nakano_fy2023_memo.docx",
                           "fa7fd2f1b42615d3fc2491fb1c9838e5771c852c12512c80cf45c77f967737c6")),
        code="464c873f1579dda7735b0909478452239d1fb8975dfd9048a993c14ba0e8546b",
        settings=KeySettings(csv_bom=True))
    assert (seal.report_id, seal.dataset, seal.dataset_left_out, seal.pages) == (
        "parts", {}, "nakano_fy2023_sample", None)
    assert seal.counts["items"] == 113 and len(seal.files) == 17
    profile = Seal.from_json(json.loads((WRITTEN_BEFORE / "profile.json").read_text()))
    assert profile.key.settings == KeySettings(
        csv_bom=True,
        profile_sha256="d2abd6ec19eb8f0d54758ea688cabac71ee45173d87b2bd93bcef628f8757ca5")
    pdf = Seal.from_json(json.loads((WRITTEN_BEFORE / "pdf.json").read_text()))
    assert pdf.pages == 7 and pdf.key.paths == ["/tmp/keys27/in/nakano_fy2023_sample.pdf"]


def test_the_manifest_entries_are_those_written_before():
    before = json.loads((WRITTEN_BEFORE / "manifest.json").read_text())
    names = {"nakano_fy2023": "text.json", "nakano_fy2023_sample": "pdf.json",
             "parts": "parts_left_out.json", "kawasaki_like_fy2023": "profile.json"}
    entries = {report_id: manifest_entry(Seal.from_json(json.loads(
        (WRITTEN_BEFORE / name).read_text()))) for report_id, name in names.items()}
    assert entries == before


def _text_seal() -> dict:
    return json.loads((WRITTEN_BEFORE / "text.json").read_text())


def _holder(seal, path: tuple):
    for part in path[:-1]:
        seal = seal[part]
    return seal


def _without(*path):
    def damage(seal: dict) -> dict:
        del _holder(seal, path)[path[-1]]
        return seal
    return damage


def _with(*path_and_value):
    *path, value = path_and_value

    def damage(seal: dict) -> dict:
        _holder(seal, tuple(path))[path[-1]] = value
        return seal
    return damage


# A real seal, damaged one way each → why it is not a seal (the sentence's parenthesis)
DAMAGED_JSON = [
    (_without("files"), "the seal has no 'files'"),
    (_without("key"), "the seal has no 'key'"),
    (_without("counts"), "the seal has no 'counts'"),
    (_without("key", "sources"), "key has no 'sources'"),
    (_without("key", "settings", "csv_bom"), "key.settings has no 'csv_bom'"),
    (_with("key", "sources", 0, "sha256", 12), "key.sources[0].sha256 is 12, not text"),
    (_with("key", "sources", 0, "ward.txt"), 'key.sources[0] is "ward.txt", not an object'),
    (_with("key", "sources", {"path": "ward.txt"}),
     'key.sources is {"path": "ward.txt"}, not a list'),
    (_with("key", "ward.txt 1.4.0"), 'key is "ward.txt 1.4.0", not an object'),
    (_with("key", "settings", "csv_bom", "yes"),
     'key.settings.csv_bom is "yes", not true or false'),
    (_with("key", "settings", "delimiter", ";"),
     "key.settings holds 'delimiter', which no seal of this pipeline has"),
    (_with("pages", "7"), 'pages is "7", not a number of pages'),
    (_with("pages", True), "pages is true, not a number of pages"),
    (_with("counts", "items", 113.0), "counts['items'] is 113.0, not a number of rows"),
    (_with("files", "items.csv", None), "files['items.csv'] is null, not a sha256"),
    (_with("dataset", ["items/part.parquet"]),
     'dataset is ["items/part.parquet"], not an object'),
    (_with("version", 2), "the seal holds 'version', which no seal of this pipeline has"),
    (lambda seal: [seal], "the seal is [{\"counts\": {\"date_mentions\": 32, \"fo..., "
                          "not an object"),
]


@pytest.mark.parametrize(("damage", "why"), DAMAGED_JSON, ids=[why for _, why in DAMAGED_JSON])
def test_a_seal_that_does_not_parse_names_its_folder_and_why(tmp_path, damage, why):
    (tmp_path / SEAL).write_text(json.dumps(damage(_text_seal())), encoding="utf-8")
    with pytest.raises(DamagedSeal) as raised:
        read_seal(tmp_path)
    assert str(raised.value) == f"{tmp_path / SEAL} is not a seal this pipeline can read ({why})"
    assert trusted_seal(tmp_path) is None


DAMAGED_BYTES = [
    (b"", "not JSON: Expecting value: line 1 column 1 (char 0)"),
    ((WRITTEN_BEFORE / "text.json").read_bytes()[:200],
     "not JSON: Unterminated string starting at: line 11 column 3 (char 193)"),
    (b'{"report_id": "\xff"}', "'utf-8' codec can't decode byte 0xff in position 15: "
                               "invalid start byte"),
    (b"null", "the seal is null, not an object"),
]


@pytest.mark.parametrize(("content", "why"), DAMAGED_BYTES, ids=[why for _, why in DAMAGED_BYTES])
def test_a_seal_that_is_not_json_names_its_folder_and_why(tmp_path, content, why):
    (tmp_path / SEAL).write_bytes(content)
    with pytest.raises(DamagedSeal) as raised:
        read_seal(tmp_path)
    assert str(raised.value) == f"{tmp_path / SEAL} is not a seal this pipeline can read ({why})"


def test_a_seal_that_is_a_folder_is_damaged_and_no_seal_is_none(tmp_path):
    assert read_seal(tmp_path) is None
    (tmp_path / SEAL).mkdir()
    with pytest.raises(DamagedSeal) as raised:
        read_seal(tmp_path)
    assert str(raised.value) == (f"{tmp_path / SEAL} is not a seal this pipeline can read "
                                 "(Is a directory)")


def test_a_format_error_is_a_value_error_naming_the_field():
    with pytest.raises(SealFormatError, match=r"^key.code is null, not text$"):
        InputKey.from_json({"sources": [], "code": None, "settings": {"csv_bom": True}})


def test_a_key_of_a_report_folder_of_parts_round_trips():
    key = InputKey(sources=(SourceKey("/in/a.docx", "1" * 64), SourceKey("/in/b.xlsx", "2" * 64)),
                   code="c", settings=KeySettings(csv_bom=False, profile_sha256="3" * 64))
    assert InputKey.from_json(json.loads(json.dumps(key.to_json()))) == key
    assert key.to_json() == {"sources": [{"path": "/in/a.docx", "sha256": "1" * 64},
                                         {"path": "/in/b.xlsx", "sha256": "2" * 64}],
                             "code": "c",
                             "settings": {"csv_bom": False, "profile_sha256": "3" * 64}}
    assert [source.name for source in key.sources] == ["a.docx", "b.xlsx"]


def test_a_seal_written_for_a_new_folder_holds_its_files(tmp_path):
    (tmp_path / "items.csv").write_text("a\n", encoding="utf-8")
    key = InputKey(sources=(SourceKey(str(Path("/in/ward.txt")), "1" * 64),), code="c",
                   settings=KeySettings(csv_bom=True))
    from pipeline.output.state import seal_for

    seal = seal_for(tmp_path, key, None, None, {"items": 1}, "ward")
    write_seal(tmp_path, seal)
    assert read_seal(tmp_path) == seal
    assert json.loads((tmp_path / SEAL).read_text()) == {
        "report_id": "ward", "key": key.to_json(), "dataset": None, "pages": None,
        "counts": {"items": 1},
        "files": {"items.csv": "87428fc522803d31065e7bce3cf03fe475096631e5e07bbd7a0fde60c4cf25c7"}}
