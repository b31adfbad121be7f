"""Repair and normalise the free text of one cell.

A report's text layer arrives damaged in known ways: radical code points instead of
ideographs, full-width letters, letters spaced apart, cells wrapped mid-word. These
functions undo that for one cell at a time, keeping what this domain needs as printed
(circled measure numbers, status marks).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from pipeline.normalize._radicals import SUPPLEMENT_TO_IDEOGRAPH
from pipeline.profiles import Profile
from pipeline.profiles.model import Departments

# NFKC turns ① into 1, which would make the measure id 1-1-① read as 1-1-1.
_CIRCLED_NUMBERS = "\u2460-\u2473\u3251-\u325f\u32b1-\u32bf"
# NFKC leaves these alone today, but they carry meaning here (status marks and their
# look-alikes, note and star markers), so no normalisation step may ever touch them.
_MARKS = "◎○△×〇◯✕✖※☆★"
_PROTECTED_RUN = re.compile(f"([{_CIRCLED_NUMBERS}{_MARKS}]+)")
_PROTECTED_CHAR = re.compile(f"[{_CIRCLED_NUMBERS}{_MARKS}]")
_SUPPLEMENT_TABLE = str.maketrans(SUPPLEMENT_TO_IDEOGRAPH)

# Kana, CJK ideographs (BMP, extension A, compatibility, planes 2–3), 々 and 〆.
JAPANESE_CHAR = (
    "[\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\uff66-\uff9f\u3005\u3006\U00020000-\U0003ffff]"
)
_JAPANESE = re.compile(JAPANESE_CHAR)

# Dashes a report prints in a cell that has nothing to say. ー (U+30FC) is not one of
# them: it is the katakana long vowel and a cell can legitimately end with it.
DASHES = frozenset("-－—―‐‑‒–−﹣─━")

# Hyphens and dashes inside text that compare as one "-" (names, keys of the diff).
_HYPHENS = str.maketrans(dict.fromkeys("‐‑‒–—―−－", "-"))

# Characters that print nothing and carry no text: format characters (Unicode category Cf:
# U+200B zero-width space, U+00AD soft hyphen, U+FEFF, U+2060 word joiner, bidi marks)
# and control characters other than tab and line breaks. A damaged text layer puts them
# inside words, where they would make a header word or a (国) tag unreadable.
_LINE_SEPARATORS = "\u2028\u2029\x85"
_KEPT_CONTROLS = "\t\n\r"


# Planes 2–3 hold only ideographs and 15–16 private use: none of them is Cf or Cc.
_PLANES_WITH_FORMAT_CHARS = (*range(0x20000), *range(0xE0000, 0xE1000))


def _invisible_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in _PLANES_WITH_FORMAT_CHARS:
        char = chr(code)
        category = unicodedata.category(char)
        if char in _KEPT_CONTROLS or category not in ("Cf", "Cc"):
            continue
        # A vertical tab or form feed stands between two words: a space, not a join.
        table[code] = " " if char.isspace() else None
    table |= {ord(char): "\n" for char in _LINE_SEPARATORS}
    return table


_INVISIBLE_TABLE = _invisible_table()
_INVISIBLE = re.compile("[" + "".join(re.escape(chr(code)) for code in _INVISIBLE_TABLE) + "]")

_SPACED_LETTERS = re.compile(r"(?<!\S)\S(?: \S){2,}(?!\S)")
_LINE_BREAK = re.compile(r"\s*[\r\n]\s*")
_SPACES = re.compile(r"[ \t]+")
_SPACE_BEFORE_DIGIT = re.compile(f"(?<={JAPANESE_CHAR}) +(?=[0-9])")
_SPACE_AFTER_DIGIT = re.compile(f"(?<=[0-9]) +(?={JAPANESE_CHAR})")


def repair_text(s: str) -> str:
    """Drop invisible characters, fold radicals to ideographs and apply NFKC, except to the
    protected characters.

    >>> repair_text("⻑期計画（令和５年度）①")
    '長期計画(令和5年度)①'
    >>> repair_text("取組\u200b予定(\u00ad国)")
    '取組予定(国)'
    """
    folded = strip_invisible(s).translate(_SUPPLEMENT_TABLE)
    # re.split with a group alternates unprotected (even) and protected (odd) pieces;
    # NFKC runs on whole unprotected pieces so half-width kana and their voicing marks
    # still compose (ｶﾞ → ガ), which character-by-character NFKC would not do.
    pieces = _PROTECTED_RUN.split(folded)
    return "".join(
        piece if index % 2 else unicodedata.normalize("NFKC", piece)
        for index, piece in enumerate(pieces)
    )


def strip_invisible(s: str) -> str:
    """The text without format and control characters (tab and line breaks kept; other
    spacing controls as one space, line and paragraph separators as a line break)."""
    if _INVISIBLE.search(s) is None:  # nearly every cell: nothing to translate
        return s
    return s.translate(_INVISIBLE_TABLE)


def fold_chars(s: str) -> str:
    """``repair_text`` restricted to one-for-one replacements, so indices still match.

    Searches run on the folded copy and slice the printed text with the same span.
    Characters NFKC would expand (㈱ → (株)) are left as printed.
    """
    return "".join(_fold_char(char) for char in s)


@functools.cache  # a pure function of one character; a report has a few hundred distinct
def _fold_char(char: str) -> str:
    if _PROTECTED_CHAR.match(char):
        return char
    char = SUPPLEMENT_TO_IDEOGRAPH.get(char, char)
    folded = unicodedata.normalize("NFKC", char)
    return folded if len(folded) == 1 else char


def unspace_letters(s: str) -> str:
    """Close up Japanese text whose letters a damaged layer printed one space apart.

    Only runs of three or more single characters, each one space apart, with at least
    one Japanese character among them: "約 179 万件" and "Free Wi-Fi" are left alone.
    """
    if " " not in s:  # most cells: no run to close up
        return s

    def close_up(match: re.Match[str]) -> str:
        run = match.group(0)
        return run.replace(" ", "") if _JAPANESE.search(run) else run

    return _SPACED_LETTERS.sub(close_up, s)


def join_wrapped(s: str) -> str:
    """Undo line wraps: join directly, or with one space between two Latin letters/digits.

    A wrap that falls on a printed space keeps that one space: the PDF reader keeps
    blank characters, so it stands at the end of the line ("行う。 \n(適宜"); spaces
    that only indent the next line are dropped.
    """
    def join(match: re.Match[str]) -> str:
        if match.group(0)[:1] in (" ", "\t", "\u3000"):
            return " "  # a printed space at the end of the line
        before = s[match.start() - 1] if match.start() > 0 else ""
        after = s[match.end()] if match.end() < len(s) else ""
        return " " if _is_ascii_alnum(before) and _is_ascii_alnum(after) else ""

    return _LINE_BREAK.sub(join, s)


def _is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def unify_hyphens(s: str) -> str:
    """Every hyphen or dash look-alike as "-", for comparing names that print them differently."""
    return s.translate(_HYPHENS)


def is_dash(s: str) -> bool:
    """True for a cell that prints only a dash, the report's way of saying "nothing"."""
    stripped = s.strip()
    return bool(stripped) and all(char in DASHES for char in stripped)


def clean_text(s: str | None) -> str | None:
    """The normal form of a free-text cell, damaged characters repaired; None for a blank
    or dash-only cell. For text that was not repaired as a document (the diff's inputs)."""
    return normalize_text(repair_text(s)) if s is not None else None


def normalize_text(s: str | None) -> str | None:
    """The normal form of a repaired free-text cell; None for a blank or dash-only cell.

    Spaces between two Japanese characters are kept (they separate phrases); spaces
    between a Japanese character and a digit are a layout artefact ("令和 5 年度").
    """
    if s is None or not s.strip():
        return None
    # Spaced-out letters are rejoined line by line, before the wraps are joined: a wrap
    # inside a spaced run would otherwise glue two letters and break the run.
    text = join_wrapped(unspace_letters(s))
    text = _SPACES.sub(" ", text)
    text = _SPACE_AFTER_DIGIT.sub("", _SPACE_BEFORE_DIGIT.sub("", text))
    text = text.strip()
    if not text or is_dash(text):
        return None
    return text


def split_departments(cell: str | None, profile: Profile) -> list[str]:
    """The departments listed in a (repaired) 所管課 cell, wrapped names rejoined.

    Separators are the profile's (``[departments]``) and whitespace. Pieces whose join
    is a department the profile knows are one name; otherwise a piece that does not end
    with a suffix was wrapped mid-name and joins the next.

    >>> split_departments("デジタル政策課 文化振興・多文化共生推\\n進課")
    ['デジタル政策課', '文化振興・多文化共生推進課']
    """
    if cell is None:
        return []
    section = profile.departments
    separators = "".join(section.separators)
    groups = re.split(f"[{re.escape(separators)}]", cell) if separators else [cell]
    names: list[str] = []
    for group in groups:
        names.extend(_rejoin_wrapped(group.split(), section))
    return names


def _rejoin_wrapped(pieces: list[str], section: Departments) -> list[str]:
    known = frozenset(section.known)
    suffixes = section.suffixes
    suffix_only = frozenset(suffixes) | frozenset(section.suffix_only)
    names: list[str] = []
    index = 0
    while index < len(pieces):
        joined = _known_join(pieces, index, known)
        if joined is not None:
            names.append("".join(pieces[index:joined]))
            index = joined
            continue
        piece = pieces[index]
        previous = names[-1] if names else None
        if previous is not None and previous not in known and (
                not previous.endswith(suffixes) or piece in suffix_only):
            names[-1] += piece
        else:
            names.append(piece)
        index += 1
    return names


def _known_join(pieces: list[str], start: int, known: frozenset[str]) -> int | None:
    """The end of the longest run of pieces from ``start`` that joins into a known name."""
    for end in range(min(len(pieces), start + 4), start, -1):
        if "".join(pieces[start:end]) in known:
            return end
    return None
