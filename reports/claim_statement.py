"""The claim statement for one contract and period: what is owed and why (every line with its trace), what
the supplier credited, the claim deadline and the running balance — as a PDF (reportlab) or XLSX (openpyxl).

Supplier and credit-note text is untrusted: escaped before it goes into reportlab markup (in display order
and in fonts that have its characters, see reports.fonts; long words break, long rows continue), and written to
XLSX as plain text that can never become a formula. The business-impact estimate is internal and is not
part of a statement sent to the supplier.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from reports import fonts
from sltdesk import __version__
from sltdesk.domain.money import format_money
from sltdesk.domain.reconciliation import ReconciledPeriod

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def write_statement(path: Path, row: ReconciledPeriod, history: Sequence[ReconciledPeriod], *,
                    generated: date) -> Path:
    """Write the statement; the file type follows the suffix (.pdf or .xlsx)."""
    if path.suffix.lower() == ".pdf":
        _pdf(path, row, history, generated)
    elif path.suffix.lower() == ".xlsx":
        _xlsx(path, row, history, generated)
    else:
        raise ValueError("a claim statement is a .pdf or an .xlsx file")
    return path


def _summary(row: ReconciledPeriod, generated: date) -> list[tuple[str, str]]:
    pc = row.credits
    deadline = row.claim_deadline.isoformat() if row.claim_deadline else "none"
    return [("Contract", row.contract), ("Supplier", row.supplier), ("Period", row.period),
            ("Currency and rounding", f"{row.currency}, rounded {pc.rounding.value} to the minor unit at every step"),
            ("Charges for the period", format_money(pc.charges, row.currency)),
            ("Owed under the credit clauses", format_money(row.computed, row.currency)),
            ("Credited by the supplier", format_money(row.issued, row.currency)),
            ("Still owed", format_money(row.variance, row.currency)),
            ("Status", row.status_text), ("Claim deadline", f"{deadline} ({pc.deadline_trace})"),
            ("Prepared", f"{generated.isoformat()} with SLT Desk {__version__}")]


# --- PDF ---------------------------------------------------------------------------------------


def _fonts() -> tuple[str, str]:
    """DejaVu Sans has ≥, →, − and × (the standard PDF fonts do not), with CJK and emoji fallbacks."""
    fonts.register()
    return fonts.REGULAR, fonts.BOLD


def _pdf(path: Path, row: ReconciledPeriod, history: Sequence[ReconciledPeriod], generated: date) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    regular, bold = _fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=9, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, leftIndent=4 * mm)
    heading = ParagraphStyle("heading", parent=body, fontName=bold, fontSize=14, leading=18, spaceAfter=6)
    sub = ParagraphStyle("sub", parent=body, fontName=bold, fontSize=11, leading=14, spaceBefore=8, spaceAfter=4)

    def p(text: object, style=body) -> Paragraph:
        return Paragraph(fonts.markup(_CONTROL.sub("", str(text))), style)

    grid = TableStyle([("FONT", (0, 0), (-1, -1), regular, 8.5), ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
                       ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef7"))])
    story = [p(f"Service credit statement — {row.contract} — {row.period}", heading),
             Table([[p(k), p(v)] for k, v in _summary(row, generated)], colWidths=[50 * mm, 120 * mm],
                   style=TableStyle([("FONT", (0, 0), (-1, -1), regular, 9), ("VALIGN", (0, 0), (-1, -1), "TOP")]),
                   splitInRow=1)]
    story += [p("Why: every amount and how it was computed", sub)]
    for line in row.credits.lines:
        story.append(p(f"{line.target} — {line.kind.value}: {format_money(line.amount, row.currency)}"
                       + (f" ({line.band})" if line.band else ""), ParagraphStyle("l", parent=body, fontName=bold)))
        story += [p(f"{i}. {s.text}", small) for i, s in enumerate(line.trace, start=1)]
    for cap in row.credits.caps:
        story.append(p(f"Cap: {cap.trace[-1].text if cap.trace else cap.name}"))
    for flag in (f for f in row.credits.termination if f.triggered):
        story.append(p(f"Termination right: {flag.text}"))
    story += [Spacer(1, 4), p(f"Total owed for {row.period}: {format_money(row.computed, row.currency)}",
                              ParagraphStyle("t", parent=body, fontName=bold))]
    story.append(p("Credit notes received", sub))
    notes = [[p("Document"), p("Line"), p("Description"), p("Amount")]] + [
        [p(n.document_id), p(n.line), p(n.description), p(f"{n.amount:,} {n.currency}")] for n in row.notes]
    story.append(Table(notes if row.notes else notes + [[p("none"), "", "", ""]],
                       colWidths=[35 * mm, 15 * mm, 90 * mm, 30 * mm], style=grid, splitInRow=1))
    for warning in row.warnings:
        story.append(p(f"Note: {warning}"))
    story.append(p("Running balance", sub))
    story.append(Table([[p(h) for h in ("Period", "Owed", "Credited", "Still owed", "Balance", "Status")]]
                       + [[p(r.period), p(f"{r.computed:,}"), p(f"{r.issued:,}"), p(f"{r.variance:,}"),
                           p(f"{r.balance:,}"), p(r.status_text)] for r in history],
                       colWidths=[22 * mm, 28 * mm, 28 * mm, 28 * mm, 28 * mm, 36 * mm], style=grid, splitInRow=1))
    SimpleDocTemplate(str(path), pagesize=A4, title=f"Service credit statement {row.contract} {row.period}",
                      author="SLT Desk", leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                      bottomMargin=16 * mm).build(story)


# --- XLSX --------------------------------------------------------------------------------------


def safe_text(value: object) -> object:
    """Numbers stay numbers; text that could start a formula gets a leading apostrophe."""
    if value is None or isinstance(value, int | float | Decimal | date):
        return value
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_START) else text


def _xlsx(path: Path, row: ReconciledPeriod, history: Sequence[ReconciledPeriod], generated: date) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    if not isinstance(sheet, Worksheet):  # never: a new workbook opens on its one worksheet
        raise TypeError("a new workbook has no worksheet")
    sheet.title = "Statement"
    sheet.append([f"Service credit statement — {row.contract} — {row.period}"])
    sheet["A1"].font = Font(bold=True, size=14)
    for key, value in _summary(row, generated):
        _row(sheet, [key, value])
    sheet.append([])
    _row(sheet, ["Target", "Kind", "Band", "Amount", "Step", "How it was computed"], bold=True)
    for line in row.credits.lines:
        _row(sheet, [line.target, line.kind.value, line.band, line.amount], bold=True)
        for i, step in enumerate(line.trace, start=1):
            _row(sheet, ["", "", "", None, i, step.text])
    _row(sheet, ["Total owed", "", "", row.computed], bold=True)
    sheet.append([])
    _row(sheet, ["Credit notes received"], bold=True)
    _row(sheet, ["Document", "Line", "Description", "Amount", "Currency", "Source row"], bold=True)
    for n in row.notes:
        _row(sheet, [n.document_id, n.line, n.description, n.amount, n.currency, n.source_row])
    for warning in row.warnings:
        _row(sheet, ["Note", warning])
    for column, width in zip("ABCDEF", (34, 14, 34, 14, 8, 110), strict=True):
        sheet.column_dimensions[column].width = width
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.alignment = Alignment(vertical="top", wrap_text=cell.column == 6)
    balance = book.create_sheet("Balance")
    _row(balance, ["Period", "Owed", "Credited", "Still owed", "Balance", "Status"], bold=True)
    for r in history:
        _row(balance, [r.period, r.computed, r.issued, r.variance, r.balance, r.status_text])
    book.save(path)


def _row(sheet, values: list, *, bold: bool = False) -> None:
    from openpyxl.styles import Font

    sheet.append([safe_text(v) for v in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, Decimal):
            cell.number_format = "#,##0.00"
        elif isinstance(cell.value, str):
            cell.data_type = "s"  # text is text, whatever it starts with
        if bold:
            cell.font = Font(bold=True)
