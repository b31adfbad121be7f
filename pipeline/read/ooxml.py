"""Checks an Office Open XML file (.xlsx, .docx) must pass before a library unzips it.

Office files are zip archives of XML parts, and a report downloaded from the web is
untrusted input. Before openpyxl or python-docx open one, this module reads only the
zip's central directory (no decompression) and refuses an archive that would unpack
to more than ``max_unzipped_bytes``, holds more than ``max_members`` parts, or packs
a part more densely than ``max_ratio`` (a zip bomb). It then parses the prolog of each
XML part (expat, in any encoding XML allows: UTF-8, UTF-16 with or without a byte-order
mark; streaming, up to the root element's start tag) and refuses a document type
declaration: OOXML never has one, and it is what entity-expansion ("billion laughs")
and external-entity attacks need. Python's zipfile never returns more bytes than the
central directory declares, so the checked sizes bound what the libraries can unpack.

A library that then fails on a damaged part (bad XML, a bad checksum, a part the
relationships name but the archive lacks, an index out of range) raises one of
``LIBRARY_DAMAGE``; ``damage_error`` turns it into an InputError naming the file and
the part, found by parsing every part again (only then, so a sound file pays nothing).

Stdlib only; the readers that use it are the only importers of their libraries.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any
from urllib.parse import unquote
from xml.etree import ElementTree
from xml.parsers import expat

from pipeline.errors import InputError
from pipeline.read.settings import resolve_settings

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: .xls/.doc, or encrypted OOXML
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_CHUNK = 65536
# Office writes a part's root tag within its first kilobyte; a megabyte of comments and
# processing instructions before it is not an Office file, and expat would hold it all.
_PROLOG_LIMIT = 1 << 20
_DECLARATIONS = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_NO_ITEM = re.compile(r"There is no item named '(.+)' in the archive")
_BAD_CRC = re.compile(r"Bad CRC-32 for file '(.+)'")

# What openpyxl, python-docx, lxml, ElementTree and zipfile raise on a damaged part
# (SyntaxError covers ElementTree's ParseError and lxml's XMLSyntaxError). Caught only
# around the libraries' calls, so that a bug in this project's code still shows as one.
# A member that does not unpack: a bad checksum or header, a cut or corrupt deflate
# stream, an unknown compression method, an encrypted member (RuntimeError).
_UNPACK_DAMAGE = (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError, RuntimeError)
# expat's encoding handler: an unknown name (LookupError), a multi-byte one (ValueError).
_UNKNOWN_ENCODING = (LookupError, ValueError)
LIBRARY_DAMAGE: tuple[type[Exception], ...] = (
    KeyError, IndexError, ValueError, TypeError, AttributeError, OverflowError, SyntaxError,
    OSError, *_UNPACK_DAMAGE)


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
        """Settings from None (the defaults), a dict of overrides, or an instance."""
        return resolve_settings(cls, settings)


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
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError, OSError):
        raise InputError(f"{path.name}: the file is damaged or truncated; it is not a "
                         f"readable {kind}.") from None
    with archive:
        members = archive.infolist()
        _check_sizes(path, members, limits)
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                _check_prolog(path, archive, member)
        _check_relationships(path, archive, members)


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


def _check_relationships(path: Path, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]
                         ) -> None:
    """Refuse a part that a relationships part names but the archive lacks: openpyxl
    skips a missing sheet, and reads a workbook without its styles, without a word."""
    present = {member.filename.lower() for member in members}
    for member in members:
        if not member.filename.endswith(".rels"):
            continue
        for target in _internal_targets(path, archive, member):
            if target.lower() not in present:
                raise InputError(f"{path.name}: the part {target} is missing ({member.filename} "
                                 "names it), and the file cannot be read without it.")


def _internal_targets(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo
                      ) -> list[str]:
    """The part names a .rels part points to inside the package, resolved as OPC does:
    relative to the folder of the part the relationships belong to."""
    try:
        root = ElementTree.fromstring(archive.read(member))
    except ElementTree.ParseError as error:
        raise InputError(f"{path.name}: the part {member.filename} is damaged (not well-formed "
                         f"XML at line {error.position[0]}); it was not read.") from None
    except _UNPACK_DAMAGE as error:
        raise InputError(_unpack_damage(path, member.filename, error)) from None
    base = posixpath.dirname(posixpath.dirname(member.filename))  # word/_rels/x.rels → word
    targets = []
    for relationship in root:
        target = relationship.get("Target")
        if target is None or relationship.get("TargetMode") == "External":
            continue
        target = unquote(target.split("#", 1)[0])
        if target:
            joined = target[1:] if target.startswith("/") else posixpath.join(base, target)
            targets.append(posixpath.normpath(joined))
    return targets


class _RootReached(Exception):
    """The root element's start tag: the prolog is over, the rest is the library's."""


class _Declared(Exception):
    """A document type declaration, or one written inside a processing instruction."""


def _stop_at_root(name: str, attributes: Any) -> None:
    raise _RootReached


def _refuse_doctype(*_: Any) -> None:
    raise _Declared


def _refuse_hidden_doctype(target: str, data: str) -> None:
    if _DECLARATIONS.search(data):
        raise _Declared


def _check_prolog(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Parse the part up to its root element's start tag; refuse a DOCTYPE (entities
    can only be declared inside one) and a prolog that is no Office file's."""
    if member.file_size == 0:
        raise InputError(f"{path.name}: the part {member.filename} is empty; it was not read.")
    parser = _prolog_parser()
    read = 0
    try:
        with archive.open(member) as stream:
            while read <= _PROLOG_LIMIT and (chunk := stream.read(_CHUNK)):
                read += len(chunk)
                parser.Parse(chunk, False)
            if read <= _PROLOG_LIMIT:
                parser.Parse(b"", True)
    except _RootReached:
        return
    except _Declared:
        raise InputError(f"{path.name}: the part {member.filename} declares a document type "
                         "or entities, which Office files never do; it was not read.") from None
    except expat.ExpatError as error:
        raise InputError(_not_well_formed(path, member.filename, error)) from None
    except _UNKNOWN_ENCODING:
        raise InputError(_unknown_encoding(path, member.filename)) from None
    except _UNPACK_DAMAGE as error:
        raise InputError(_unpack_damage(path, member.filename, error)) from None
    raise InputError(f"{path.name}: the part {member.filename} has more than "
                     f"{_PROLOG_LIMIT:,} bytes before its first element, which Office files "
                     "never have; it was not read.")


def _prolog_parser() -> Any:
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.ProcessingInstructionHandler = _refuse_hidden_doctype
    parser.StartElementHandler = _stop_at_root
    return parser


def _not_well_formed(path: Path, part: str, error: expat.ExpatError) -> str:
    return (f"{path.name}: the part {part} is damaged (not well-formed XML at line "
            f"{error.lineno}); it was not read.")


def _unknown_encoding(path: Path, part: str) -> str:
    return (f"{path.name}: the part {part} declares a text encoding the reader cannot decode "
            "(Office writes UTF-8 or UTF-16); it was not read.")


def _unpack_damage(path: Path, part: str, error: Exception) -> str:
    what = ("its checksum does not match its content" if "CRC" in str(error)
            else "its compressed data cannot be unpacked")
    return f"{path.name}: the part {part} is damaged ({what}); it was not read."


def find_damaged_part(path: Path) -> str | None:
    """The sentence naming the first part of the archive at ``path`` that does not
    unpack (bad checksum, bad compressed data) or is not well-formed XML; None if all are
    sound. Reads every part through, so it is for the error path only."""
    with zipfile.ZipFile(path) as archive:
        for member in archive.infolist():
            is_xml = member.filename.endswith((".xml", ".rels"))
            parser = expat.ParserCreate() if is_xml else None
            try:
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        if parser is not None:
                            parser.Parse(chunk, False)
                if parser is not None:
                    parser.Parse(b"", True)
            except expat.ExpatError as error:
                return _not_well_formed(path, member.filename, error)
            except _UNKNOWN_ENCODING:
                return _unknown_encoding(path, member.filename)
            except _UNPACK_DAMAGE as error:
                return _unpack_damage(path, member.filename, error)
    return None


def damage_error(path: Path, kind: str, error: Exception, part: str | None = None,
                 reason: str = "it holds a value or structure the format does not allow"
                 ) -> InputError:
    """One sentence naming ``path`` and the damaged part, for ``error`` (one of
    ``LIBRARY_DAMAGE``) raised by a library reading it. ``part`` is the part the library
    was reading, where the reader knows it; ``reason`` says what was wrong with it."""
    found = find_damaged_part(path)
    if found is not None:
        return InputError(found)
    message = str(error.args[0]) if error.args else ""
    missing = _NO_ITEM.search(message) if isinstance(error, KeyError) else None
    if missing is not None:
        return InputError(f"{path.name}: the part {missing.group(1)} is missing, and the "
                          "file cannot be read without it.")
    crc = _BAD_CRC.search(message) if isinstance(error, zipfile.BadZipFile) else None
    if crc is not None:  # a part that is not XML: find_damaged_part reads it, but to be sure
        return InputError(_unpack_damage(path, crc.group(1), error))
    if part is not None:
        return InputError(f"{path.name}: the part {part} is damaged ({reason}); it was not read.")
    return InputError(f"{path.name}: the file is not a {kind}: a part it needs is missing or "
                      "damaged.")
