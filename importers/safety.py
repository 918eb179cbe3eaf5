"""Checks that run before any spreadsheet parser touches a file: size, container, XML, dimensions.

They read only the zip directory and a few small XML parts, so a zip bomb, a billion-laughs
workbook or a sheet declaring a million rows is refused in milliseconds.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from sltdesk.errors import SltDeskError

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_ENTRIES = 10_000
MAX_UNCOMPRESSED = 2 * 1024 * 1024 * 1024
MAX_RATIO = 200  # real XLSX sheets compress 5-30x; bombs compress thousands of times
MAX_DECLARED_CELLS = 50_000_000
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\"")
_MAGIC = {b"%PDF": "a PDF document", b"\xd0\xcf\x11\xe0": "an old binary Office file (.xls/.doc); "
          "save it as .xlsx", b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
          b"SQLite format 3": "a database file"}


class UnsafeFileError(SltDeskError):
    """The file is refused before (or while) parsing; the message says why and what to do."""


def sniff_kind(path: Path) -> str:
    """'zip', 'text' or raise UnsafeFileError naming what the file really is."""
    with path.open("rb") as handle:
        head = handle.read(16)
    if not head:
        raise UnsafeFileError(f"{path.name} is empty.")
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise UnsafeFileError(f"{path.name} is not a spreadsheet: it is {what}.")
    return "text"


def check_xlsx_container(path: str | Path) -> None:
    """Refuse zip bombs, XML entity tricks and absurd declared sheet sizes in an XLSX/XLSM/ODS file."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise UnsafeFileError(f"{path.name} is {size / 2**20:,.0f} MB; files over {MAX_FILE_BYTES // 2**20} MB "
                              "are refused — split the export by period.")
    if sniff_kind(path) != "zip":
        raise UnsafeFileError(f"{path.name} is not a spreadsheet workbook (no XLSX/ODS container inside).")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            _check_entries(path, entries)
            for entry in entries:
                if entry.filename.endswith((".xml", ".rels")):
                    data, whole = _head_or_all(archive, entry)
                    _check_xml(path, entry.filename, data, sheet="worksheets/" in entry.filename, whole=whole)
    except zipfile.BadZipFile:
        raise UnsafeFileError(f"{path.name} is damaged or truncated (its zip directory cannot be read); "
                              "ask for the export again.") from None


def _check_entries(path: Path, entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ENTRIES:
        raise UnsafeFileError(f"{path.name} holds {len(entries):,} parts; a workbook has a few dozen — refused.")
    total = sum(e.file_size for e in entries)
    if total > MAX_UNCOMPRESSED:
        raise UnsafeFileError(f"{path.name} would unpack to {total / 2**30:,.1f} GB — refused as a zip bomb.")
    for entry in entries:
        if entry.file_size > 1024 * 1024 and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
            ratio = entry.file_size / max(entry.compress_size, 1)
            raise UnsafeFileError(f"{path.name}: part {entry.filename} is compressed {ratio:,.0f} to 1 "
                                  "— refused as a zip bomb.")


def _head_or_all(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> tuple[bytes, bool]:
    """Small parts whole (for the XML parser's check); big ones only their head, where a DTD must stand."""
    if entry.file_size < 1024 * 1024 and "worksheets/" not in entry.filename:
        return archive.read(entry), True
    with archive.open(entry) as handle:
        return handle.read(4096), False


def _check_xml(path: Path, name: str, data: bytes, *, sheet: bool, whole: bool) -> None:
    head = data[:4096]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise UnsafeFileError(f"{path.name}: part {name} declares a DTD or entities, which no spreadsheet "
                              "needs — refused (possible entity-expansion attack).")
    if sheet:
        match = _DIMENSION.search(head)
        if match and match.group(3):
            cells = _column_number(match.group(3)) * int(match.group(4))
            if cells > MAX_DECLARED_CELLS and _column_number(match.group(3)) > 1000:
                raise UnsafeFileError(
                    f"{path.name}: sheet part {name} declares {match.group(3).decode()}{int(match.group(4)):,} "
                    f"({cells:,} cells) — refused; export only the used range.")
    elif whole:
        try:
            fromstring(data)
        except DefusedXmlException:
            raise UnsafeFileError(f"{path.name}: part {name} uses forbidden XML constructs — refused.") from None
        except Exception:  # malformed XML is the parser's business, reported later
            return


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.decode():
        number = number * 26 + ord(char) - 64
    return number
