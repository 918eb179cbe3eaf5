"""The Imports page and the raw-data import wizard on a small workspace (pytest-qt, offscreen)."""

from __future__ import annotations

import multiprocessing
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from models.workspace import open_workspace
from sltdesk.services import imports
from sltdesk.services.audit import recent_audit
from sltdesk.services.imports import list_batches
from ui.import_wizard import ImportWizard
from ui.workers import wait_for_workers

GERMAN_OUTAGES = (
    "Störungsbericht Northwind Networks;;;;;\n"
    "Exportiert am 02.04.2026;;;;;\n"
    ";;;;;\n"
    "Störungs-ID;Beginn;Ende;Auswirkung %;Geplant;Bemerkung\n"
    "N-101;03.03.2026 10:00;03.03.2026 11:30;100;nein;Glasfaser durchtrennt\n"
    "N-102;14.03.2026 02:00;14.03.2026 02:20;50;ja;Wartung Router\n"
    "N-103;20.03.2026 09:00;20.03.2026 08:00;100;nein;Ende vor Beginn\n"
    "N-104;28.03.2026 23:30;29.03.2026 00:15;120;nein;zu hoch\n"
    "N-105;30.03.2026 14:00;30.03.2026 14:40;25;nein;Teilausfall\n"
)


def _stored(path) -> tuple[list, list]:
    ws = open_workspace(path)
    try:
        return list_batches(ws), recent_audit(ws)
    finally:
        ws.close()


@pytest.fixture
def page(qtbot, window):
    """The Imports page of the main window, shown and loaded."""
    imports_page = next(p for p in window.pages if p.title == "Imports")
    with qtbot.waitSignal(imports_page.loaded, timeout=5000):
        window.show_page(window.pages.index(imports_page))
    return imports_page


def _open_wizard(qtbot, page, path, *, kind: str = "Outages", contract: str = "NW-2025-014",
                 zone: str = "Europe/Berlin") -> ImportWizard:
    page.activateWindow()
    qtbot.keyClick(page.batches.view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.wizard is not None and page.wizard.isVisible(), timeout=2000)  # an animated click
    wizard = page.wizard
    qtbot.addWidget(wizard)
    first = wizard.file_page
    first.kind.setCurrentIndex(first.kind.findText(kind))
    first.contract.setCurrentIndex(next(i for i in range(first.contract.count())
                                        if first.contract.itemData(i).contract.ref == contract))
    first.path.setText(str(path))
    first.timezone.setCurrentText(zone)
    qtbot.waitUntil(first.isComplete, timeout=5000)
    return wizard


def _next_when_ready(qtbot, wizard, page) -> None:
    qtbot.waitUntil(page.isComplete, timeout=10000)
    wizard.next()


def test_the_wizard_reads_a_german_csv_with_title_rows_and_stores_it(qtbot, qtmodeltester, page, workspace_file,
                                                                     tmp_path):
    csv = tmp_path / "northwind_stoerungen.csv"
    csv.write_text(GERMAN_OUTAGES, encoding="utf-8")
    wizard = _open_wizard(qtbot, page, csv)
    assert "No saved choices for Northwind Networks · outages" in wizard.file_page.profile_note.text()
    qtbot.keyClick(wizard.file_page.path, Qt.Key.Key_Return)  # Enter = Next
    assert wizard.currentId() == wizard.SHEET
    _next_when_ready(qtbot, wizard, wizard.sheet_page)
    assert wizard.sheet_page.found.text().startswith("Header on row 4 (detected): A Störungs-ID · B Beginn")
    shown = wizard.mapping_page.mapping_shown()
    assert shown["outage_id"] == "A: Störungs-ID" and shown["start"] == "B: Beginn" and shown["end"] == "C: Ende"
    assert shown["impact_percent"] == "D: Auswirkung %" and shown["planned"] == "E: Geplant"
    assert shown["service"] == "(not in the file)"
    preview = wizard.mapping_page.preview.table_model()
    assert preview.rowCount() == 3  # rows 7 (ends before it starts) and 8 (impact 120 %) are rejected
    qtmodeltester.check(preview)
    assert preview.index(0, 0).data() == "5"
    assert preview.index(0, 3).data() == "2026-03-03 10:00 (09:00 UTC)"  # CET is UTC+1
    assert [preview.index(1, c).data() for c in (2, 6)] == ["", "yes"]  # no service column; 'ja'
    wizard.next()
    findings = wizard.findings_page
    assert findings.summary.text() == "5 rows read: 3 accepted, 2 rejected (left out of the import)."
    assert findings.findings.counts.text() == "2 errors, 0 warnings, 2 notes"
    findings.findings.severity.setCurrentIndex(1)
    errors = findings.findings.shown()
    assert [(f.code, f.row) for f in errors] == [("negative-duration", 7), ("out-of-range", 8)]
    findings.jump_to(errors[0])
    source = findings.source
    assert source.table_model().row_at(source.currentIndex().row())[:2] == (7, "N-103")
    _next_when_ready(qtbot, wizard, findings)
    qtbot.waitUntil(wizard.confirm_page.isComplete, timeout=10000)
    assert "Finish stores 3 outages" in wizard.confirm_page.busy.text.text()
    with qtbot.waitSignal(page.loaded, timeout=10000):
        wizard.accept()
    assert wizard.report.stored == 3
    assert page.status.text() == (f"Imported northwind_stoerungen.csv as batch {wizard.report.batch_id}: 3 stored; "
                                  "2 rejected rows left out. It covers 3 Mar 2026 00:00 – 31 Mar 2026 00:00 (UTC): "
                                  "whole days from the first record's day to the last record's (give --period when "
                                  "the export covers more).")
    assert page.batches.current().file_name == "northwind_stoerungen.csv"
    assert page.findings.counts.text() == "2 errors, 0 warnings, 2 notes"
    wait_for_workers()
    batches, audit = _stored(workspace_file)
    assert [(b.kind, b.contract, b.rows_read, b.rows_accepted) for b in batches] == [("outages", "NW-2025-014", 5, 3)]
    assert [e.action for e in audit[:2]] == ["save-profile", "import"]
    ws = open_workspace(workspace_file)
    try:
        profile = imports.load_profile(ws, supplier_id=1, kind=imports.RecordKind.OUTAGES, name="default")
    finally:
        ws.close()
    assert profile["mapping"]["start"] == "Beginn" and profile["timezone"] == "Europe/Berlin"


def test_cancelling_while_the_file_is_read_kills_the_reader_and_stores_nothing(qtbot, page, workspace_file, tmp_path,
                                                                                 monkeypatch):
    from sltdesk import wiring

    outcomes: list[str] = []
    real_parse = wiring.parse_isolated

    def recording_parse(*args, **kwargs):
        try:
            parsed = real_parse(*args, **kwargs)
        except BaseException as error:
            outcomes.append(type(error).__name__)
            raise
        outcomes.append("parsed")
        return parsed

    monkeypatch.setattr(wiring, "parse_isolated", recording_parse)
    csv = tmp_path / "probes.csv"
    lines = ["timestamp,probe,requests,errors,latency_ms"]
    lines += [f"2026-03-{1 + i // 86400:02d}T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z,"
              f"eu-west,{100 + i % 7},{i % 3},{40 + i % 11}" for i in range(0, 20 * 86400, 5)]
    csv.write_text("\n".join(lines), encoding="utf-8")
    wizard = _open_wizard(qtbot, page, csv, kind="Samples — interval measurements", zone="UTC")
    wizard.next()
    sheet = wizard.sheet_page
    qtbot.waitUntil(lambda: wizard.runner.running and sheet.busy.cancel.isVisible(), timeout=5000)
    sheet.busy.cancel.click()
    assert "cancelled; nothing was stored" in sheet.busy.text.text()
    assert not sheet.isComplete() and sheet.busy.retry.isVisible()
    wait_for_workers()
    assert outcomes == ["ParseCancelled"]  # the reader stopped mid-file, not after it finished
    assert multiprocessing.active_children() == []  # and its child process is gone
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # Esc cancels the wizard
    assert not wizard.isVisible()
    batches, audit = _stored(workspace_file)
    assert batches == [] and len(audit) == 5


def test_cancelling_the_store_before_it_commits_leaves_nothing_behind(qtbot, page, workspace_file, tmp_path,
                                                                     monkeypatch):
    csv = tmp_path / "northwind.csv"
    csv.write_text(GERMAN_OUTAGES, encoding="utf-8")
    wizard = _open_wizard(qtbot, page, csv)
    for step in (wizard.file_page, wizard.sheet_page, wizard.mapping_page, wizard.findings_page):
        _next_when_ready(qtbot, wizard, step)
    qtbot.waitUntil(wizard.confirm_page.isComplete, timeout=10000)
    go = threading.Event()
    real_plan = imports.plan_rows

    def plan_after_the_user_pressed_cancel(*args, **kwargs):
        assert go.wait(5)
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(imports, "plan_rows", plan_after_the_user_pressed_cancel)
    wizard.accept()
    assert wizard.progress.isVisible()
    wizard.progress.findChild(QPushButton).click()  # the progress dialog's Cancel
    go.set()
    qtbot.waitUntil(lambda: wizard.progress is None, timeout=10000)
    assert wizard.confirm_page.busy.text.text() == "Cancelled before the batch was committed: nothing was stored."
    assert wizard.isVisible() and wizard.report is None
    wizard.reject()
    wait_for_workers()
    batches, audit = _stored(workspace_file)
    assert batches == [] and len(audit) == 5


def test_saved_choices_map_an_unusual_file_and_choosing_a_column_reads_it_again(qtbot, page, window, tmp_path):
    imports.save_profile(window.ctx.workspace, supplier_id=1, kind=imports.RecordKind.OUTAGES, name="default",
                         options={"mapping": {"outage_id": "Lfd", "start": "Ab", "end": "Fertig"}, "value_map": [],
                                  "timezone": "Europe/Berlin", "sheet": None, "header_row": None, "dayfirst": None})
    csv = tmp_path / "odd_headers.csv"
    csv.write_text("Lfd,Ab,Fertig,Text\nK-1,2026-03-02 08:00,2026-03-02 09:00,Router getauscht\n", encoding="utf-8")
    wizard = _open_wizard(qtbot, page, csv, zone="UTC")
    first = wizard.file_page
    assert "saved choices for Northwind Networks · outages are applied (3 columns mapped)" in first.profile_note.text()
    assert first.timezone.currentText() == "Europe/Berlin"  # the profile's zone wins over the contract's
    wizard.next()
    _next_when_ready(qtbot, wizard, wizard.sheet_page)
    mapping = wizard.mapping_page
    assert mapping.mapping_shown()["start"] == "B: Ab" and mapping.mapping_shown()["note"] == "(not in the file)"
    preview = mapping.preview.table_model()
    assert [preview.index(0, c).data() for c in (1, 3, 7)] == ["K-1", "2026-03-02 08:00 (07:00 UTC)", ""]
    note = mapping.combos["note"]
    note.setCurrentIndex(note.findText("D: Text"))
    note.activated.emit(note.currentIndex())
    qtbot.waitUntil(lambda: mapping.isComplete() and preview is not mapping.preview.table_model(), timeout=10000)
    assert wizard.choices.mapping["note"] == "Text"
    assert mapping.preview.table_model().index(0, 7).data() == "Router getauscht"
    wizard.reject()


def test_a_renamed_pdf_is_refused_with_a_sentence_and_nothing_is_stored(qtbot, page, workspace_file, tmp_path):
    fake = tmp_path / "tickets.xlsx"
    fake.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
    wizard = _open_wizard(qtbot, page, fake, kind="Tickets — one row per ticket (event logs are recognised)")
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.sheet_page.busy.is_busy, timeout=5000)
    assert wizard.sheet_page.busy.text.text() == "tickets.xlsx is not a spreadsheet: it is a PDF document."
    assert not wizard.sheet_page.isComplete()
    wizard.reject()
    wait_for_workers()
    batches, audit = _stored(workspace_file)
    assert batches == [] and len(audit) == 5


def test_ambiguous_dates_block_finish_until_the_order_is_chosen(qtbot, page, tmp_path):
    csv = tmp_path / "outages_us.csv"
    csv.write_text("Outage ID,Start,End\nO-1,03/04/2026 10:00,03/04/2026 11:00\nO-2,05/06/2026 08:00,"
                   "05/06/2026 08:30\n", encoding="utf-8")
    wizard = _open_wizard(qtbot, page, csv, zone="UTC")
    wizard.next()
    _next_when_ready(qtbot, wizard, wizard.sheet_page)
    mapping = wizard.mapping_page
    assert mapping.dates.isVisible()
    wizard.next()
    assert not wizard.findings_page.isComplete()
    assert "Go Back and choose whether the dates are written day first" in wizard.findings_page.fatal.text()
    wizard.back()
    mapping.dayfirst.setCurrentIndex(2)
    mapping.dayfirst.activated.emit(2)  # month first, as a user picks it
    qtbot.waitUntil(mapping.isComplete, timeout=10000)
    assert mapping.preview.table_model().index(0, 3).data() == "2026-03-04 10:00 (10:00 UTC)"
    wizard.next()
    assert wizard.findings_page.isComplete() and not wizard.findings_page.fatal.isVisible()
    wizard.reject()


def test_remove_deletes_the_batch_after_confirmation_and_audits_it(qtbot, page, window, workspace_file, tmp_path,
                                                                   messages):
    from sltdesk.wiring import import_file

    csv = tmp_path / "northwind.csv"
    csv.write_text(GERMAN_OUTAGES, encoding="utf-8")
    ws = window.ctx.workspace
    report = import_file(ws, csv, kind=imports.RecordKind.OUTAGES, contract=imports.find_contract(ws, "NW-2025-014"))
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.ctx.notify_changed("import_batch")
    assert page.batches.current().id == report.batch_id
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.remove_button.click()
    assert messages[-1][0] == "confirm" and f"Remove batch {report.batch_id} — 3 outages" in messages[-1][1]
    assert page.batches.model.rowCount() == 0
    assert page.status.text() == f"Removed batch {report.batch_id} (northwind.csv): 3 records deleted."
    wait_for_workers()
    batches, audit = _stored(workspace_file)
    assert batches == [] and [e.action for e in audit[:2]] == ["remove-import", "import"]


def test_a_replacing_batch_shows_what_it_superseded_and_removing_it_says_what_is_not_restored(
        qtbot, page, window, tmp_path, messages):
    from importers.pipeline import parse_file

    ws = window.ctx.workspace
    contract = imports.find_contract(ws, "NW-2025-014")
    for name, text, replace in (
            ("first.csv", "Outage ID,Start,End\nA-1,2026-03-02 10:00,2026-03-02 11:00\n"
                          "A-2,2026-03-05 10:00,2026-03-05 10:30\n", False),
            ("second.csv", "Outage ID,Start,End\nB-1,2026-03-03 09:00,2026-03-03 09:20\n", True)):
        options = imports.build_options(ws, kind=imports.RecordKind.OUTAGES, contract=contract, timezone="UTC",
                                        period="2026-03")
        imports.store_import(ws, parse_file(write(tmp_path / name, text), options), contract=contract,
                             options=options, replace_period=replace)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        window.ctx.notify_changed("import_batch")
    first, second = sorted(imports.list_batches(ws), key=lambda b: b.id)
    model = page.batches.model
    column = [c.header for c in model.columns].index("Superseded")
    shown = {model.index(r, 0).data(): model.index(r, column).data() for r in range(model.rowCount())}
    assert shown == {str(first.id): f"2 by {second.id}", str(second.id): ""}
    page.batches.select(lambda b: b.id == first.id)
    assert page.findings_heading.text().endswith(f"; 2 of 2 records superseded by batch {second.id}")
    page.batches.select(lambda b: b.id == second.id)
    with qtbot.waitSignal(page.loaded, timeout=5000):
        page.remove_button.click()
    assert messages[-1][1].endswith(
        f"Batch {second.id} replaced 2 records of batch {first.id} (first.csv) in 2026-03. Removing it does not bring "
        "them back: the workspace will hold none of those records. To have them again, remove batch "
        f"{first.id} and import first.csv again.")
    wait_for_workers()


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path
