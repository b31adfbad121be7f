"""A document → the one layout profile that fits it, by the attachment header or the
item shape it prints; a LayoutError naming every profile tried when not exactly one does."""

from __future__ import annotations

from pipeline.errors import LayoutError
from pipeline.profiles import BUILTIN_NAMES, Profile, builtin_profile
from pipeline.records import Document, Grid
from pipeline.tidy.attachment import find_item_header
from pipeline.tidy.repair import repair_document
from pipeline.tidy.reshape import prints_shaped_items


def choose_profile(document: Document, candidates: tuple[Profile, ...] | None = None) -> Profile:
    """The one profile whose attachment header the document prints, or whose item shape
    (``[shapes]``: a key–value block, with its year grid) it prints; a LayoutError that
    names every profile tried, and why it did not fit, when not exactly one does."""
    candidates = tuple(builtin_profile(n) for n in BUILTIN_NAMES) if candidates is None else candidates
    document = repair_document(document)
    fits, reasons = [], []
    for profile in candidates:
        grids = [b for b in document.blocks if isinstance(b, Grid)]
        if any(find_item_header(row, profile, document.source) is not None
               for grid in grids for row in grid.rows[:2]) or prints_shaped_items(document, profile):
            fits.append(profile)
        else:
            columns = profile.section("tables", "items", "columns")
            words = " and ".join("/".join(columns[c]) for c in
                                 profile.section("tables", "items", "identify"))
            starts = "/".join(word for shape in profile.section("shapes").get("key_value", [])
                              for word in shape.get("starts", []))
            reasons.append(f"{profile.name} (no attachment header naming {words}"
                           + (f", nor a key–value block starting {starts} with keys naming them)"
                              if starts else ")"))
    if len(fits) == 1:
        return fits[0]
    if fits:
        raise LayoutError(f"{document.source}: several profiles fit ({', '.join(p.name for p in fits)}); "
                          "choose one with --profile.")
    raise LayoutError(f"{document.source}: no layout profile fits; is this a progress report? "
                      "Tried " + "; ".join(reasons) + ". For another layout, write a profile "
                      "and pass it with --profile (see `pipeline profile show`).")

