"""The joint-review pack on a small real workspace: PDF text against the CLI's JSON, the XLSX rows behind it,
hostile text, determinism, running headers and repeated table headers."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import pytest
from pypdf import PdfReader

from models.workspace import open_workspace
from reports.review_pack import write_pack
from sltdesk.cli import main
from sltdesk.domain.money import format_money
from sltdesk.domain.reviews import RootCause, RootCauseMethod
from sltdesk.services import reviews as svc
from sltdesk.services.pack import build_pack
from sltdesk.services.pack_view import PackOptions
from tests.adapters.review_setup import FORMULA, HOSTILE, SUPPLIER, small_supplier, two_reviews
from tests.exact import exactly


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> tuple[str, dict]:
    folder = tmp_path_factory.mktemp("pack")
    path = folder / "small.sltdesk"
    ws = open_workspace(path, create=True, user="alice")
    ids = small_supplier(ws, folder)
    ids.update(two_reviews(ws, ids))
    ws.close()
    return str(path), ids


def _cli(capsys, *args: str):
    assert main(list(args)) == 0
    return capsys.readouterr().out


def _text(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(str(path)).pages]


@pytest.fixture(scope="module")
def pack(small, tmp_path_factory) -> dict:
    path, _ = small
    folder = tmp_path_factory.mktemp("out")
    pdf, xlsx = folder / "pack.pdf", folder / "data.xlsx"
    assert main(["pack", "-w", path, "--supplier", SUPPLIER, "--period", "2026-06", "--out", str(pdf),
                 "--xlsx", str(xlsx)]) == 0
    return {"pdf": pdf, "xlsx": xlsx, "pages": _text(pdf)}


def test_the_pdf_holds_the_credit_total_and_the_attainment_the_cli_prints(small, pack, capsys):
    path, _ = small
    credits = json.loads(_cli(capsys, "penalties", "-w", path, "--contract", "SP-1", "--period", "2026-06", "--json"))
    attainment = json.loads(_cli(capsys, "attainment", "-w", path, "--contract", "SP-1", "--period", "2026-06",
                                 "--json"))
    text = "\n".join(pack["pages"])
    assert credits["total"] == "1500.00"
    assert format_money(Decimal(credits["total"]), "GBP") in text  # "GBP 1,500.00"
    for line in credits["lines"]:
        assert format_money(Decimal(line["amount"]), "GBP") in text
    assert [(a["target"], a["achieved_text"]) for a in attainment] == [("Availability", "99.8843"),
                                                                        ("a < b P1 response", "50.0000")]
    assert exactly(attainment[0]["achieved"], 43_150, 43_200)  # 50 minutes down of 30 days, not rounded
    for figure in attainment:
        assert figure["achieved_text"] in text
    assert "Availability missed 3 periods in a row (2026-04 – 2026-06): the root-cause record is still open" in text


def test_the_xlsx_holds_the_rows_behind_the_figures(pack):
    book = openpyxl.load_workbook(pack["xlsx"])
    assert book.sheetnames == ["Attainment", "Tickets", "Outages", "Intervals", "Exclusions", "Breaches", "Credits",
                               "Actions"]
    outages = list(book["Outages"].iter_rows(values_only=True))
    header = outages[0]
    [june] = [dict(zip(header, row, strict=True)) for row in outages[1:]]
    assert (june["outage id"], june["downtime minutes"], june["start (UTC)"]) == ("O-4", 50, datetime(2026, 6, 9, 14))
    tickets = [dict(zip(book["Tickets"][1], row, strict=False)) for row in book["Tickets"].iter_rows(min_row=2)]
    assert len(tickets) == 2
    attainment = book["Attainment"]
    june_rows = [r for r in attainment.iter_rows(min_row=2, values_only=True) if r[2] == "2026-06"]
    assert [r[1] for r in june_rows] == ["Availability", "a < b P1 response"]
    assert abs(june_rows[0][7] - 4_315_000 / 43_200) < 1e-9 and june_rows[1][7] == 50  # the figure, unrounded
    header = next(attainment.iter_rows(max_row=1, values_only=True))
    assert header[8:11] == ("met", "data", "data covers")
    assert [r[9] for r in june_rows] == ["complete", "complete"]
    assert june_rows[0][10].startswith("data covers 1 Jun 00:00 – 1 Jul 00:00")
    cells = [row for row in attainment.iter_rows(min_row=2) if row[2].value == "2026-06"]
    assert cells[0][7].number_format == "0.0000"  # shown as the pack shows it: 99.8843
    credits = [r for r in book["Credits"].iter_rows(min_row=2, values_only=True)]
    total = next(r[7] for r in credits if r[2] == "TOTAL")
    amounts = {r[2]: r[7] for r in credits if r[2] != "TOTAL"}
    assert total == 1500 and amounts == {"Availability": 1000, "a < b P1 response": 500}
    assert any("× " in (r[10] or "") for r in credits)  # the trace is there, step by step
    ws = book["Attainment"]
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:P{ws.max_row}"


def test_hostile_text_prints_literally_and_formula_text_stays_text(pack):
    text = "\n".join(pack["pages"])
    for hostile in HOSTILE:
        assert hostile in text
    book = openpyxl.load_workbook(pack["xlsx"])
    actions = book["Actions"]
    cell = next(c for c in actions["B"] if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert cell.value == "'" + FORMULA + " " + HOSTILE[3] and cell.data_type == "s"
    numbers = [c for c in book["Attainment"]["H"][1:] if c.value is not None]
    assert numbers and all(c.data_type == "n" for c in numbers)


def test_the_same_workspace_and_options_give_the_same_pack(small, tmp_path):
    path, _ = small
    ws = open_workspace(path, user="bob")
    try:
        first = build_pack(ws, PackOptions(SUPPLIER, "2026-06")).view
        second = build_pack(ws, PackOptions(SUPPLIER, "2026-06")).view
    finally:
        ws.close()
    assert first == second
    write_pack(tmp_path / "a.pdf", first, generated=datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    write_pack(tmp_path / "b.pdf", second, generated=datetime(2026, 7, 2, 17, 30, tzinfo=UTC))
    a, b = _text(tmp_path / "a.pdf"), _text(tmp_path / "b.pdf")
    assert [p for p in a if "2026-07-01 09:00" not in p] == [p for p in b if "2026-07-02 17:30" not in p]
    assert len([p for p in a if "2026-07-01 09:00" in p]) == 1 and a[1:] == b[1:]  # only the cover differs


def test_every_page_has_the_running_header_and_long_tables_repeat_their_header(small, tmp_path):
    path, ids = small
    copy = tmp_path / "copy.sltdesk"
    shutil.copy(path, copy)
    ws = open_workspace(copy, user="alice")
    try:
        for n in range(70):
            svc.add_action(ws, ids["june"], f"Action number {n} with a long enough text to wrap once or twice "
                                            "in its table cell", owner="Ann", due_on=date(2026, 8, 1))
        view = build_pack(ws, PackOptions(SUPPLIER, "2026-06", paper="letter")).view
    finally:
        ws.close()
    pages = write_pack(tmp_path / "long.pdf", view, generated=datetime(2026, 7, 1, tzinfo=UTC))
    reader = PdfReader(str(tmp_path / "long.pdf"))
    assert len(reader.pages) == pages and float(reader.pages[0].mediabox.width) == 612  # US Letter
    texts = _text(tmp_path / "long.pdf")
    for number, text in enumerate(texts, start=1):
        assert f"Joint service review · {SUPPLIER} · 2026-06" in text and f"page {number} of {pages}" in text
    backlog_pages = [t for t in texts if "Action number" in t]
    assert len(backlog_pages) >= 2
    assert all("Action What Owner Due Status Target (breach)" in " ".join(t.split()) for t in backlog_pages)


def test_a_run_of_three_misses_stays_open_until_a_root_cause_is_recorded(small, tmp_path):
    path, ids = small
    copy = tmp_path / "copy.sltdesk"
    shutil.copy(path, copy)
    ws = open_workspace(copy, user="alice")
    try:
        [due] = build_pack(ws, PackOptions(SUPPLIER, "2026-06")).view.root_causes_due
        assert (due.target, due.run, due.status) == ("Availability", ("2026-04", "2026-05", "2026-06"), "open")
        svc.record_root_cause(ws, RootCause(ids["availability"], "2026-05", RootCauseMethod.FIVE_WHYS, "Down",
                                            whys=("Power",)))
        view = build_pack(ws, PackOptions(SUPPLIER, "2026-06")).view
    finally:
        ws.close()
    assert [d.status for d in view.root_causes_due] == ["recorded"]
    assert "root-cause record is still open" not in " ".join(view.summary.top_issues)


def test_the_breach_log_prices_and_times_each_breach(small):
    path, _ = small
    ws = open_workspace(path, user="bob")
    try:
        view = build_pack(ws, PackOptions(SUPPLIER, "2026-06")).view
    finally:
        ws.close()
    log = {(e.target, e.period): e for e in view.breaches.entries}
    assert set(log) == {("Availability", "2026-04"), ("Availability", "2026-05"), ("Availability", "2026-06"),
                        ("a < b P1 response", "2026-06")}
    june = log[("a < b P1 response", "2026-06")]
    assert (june.duration_minutes, june.incidents, june.impact, june.impact_basis) == (
        Decimal(45), 1, Decimal("500.00"), "credit")  # responded after 60 minutes: 45 over the 15 allowed
    assert log[("Availability", "2026-06")].duration_minutes == Decimal(50)
    assert [(r.target, r.breaches) for r in view.breaches.by_frequency] == [("Availability", 3),
                                                                           ("a < b P1 response", 1)]
    assert view.summary.totals[0].owed == Decimal("1500.00")
    assert [(r.target, r.rag) for r in view.attainment] == [("Availability", "red"), ("a < b P1 response", "red")]


def _raster_images(pdf) -> list[str]:
    """The names of every raster image in the PDF: in its pages and in the forms they draw."""
    found, seen = [], set()

    def visit(resources) -> None:
        for name, ref in ((resources or {}).get("/XObject") or {}).items():
            if id(ref) in seen:
                continue
            seen.add(id(ref))
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Image":
                found.append(name)
            elif xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in PdfReader(str(pdf)).pages:
        visit(page.get("/Resources"))
    return found


def _drawn_tick_labels(figure) -> set[str]:
    """The tick labels of the figure's value axes as drawn (ticks within each axis's view)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure).draw()
    out = set()
    for axes in figure.axes:
        low, high = sorted(axes.get_ylim())
        out |= {label.get_text() for tick, label in zip(axes.get_yticks(), axes.get_yticklabels(), strict=True)
                if low <= tick <= high}
    return out


def _chart_pages(pdf, view) -> list[str]:
    """The text of the pages with a trend chart, less the running footer's audit head (a hash may hold "1e")."""
    return [page.replace(view.audit_head[:16], "") for page in _text(pdf) if "moving range" in page]


def test_charts_are_vector_graphics_whose_tick_labels_are_text(small, tmp_path):
    from reports.charts import trend_figure

    path, _ = small
    ws = open_workspace(path, user="bob")
    try:
        view = build_pack(ws, PackOptions(SUPPLIER, "2026-06")).view
    finally:
        ws.close()
    write_pack(tmp_path / "pack.pdf", view, generated=datetime(2026, 7, 1, 9, 0, tzinfo=UTC))
    assert _raster_images(tmp_path / "pack.pdf") == []
    pages = _chart_pages(tmp_path / "pack.pdf", view)
    charted = [t for t in view.trends if any(v is not None for v in t.chart.values)]
    assert len(charted) == 2 and pages
    text = "\n".join(pages)
    for trend in charted:
        labels = _drawn_tick_labels(trend_figure(trend))
        assert len(labels) >= 4 and labels <= set(text.splitlines())  # every tick label, searchable
    assert "1e" not in text and "+1e" not in text


def test_the_demo_availability_chart_reads_in_percent_with_limits_within_100(raw_demo_file, tmp_path):
    ws = open_workspace(raw_demo_file, user="bob")
    try:
        view = build_pack(ws, PackOptions("Northwind Networks", "2026-09", months=12)).view
    finally:
        ws.close()
    write_pack(tmp_path / "pack.pdf", view, generated=datetime(2026, 10, 1, 9, 0, tzinfo=UTC))
    assert _raster_images(tmp_path / "pack.pdf") == []
    pages = _chart_pages(tmp_path / "pack.pdf", view)
    assert pages and all("1e" not in page for page in pages)
    lines = {line for page in pages for line in page.splitlines()}
    assert {"99.90 %", "99.95 %", "100.00 %"} <= lines  # SL1 Availability against 99.95 %
    availability = next(t for t in view.trends if t.target == "SL1 Availability")
    assert availability.chart.ucl <= 100 and availability.chart.ucl_computed is not None
    assert "is clipped at 100 %, the most a percentage can be." in availability.capability
    assert any(availability.capability[:60] in " ".join(page.split()) for page in pages)
