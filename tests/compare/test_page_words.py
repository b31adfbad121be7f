"""The pages' words: both languages hold the same keys and the same template fields, so a
word missing in one language fails here, not as a blank or a KeyError on a reader's page."""

import string

import pytest

from pipeline.compare.page_words import LANGUAGES, WORDS, era_label, format_label, words, year_label


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_hold_the_same_keys():
    assert set(WORDS["ja"]) == set(WORDS["en"]) and tuple(WORDS) == LANGUAGES


@pytest.mark.parametrize("key", sorted(WORDS["ja"]))
def test_each_word_takes_the_same_fields_in_both_languages(key):
    if key.startswith("year"):  # each language picks the era name or the western year
        assert _fields(WORDS["ja"][key]) | _fields(WORDS["en"][key]) <= {"era", "year"}
    else:
        assert _fields(WORDS["ja"][key]) == _fields(WORDS["en"][key])


def test_an_unknown_language_is_one_sentence():
    with pytest.raises(ValueError, match="^lang must be one of ja, en, not 'fr'$"):
        words("fr")


@pytest.mark.parametrize("year, ja, en, short_ja, short_en, axis_ja", [
    (2023, "令和5年度", "令和5年度 (FY2023)", "令和5年度", "FY2023", "令和5"),
    (2019, "令和元年度", "令和元年度 (FY2019)", "令和元年度", "FY2019", "令和元"),
    (2018, "平成30年度", "平成30年度 (FY2018)", "平成30年度", "FY2018", "平成30"),
    (1988, "1988年度", "FY1988", "1988年度", "FY1988", "1988年度"),
])
def test_fiscal_years_as_the_reports_print_them(year, ja, en, short_ja, short_en, axis_ja):
    assert (era_label(year), era_label(year, "en"), year_label(year), year_label(year, "en"),
            year_label(year, "ja", "axis")) == (ja, en, short_ja, short_en, axis_ja)


@pytest.mark.parametrize("input_format, ja, en", [
    ("pdf", "PDF", "PDF"), ("text", "テキスト", "text"), ("xlsx+docx", "Excel・Word", "Excel + Word"),
    ("markdown", "テキスト (Markdown)", "text (Markdown)"), (None, "", ""),
])
def test_input_formats_in_the_pages_words(input_format, ja, en):
    assert (format_label(input_format), format_label(input_format, "en")) == (ja, en)
