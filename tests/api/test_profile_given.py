"""A profile file given to a conversion is read and checked once, at the edge, and the
stages take the loaded Profile: none of them loads it again."""

import pipeline
import pipeline.profiles as profiles
from conftest import TESTS


def test_a_given_profile_file_is_read_once_for_a_report(monkeypatch):
    given = TESTS / "profiles" / "kakuu_city.toml"
    reads: list[str] = []
    parse = profiles.parse_profile

    def counted(text: str, origin: str) -> profiles.Profile:
        reads.append(origin)
        return parse(text, origin)

    monkeypatch.setattr(profiles, "parse_profile", counted)
    converted = pipeline.convert(TESTS / "fixtures" / "kakuu_city_fy2024.txt", profile=given)
    assert (converted.facts["profile"], converted.failures, reads) == ("kakuu_city", [], [str(given)])
