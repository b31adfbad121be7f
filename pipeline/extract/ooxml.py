"""Checks an Office Open XML file (.xlsx, .docx) must pass before a library unzips it.

Office files are zip archives of XML parts, and a report downloaded from the web is
untrusted input. Before openpyxl or python-docx open one, this module reads only the
zip's central directory (no decompression) and refuses an archive that would unpack
to more than ``max_unzipped_bytes``, holds more than ``max_members`` parts, or packs
a part more densely than ``max_ratio`` (a zip bomb). It then reads the start of each
XML part and refuses a document type declaration: OOXML never has one, and it is
what entity-expansion ("billion laughs") and external-entity attacks need. Python's
zipfile never returns more bytes than the central directory declares, so the checked
sizes bound what the libraries can unpack.

Stdlib only; the readers that use it are the only importers of their libraries.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, cast

from pipeline.errors import InputError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: .xls/.doc, or encrypted OOXML
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_PROLOG_BYTES = 65536  # a part's XML declaration and root tag come long before this


@dataclass(frozen=True)
class OfficeSettings:
    """Limits on an Office file's zip archive, checked before anything is unzipped."""

    # A 10-sheet, 1,000-row workbook unpacks to ~5 MB; a ward's 別紙 to well under 1.
    max_unzipped_bytes: int = 256 * 1024 * 1024
    max_members: int = 10_000
    # XML compresses 10–30× (the sample: 8×); 200× over a megabyte is a zip bomb.
    max_ratio: float = 200.0

    def __post_init__(self) -> None:
        for item in fields(self):
            if getattr(self, item.name) <= 0:
                raise ValueError(f"{item.name} must be above 0, not {getattr(self, item.name)}")

    @classmethod
    def resolve(cls, settings: OfficeSettings | dict[str, Any] | None) -> OfficeSettings:
        if settings is None:
            return cls()
        if isinstance(settings, cls):
            return settings
        return cls(**cast(dict[str, Any], settings))


def check_office_file(path: Path, kind: str, settings: OfficeSettings | dict[str, Any] | None = None
                      ) -> None:
    """Raise an InputError naming ``path`` unless it is a safe-looking OOXML archive.

    ``kind`` is what the file should be, for messages: "Excel workbook (.xlsx)".
    """
    limits = OfficeSettings.resolve(settings)
    if not path.is_file():
        raise InputError(f"{path}: no such file.")
    with path.open("rb") as stream:
        head = stream.read(len(_OLE_MAGIC))
        if head == _OLE_MAGIC:
            stream.seek(0)
            if _ENCRYPTED in stream.read(1 << 20):
                raise InputError(f"{path.name}: the file is password-protected (encrypted); "
                                 "save a copy without a password and convert that.")
            raise InputError(f"{path.name}: this is an Office 97–2003 file (.xls/.doc) with a "
                             f"new-style name; save it as an {kind} or print it to PDF.")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            _check_sizes(path, members, limits)
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    _check_prolog(path, archive, member)
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError):
        raise InputError(f"{path.name}: the file is damaged or truncated; it is not a "
                         f"readable {kind}.") from None


def _check_sizes(path: Path, members: list[zipfile.ZipInfo], limits: OfficeSettings) -> None:
    if len(members) > limits.max_members:
        raise InputError(f"{path.name}: the archive holds {len(members)} parts, more than the "
                         f"{limits.max_members} an Office file may have; it was not unzipped.")
    total = sum(member.file_size for member in members)
    if total > limits.max_unzipped_bytes:
        raise InputError(f"{path.name}: the archive would unzip to {total:,} bytes, more than "
                         f"the limit of {limits.max_unzipped_bytes:,}; it was not unzipped.")
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > (1 << 20) and ratio > limits.max_ratio:
            raise InputError(f"{path.name}: the part {member.filename} is compressed "
                             f"{ratio:,.0f} to 1 (a zip bomb?); it was not unzipped.")


def _check_prolog(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    with archive.open(member) as stream:
        start = stream.read(_PROLOG_BYTES)
    upper = start.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise InputError(f"{path.name}: the part {member.filename} declares a document type "
                         "or entities, which Office files never do; it was not read.")
