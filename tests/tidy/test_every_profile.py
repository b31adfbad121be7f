"""Every shipped and test profile through the same stages: each converts each of its
fixtures (text and .xlsx) with no failure, the stages holding no branch of their own for
any layout (tests/base/test_profile.py greps them for Japanese literals)."""

from pathlib import Path

import pytest

import pipeline
from conftest import ROOT, TESTS

FIXTURES = TESTS / "fixtures"
PROFILES = {path.stem: path for path in sorted((TESTS / "profiles").glob("*.toml"))}
PROFILES["nakano"] = ROOT / "pipeline" / "profiles" / "nakano.toml"
# Profiles of shapes built inside their tests (test_item_shapes.py, test_indicator_shapes.py).
NO_FIXTURE = {"ind_shapes", "item_shapes"}
CASES = [(name, path) for name in sorted(PROFILES)
         for path in sorted(FIXTURES.glob(f"{name}_*")) if path.suffix in (".txt", ".md", ".xlsx")]


def test_every_profile_but_the_shape_tests_has_a_fixture():
    assert {name for name, _ in CASES} == set(PROFILES) - NO_FIXTURE


@pytest.mark.parametrize(("name", "report"), CASES, ids=[path.name for _, path in CASES])
def test_each_profile_converts_its_fixtures(name: str, report: Path):
    converted = pipeline.convert(report, profile=PROFILES[name])
    assert (converted.facts["profile"], converted.failures) == (name, [])
