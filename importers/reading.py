"""Reading a file into plain rows: XLSX/XLSM/ODS through python-calamine, CSV with detection."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from importers.safety import UnsafeFileError, check_xlsx_container, sniff_kind
from sltdesk.domain.cells import column_index, column_letter  # noqa: F401 - importers use them from here

_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@dataclass
class RawSheet:
    """A sheet's cells as Python values; `first_row` is the 1-based sheet row of rows[0]."""

    name: str
    rows: list[list[Any]]
    first_row: int = 1
    first_col: int = 0
    sheet_names: list[str] = field(default_factory=list)
    date1904: bool = False
    decimal_comma: bool = False
    notes: list[str] = field(default_factory=list)
    csv_text: str | None = None  # CSV not in UTF-8: the whole text, decoded (rows holds only the first lines)
    csv_delimiter: str = ","
    xlsx_path: Path | None = None  # a workbook's file and sheet, for the formula scan when it is needed
    sheet_index: int = 0
    csv_path: Path | None = None  # a CSV file: its body is read from here (UTF-8) or from csv_text
    csv_codec: str = "utf-8"
    csv_line_ends: list[int] = field(default_factory=list)  # lines read up to the end of each row of `rows`


def read_table(path: Path, *, sheet: str | None = None) -> RawSheet:
    """Read the chosen (or first non-empty visible) sheet of a workbook, or a CSV file."""
    if sniff_kind(path) == "zip":
        check_xlsx_container(path)
        return _read_workbook(path, sheet)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".ods"):
        raise UnsafeFileError(f"{path.name} is named like a workbook but is not one (no zip container inside); "
                              "it may be a renamed CSV or a damaged download.")
    return _read_csv(path)


def _read_workbook(path: Path, wanted: str | None) -> RawSheet:
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as error:
        raise UnsafeFileError(f"{path.name} cannot be read as a workbook ({error}).") from None
    names = list(book.sheet_names)
    visible = [m.name for m in book.sheets_metadata if m.visible == SheetVisibleEnum.Visible]
    if wanted is not None and wanted not in names:
        raise UnsafeFileError(f"{path.name} has no sheet '{wanted}'; its sheets are: {', '.join(names)}.")
    candidates = [wanted] if wanted else visible or names
    for name in candidates:
        sheet = book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=True)
        if rows or wanted:
            start = sheet.start or (0, 0)
            raw = RawSheet(name=name, rows=rows, first_row=start[0] + 1, first_col=start[1], sheet_names=names)
            if path.suffix.lower() != ".ods":
                raw.xlsx_path, raw.sheet_index = path, names.index(name)
                raw.date1904 = _date1904(path)
            _fill_merged(raw, sheet.merged_cell_ranges or [])
            return raw
    raise UnsafeFileError(f"{path.name} has no sheet with data.")


def _fill_merged(raw: RawSheet, ranges: list) -> None:
    """Merged cells read their top-left value (headers spanning columns or rows)."""
    for (r0, c0), (r1, c1) in ranges:
        top = r0 - (raw.first_row - 1)
        left = c0 - raw.first_col
        if not (0 <= top < len(raw.rows)) or left < 0 or left >= len(raw.rows[top]):
            continue
        value = raw.rows[top][left]
        if r1 - r0 > 20:  # a tall merged block is decoration, not a header
            continue
        for r in range(max(top, 0), min(r1 - (raw.first_row - 1), len(raw.rows) - 1) + 1):
            for c in range(left, min(c1 - raw.first_col, len(raw.rows[r]) - 1) + 1):
                if raw.rows[r][c] in ("", None):
                    raw.rows[r][c] = value


def _date1904(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return bool(re.search(rb'date1904="(1|true)"', archive.read("xl/workbook.xml")))
    except (KeyError, zipfile.BadZipFile):
        return False


def uncached_formulas(raw: RawSheet) -> list[tuple[int, int]]:
    """Formula cells without a saved value — (sheet row, column) — found in the sheet's XML.

    Calamine reads such a cell as empty, so callers only need this when a mapped cell is empty.
    """
    if raw.xlsx_path is None:
        return []
    try:
        with zipfile.ZipFile(raw.xlsx_path) as archive:
            part = _sheet_part(archive, archive.read("xl/workbook.xml"), raw.sheet_index)
            data = archive.read(part) if part else b""
    except (KeyError, zipfile.BadZipFile):
        return []
    return _uncached_formulas(data) if b"<f" in data else []


def _uncached_formulas(data: bytes) -> list[tuple[int, int]]:
    """Cells holding a formula but no cached value (the DTD check already ran on this part)."""
    from xml.etree.ElementTree import iterparse  # entities were refused by check_xlsx_container

    found: list[tuple[int, int]] = []
    for _event, element in iterparse(io.BytesIO(data)):
        if element.tag != f"{_NS}c":
            continue
        formula = element.find(f"{_NS}f")
        value = element.find(f"{_NS}v")
        if formula is not None and (value is None or not (value.text or "").strip()):
            ref = _CELL_REF.match(element.get("r", ""))
            if ref:
                found.append((int(ref.group(2)), column_index(ref.group(1))))
        element.clear()
    return found


def _sheet_part(archive: zipfile.ZipFile, workbook: bytes, index: int) -> str | None:
    ids = re.findall(rb'<sheet\b[^>]*?r:id="([^"]+)"', workbook)
    if index >= len(ids):
        return None
    rels = archive.read("xl/_rels/workbook.xml.rels")
    for rel in re.finditer(rb"<Relationship\b[^>]*>", rels):
        tag = rel.group(0)
        if re.search(rb'Id="' + re.escape(ids[index]) + rb'"', tag):
            found = re.search(rb'Target="([^"]+)"', tag)
            if found is None:  # a relationship without a target: no part to read, as when the id is missing
                return None
            target = found.group(1).decode()
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None




def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _csv_text(path: Path) -> tuple[str, str, bool]:
    """(text, encoding, whether it is plain ASCII): for plain ASCII, only the text of the first 128 KiB."""
    ascii_only, head_bytes = True, b""
    with path.open("rb") as handle:  # 1 MiB at a time: is the text plain ASCII (so UTF-8)?
        for block in iter(lambda: handle.read(1 << 20), b""):
            head_bytes = head_bytes or block[:1 << 17]
            if not block.isascii() or b"\0" in block:  # NUL bytes: UTF-16 without a byte order mark
                ascii_only = False
                break
    if ascii_only:  # the common case: no need to decode the whole file to know it is UTF-8
        return head_bytes.decode("ascii"), "UTF-8", True
    try:
        return *_decode(path.read_bytes()), False
    except UnicodeDecodeError as error:  # a byte-order mark, then bytes that are not that encoding
        raise UnsafeFileError(f"{path.name} starts as {error.encoding.upper()} text but holds bytes that are "
                              f"not (at byte {error.start:,}); it may be damaged: export it again.") from None


def _read_csv(path: Path) -> RawSheet:
    text, encoding, ascii_only = _csv_text(path)
    if "\0" in text[:65536]:
        raise UnsafeFileError(f"{path.name} is not a text file (it holds binary data); export the table as CSV "
                              "or XLSX and import that.")
    carriage_returns = "\r" in text[:65536] and "\n" not in text[:65536]
    if carriage_returns:  # lines ended by CR alone (old Mac exports): read as ordinary lines
        text = (path.read_bytes().decode("ascii") if ascii_only else text).replace("\r", "\n")
    sample = text[:20000]
    delimiter = _delimiter(sample)
    head = text[:65536]
    reader = csv.reader(io.StringIO(head), delimiter=delimiter)
    rows, line_ends = [], []
    try:
        for row in reader:
            rows.append(row)
            line_ends.append(reader.line_num)
    except csv.Error as error:
        raise UnsafeFileError(f"{path.name} does not read as CSV text (line {reader.line_num}: {error}); it may be "
                              "binary or damaged.") from None
    if len(head) < len(text):
        rows = rows[:-1][:60]  # the last line of the head may be cut short
    codec = _CODECS[encoding]
    raw = RawSheet(name=path.name, rows=[list(r) for r in rows], sheet_names=[path.name],
                   csv_text=None if codec.startswith("utf-8") and not carriage_returns else text,
                   csv_delimiter=delimiter, csv_path=path,
                   csv_codec=codec, csv_line_ends=line_ends[:len(rows)])
    # With another separator, a comma between digits is a decimal comma (25,0 — 1.234,56).
    raw.decimal_comma = delimiter != "," and bool(re.search(r"\d,\d", sample))
    raw.notes.append(f"read as {encoding} text, columns separated by '{_show(delimiter)}'"
                     + (", decimal comma" if raw.decimal_comma else ""))
    return raw


def _show(delimiter: str) -> str:
    return {"\t": "tab"}.get(delimiter, delimiter)


_CODECS = {"UTF-8 (with BOM)": "utf-8-sig", "UTF-16": "utf-16", "UTF-8": "utf-8", "Windows-1252": "cp1252"}


def _decode(data: bytes) -> tuple[str, str]:
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                      (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name), "UTF-16" if "16" in name else "UTF-8 (with BOM)"
    if len(data) > 3 and data[1:2] == b"\0" and data[3:4] == b"\0":
        return data.decode("utf-16-le", errors="replace"), "UTF-16"
    if len(data) > 3 and data[0:1] == b"\0" and data[2:3] == b"\0":
        return data.decode("utf-16-be", errors="replace"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def _delimiter(sample: str) -> str:
    lines = [line for line in sample.splitlines()[:50] if line.strip()]
    best, best_score = ",", -1.0
    for candidate in (";", ",", "\t", "|"):
        counts = [line.count(candidate) for line in lines]
        if not counts or max(counts) == 0:
            continue
        common = max(set(counts), key=counts.count)
        score = common * counts.count(common) / len(counts)
        if score > best_score:
            best, best_score = candidate, score
    return best


def list_sheets(path: Path) -> list[str]:
    """The visible sheets of a workbook (after the safety checks), or the file name for a CSV."""
    if sniff_kind(path) != "zip":
        return [path.name]
    check_xlsx_container(path)
    from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as error:
        raise UnsafeFileError(f"{path.name} cannot be read as a workbook ({error}).") from None
    visible = [m.name for m in book.sheets_metadata if m.visible == SheetVisibleEnum.Visible]
    return visible or list(book.sheet_names)
