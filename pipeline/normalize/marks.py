"""Grades as printed (◎ ○ △ ×, A–D, 1–5…) → the grade of the report's own scale.

The scale is the profile's: its grades in order, each with its printed forms (look-alike
characters a word processor offers: 〇 is the kanji zero, ◯ a large circle; NFKC merges
none of them, so the forms are listed), and the canonical status it maps to where one
fits. A report's printed legend may add forms: ``legend_to_grades`` maps each legend
entry to the grade whose meaning words its text holds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from pipeline.profiles import Grade, Profile
from schemas.vocabulary import MARK_ORDER, STATUS_BY_MARK, STATUS_ORDER

__all__ = ["MARK_ORDER", "STATUS_BY_MARK", "STATUS_ORDER", "Grades", "LegendEntry",
           "is_status_mark", "legend_to_grades", "normalize_mark", "profile_grades",
           "read_grade", "split_grade_label"]
Grades = Mapping[str, Grade]  # printed form → grade
# What may follow a grade printed with words around it: ◎(予定以上), A 目標どおり.
_DECORATION = re.compile(r"[\s(（\[【「:：・]")


@dataclass(frozen=True)
class LegendEntry:
    """One line of the printed legend, and the grade it was read as (None: no grade)."""

    mark: str
    meaning: str
    grade: str | None
    status: str | None


def profile_grades(profile: Profile) -> dict[str, Grade]:
    return dict(profile.grade_by_form)


def legend_to_grades(entries: Iterable[tuple[str, str]], profile: Profile,
                     scale: str = "items") -> tuple[dict[str, Grade], tuple[LegendEntry, ...]]:
    """The profile's grades plus the printed legend's marks, and the legend as read.

    ``scale`` is the scale the legend defines: "items" (``[grades]``) or "indicators"
    (``[indicator_grades]``). An entry's meaning picks the grade whose meaning words it
    holds (the longest word wins); a mark whose meaning matches no grade keeps its own
    grade if it is one of the profile's forms (``達成A`` listed as a form of A), and
    otherwise is no grade (a cell printing it is a failure).
    """
    grades_of_scale = profile.scale(scale)
    grades = {form: grade for grade in grades_of_scale for form in grade.forms}
    read = []
    for mark, meaning in entries:
        grade = _grade_by_meaning(meaning, grades_of_scale) or _grade_in_mark(mark, grades)
        if grade is not None:
            grades[mark] = grade
        read.append(LegendEntry(mark, meaning, grade.mark if grade else None,
                                grade.status if grade else None))
    return grades, tuple(read)


def _grade_in_mark(mark: str, grades: Grades) -> Grade | None:
    """The grade a legend's mark cell prints: one of its forms, or a form with a word
    before or after it (達成A, A(達成)); never a letter inside a longer code (AB)."""
    if mark in grades:
        return grades[mark]
    for form in sorted(grades, key=len, reverse=True):
        if mark.endswith(form) and not _joins(mark[-len(form) - 1], form[0]):
            return grades[form]
        if mark.startswith(form) and not _joins(form[-1], mark[len(form)]):
            return grades[form]
    return None


def _joins(left: str, right: str) -> bool:
    """Two characters that make one code or word when side by side (A and B, 1 and 2)."""
    return left.isascii() and right.isascii() and left.isalnum() and right.isalnum()


def _grade_by_meaning(meaning: str, scale: tuple[Grade, ...]) -> Grade | None:
    squeezed = "".join(meaning.split())
    scored = [(len(word), grade) for grade in scale for word in grade.meanings
              if word and word in squeezed]
    return max(scored, key=lambda pair: pair[0])[1] if scored else None


def read_grade(s: str | None, grades: Grades, decorated: bool = False
               ) -> Grade | None:
    """The grade a status cell prints; None for a blank cell; ValueError for other text.

    With ``decorated`` (a profile whose cells print ``◎(予定以上)``), the leading form
    decides and the words after it are ignored.

    >>> from pipeline.profiles import builtin_profile
    >>> read_grade("〇 ", builtin_profile().grade_by_form).mark
    '○'
    """
    if s is None or not s.strip():
        return None
    text = s.strip()
    if text in grades:
        return grades[text]
    if decorated:
        for form in sorted(grades, key=len, reverse=True):
            rest = text[len(form):]
            if text.startswith(form) and _DECORATION.match(rest):
                return grades[form]
    raise ValueError(f"not a status mark: {s!r}")


def normalize_mark(s: str | None, grades: Grades, decorated: bool = False
                   ) -> str | None:
    """The canonical mark of a printed status cell; None for a blank cell."""
    grade = read_grade(s, grades, decorated)
    return grade.mark if grade else None


def is_status_mark(s: str | None, grades: Grades, decorated: bool = False) -> bool:
    """True when the cell prints exactly one grade (any of its forms)."""
    try:
        return read_grade(s, grades, decorated) is not None
    except ValueError:
        return False


def split_grade_label(s: str, grades: Grades) -> tuple[Grade, str]:
    """'◎ 目標を大きく上回る…' → (the ◎ grade, '目標を大きく上回る…'): a count-table label."""
    text = s.strip()
    for form in sorted(grades, key=len, reverse=True):
        if text.startswith(form):
            rest = text[len(form):]
            if not rest or not (form[-1].isascii() and rest[0].isascii() and rest[0].isalnum()):
                return grades[form], rest.strip()
    raise ValueError(f"not a grade and its label: {s!r}")
