"""Small vendor-shaped files built by the tests (quirks and hostile files), never read from shared/."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook


def tickets_workbook(path: Path, *, rows: list[list], title: bool = True, merged_header: bool = False,
                     total: bool = False, epoch1904: bool = False, formula_row: int | None = None) -> Path:
    """A ticket export: optional title rows, header, rows, optional total row and a formula without value."""
    book = Workbook()
    if epoch1904:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904

        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.title = "Incidents"
    if title:
        sheet.append(["Vendor Ltd — incident export"])
        sheet.append(["Generated 02.04.2026 06:00"])
        sheet.append([])
    header = ["Ticket #", "Sev", "Opened", "First Response", "Resolved", "Status"]
    if merged_header:  # "Times" spans C..E above the time headers, and "Ticket #" is merged over two rows
        first = 4 if title else 1  # the title block is three rows (max_row does not count the empty one)
        sheet.append(["Ticket #", "Sev", "Times", None, None, "Status"])
        sheet.append([None, None, "Opened", "First Response", "Resolved", None])
        sheet.merge_cells(start_row=first, start_column=3, end_row=first, end_column=5)
        sheet.merge_cells(start_row=first, start_column=1, end_row=first + 1, end_column=1)
        sheet.merge_cells(start_row=first, start_column=2, end_row=first + 1, end_column=2)
        sheet.merge_cells(start_row=first, start_column=6, end_row=first + 1, end_column=6)
    else:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    if formula_row is not None:
        sheet.cell(row=formula_row, column=5, value=f"=C{formula_row}+1")
    if total:
        sheet.append([])
        sheet.append(["Total tickets", None, None, None, None, len(rows)])
    book.save(path)
    return path


def ticket_rows(count: int, *, start: datetime = datetime(2026, 3, 2, 9, 0)) -> list[list]:
    rows = []
    for i in range(count):
        opened = start.replace(hour=9 + i % 8, minute=(7 * i) % 60)
        rows.append([f"T-{i + 1:04d}", f"P{1 + i % 4}", opened, opened.replace(minute=(opened.minute + 5) % 60),
                     opened.replace(day=opened.day + 1), "Closed"])
    return rows


def write_csv(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def rewrite_part(source: Path, target: Path, part: str, change) -> Path:
    """Copy a workbook, passing one XML part through `change(bytes) -> bytes`."""
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts[part] = change(parts[part])
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def billion_laughs(path: Path, base: Path) -> Path:
    entities = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    doctype = f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY l0 "lol">{entities}]>'

    def change(xml: bytes) -> bytes:
        body = re.sub(rb"^<\?xml[^>]*\?>", b"", xml)
        return doctype.encode() + body.replace(b"</sheetData>", b'<row r="9"><c r="A9" t="inlineStr"><is><t>&l9;'
                                                                    b"</t></is></c></row></sheetData>")
    return rewrite_part(base, path, "xl/worksheets/sheet1.xml", change)


def zip_bomb(path: Path, base: Path, megabytes: int = 300) -> Path:
    """A sheet part of `megabytes` of padding that compresses about a thousand to one."""
    with zipfile.ZipFile(base) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
            head = parts["xl/worksheets/sheet1.xml"]
            handle.write(head[: head.index(b"<sheetData>")])
            block = b" " * (1 << 20)
            for _ in range(megabytes):
                handle.write(block)
            handle.write(head[head.index(b"<sheetData>"):])
    return path


def huge_dimension(path: Path, base: Path) -> Path:
    return rewrite_part(base, path, "xl/worksheets/sheet1.xml",
                        lambda xml: re.sub(rb'<dimension ref="[^"]+"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml))


def far_cell(path: Path, base: Path) -> Path:
    """One real cell at XFD1048576 under a modest declared dimension: the parser must not take the app down."""
    return rewrite_part(base, path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'))
