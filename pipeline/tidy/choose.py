"""A document → the one layout profile that fits it, by the tables its words claim; a
LayoutError naming every profile tried, and why each did not fit, when none does.

A profile fits when its words claim every table of the document (``document_to_claims``:
a key–value block or year grid of its ``[shapes]`` is reshaped first) and the report has
the attachment the profile requires. Of several that fit, the one claiming the most tables
by a kind of their own (a table to skip does not count) is chosen, with a sentence saying
why; two that claim as many are refused by name, never picked by their order. A report
without an attachment (群馬-like, 愛知-like) is chosen like any other.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.errors import LayoutError
from pipeline.profiles import BUILTIN_NAMES, Profile, builtin_profile
from pipeline.records import Document, Grid
from pipeline.tidy.repair import repair_document
from pipeline.tidy.structure import document_to_claims

# A table kind as a sentence names it.
KIND_NAMES = {"status_summary": "status counts", "indicators": "indicators", "items": "attachment",
              "legend": "legend", "skip": "skipped"}


@dataclass(frozen=True)
class ProfileFit:
    """A profile and the kind each of the document's tables is claimed as, in document
    order; ``problem`` says why the profile does not fit (None: it fits)."""

    profile: Profile
    tables: tuple[str, ...]
    problem: str | None = None

    @property
    def claimed(self) -> int:
        """The tables claimed by a kind of their own: all but those to skip."""
        return sum(1 for kind in self.tables if kind in KIND_NAMES and kind != "skip")

    def kinds(self) -> str:
        """'indicators (3), legend, status counts': what the profile's words claim."""
        counted = Counter(KIND_NAMES[kind] for kind in self.tables if kind in KIND_NAMES)
        return ", ".join(name if n == 1 else f"{name} ({n})" for name, n in sorted(counted.items()))


def profile_fit(document: Document, profile: Profile) -> ProfileFit:
    """Which table kind of ``profile`` claims each table of ``document``, or why the
    profile does not fit it: no attachment where one is required, or a table none of its
    kinds claims (named by where it starts), or a table its kind cannot read."""
    try:
        claims = document_to_claims(document, profile)
    except LayoutError as error:
        return ProfileFit(profile, (), _without_source(str(error), document.source))
    grids = [claim for claim in claims.blocks if isinstance(claim.block, Grid)]
    kinds = tuple(claim.kind for claim in grids)
    if "items" not in kinds and profile.table_required("items"):
        return ProfileFit(profile, kinds, _no_attachment(profile))
    unclaimed = next((claim for claim in grids if claim.problem is not None), None)
    if unclaimed is not None and unclaimed.problem is not None:
        return ProfileFit(profile, kinds, _without_source(unclaimed.problem, document.source))
    return ProfileFit(profile, kinds)


def choose_fit(document: Document, candidates: tuple[Profile, ...]) -> tuple[ProfileFit, str]:
    """The fit of the one candidate that fits best, and the sentence saying why it was
    chosen; a LayoutError naming every candidate and why it did not fit when none does,
    or the candidates that fit equally well."""
    fits = [profile_fit(document, profile) for profile in candidates]
    fitting = sorted((fit for fit in fits if fit.problem is None), key=lambda f: -f.claimed)
    if not fitting:
        raise LayoutError(f"{document.source}: no layout profile fits; is this a progress "
                          "report? Tried " + "; ".join(f"{fit.profile.name} ({fit.problem})"
                                                       for fit in fits)
                          + ". For another layout, write a profile and pass it with --profile "
                          "(see `pipeline profile show`).")
    best = fitting[0]
    equal = [fit for fit in fitting if fit.claimed == best.claimed]
    if len(equal) > 1:
        raise LayoutError(f"{document.source}: several profiles fit equally "
                          f"({', '.join(fit.profile.name for fit in equal)}: each claims "
                          f"{best.claimed} table(s), {best.kinds()}); choose one with --profile.")
    why = f"{best.profile.name}: its words claim every table of the report ({best.kinds()})"
    fewer = [fit for fit in fitting if fit is not best]
    if fewer:
        why += "; fitting too, with fewer tables of their own: " + ", ".join(
            f"{fit.profile.name} ({fit.kinds()})" for fit in fewer)
    return best, why


def _no_attachment(profile: Profile) -> str:
    columns = profile.tables.items.columns
    words = " and ".join("/".join(columns.words(c)) for c in profile.tables.items.identify)
    starts = "/".join(word for shape in profile.shapes.key_value
                      for word in shape.starts)
    return (f"no attachment header naming {words}"
            + (f", nor a key–value block starting {starts} with keys naming them" if starts else ""))


def _without_source(message: str, source: str) -> str:
    """A stage's sentence as a reason inside another: without the file it names first and
    the list of what the profile looks for, without its full stop."""
    message = message.removeprefix(f"{source}: ")
    return message.split("; the profile looks for", 1)[0].rstrip(".")


def choose_profile(document: Document, candidates: tuple[Profile, ...] | None = None) -> Profile:
    """The one candidate (the built-in profiles, by default) that fits ``document`` best."""
    return choose_profile_why(document, candidates)[0]


def choose_profile_why(document: Document, candidates: tuple[Profile, ...] | None = None
                       ) -> tuple[Profile, str]:
    """``choose_profile``'s profile and the sentence saying why it was chosen
    (report.json's ``profile_chosen``)."""
    candidates = tuple(builtin_profile(n) for n in BUILTIN_NAMES) if candidates is None else candidates
    fit, why = choose_fit(repair_document(document), candidates)
    return fit.profile, why
