"""The Questionnaires page on the demo portfolio, the import wizard and template versions (pytest-qt)."""

from __future__ import annotations

import shutil
from datetime import date

import openpyxl
import pytest

from models.workspace import open_workspace
from sltdesk.services.questionnaires import list_templates
from ui.context import WorkspaceContext
from ui.pages.questionnaires import QuestionnairesPage
from ui.questionnaire_wizard import ImportWizard
from ui.workers import wait_for_workers


@pytest.fixture
def ctx(demo_file, tmp_path, qtbot):
    path = tmp_path / "demo.sltdesk"
    shutil.copy(demo_file, path)
    context = WorkspaceContext()
    context.set_workspace(open_workspace(path, user="alice"))
    yield context
    wait_for_workers()
    context.set_workspace(None)


@pytest.fixture
def page(ctx, qtbot):
    widget = QuestionnairesPage(ctx)
    qtbot.addWidget(widget)
    widget.resize(1400, 860)
    with qtbot.waitSignal(widget.loaded, timeout=20000):
        widget.show()
    return widget


def test_the_page_compares_six_suppliers_and_shows_one_supplier_assessments(page, qtbot, qtmodeltester, tmp_path):
    rows = page.suppliers.model.rows()
    assert len(rows) == 6 and rows[0].supplier == "PayFlow"  # best overall score first
    qtmodeltester.check(page.suppliers.model)
    with qtbot.waitSignal(page.outlook_loaded, timeout=10000):  # the outlook per target is computed when shown
        assert page.suppliers.select(lambda r: r.supplier == "HelpPoint Services")
    assert page.assessment_choice.count() == 2  # assessed twice, latest first
    assert page.assessment_choice.currentText().startswith("2026-04-09")
    assert "HelpPoint Services: overall 68.4 %" in page.summary.text()
    assert page.sections.model.rowCount() == 8 and page.answers.model.rowCount() == 40
    assert page.outlook.model.rowCount() == 4
    assert all("→ prior" in o.prediction.explanation for o in page.outlook.model.rows())
    for chart in (page.supplier_radar, page.comparison_radar):  # drawn off the GUI thread, then shown
        qtbot.waitUntil(lambda c=chart: c.figure is not None and not c.image.isHidden(), timeout=10000)
    # PayFlow, selected first, may finish drawing before HelpPoint's chart replaces it: wait for HelpPoint's
    qtbot.waitUntil(lambda: page.supplier_radar.figure is not None and page.supplier_radar.figure.axes[0].get_title()
                    == "HelpPoint Services — section scores", timeout=10000)
    page.assessment_choice.setCurrentIndex(1)
    assert "overall 37.0 %" in page.summary.text() and "Red flags:" in page.flags.text()
    page.grab().save(str(tmp_path / "questionnaires.png"))


def _caiq_like(path):
    book = openpyxl.Workbook()
    book.active.title = "Introduction"
    book.active["A1"] = "About this questionnaire"
    sheet = book.create_sheet("Questions")
    sheet.append(["Vendor security questionnaire"])
    sheet.append(["Question ID", "Question", "Answer", "Comments"])
    for n, prefix in enumerate(["A&A", "A&A", "IAM", "IAM", "LOG"]):
        sheet.append([f"{prefix}-0{n}.1", f"Is control {n} in place?", ["Yes", "No", "NA"][n % 3], ""])
    book.save(path)
    return path


def test_the_wizard_imports_a_foreign_workbook_step_by_step(page, ctx, qtbot, tmp_path):
    wizard = ImportWizard(ctx, ["Stratus Hosting"], parent=page)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(_caiq_like(tmp_path / "vendor.xlsx")))
    wizard.file_page.supplier.setCurrentText("Stratus Hosting")
    wizard.file_page.template_name.setText("vendor-security")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.sheet_page.isComplete(), timeout=10000)
    assert wizard.sheet_page.chosen().name == "Questions"
    wizard.next()
    assert wizard.header_page.row.value() == 2
    wizard.next()
    assert wizard.mapping_page.mapping()["question"] == "B" and wizard.mapping_page.mapping()["section"] == ""
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview_page.isComplete(), timeout=10000)
    assert "5 questions in 3 sections (A&A, IAM, LOG); 5 answered" in wizard.preview_page.summary.text()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.confirm_page.isComplete(), timeout=10000)
    assert "assessment of Stratus Hosting with 5 answers" in wizard.confirm_page.text.text()
    with qtbot.waitSignal(page.loaded, timeout=20000):
        wizard.accept()
    assert wizard.outcome.assessment is not None and wizard.outcome.card.overall is not None
    assert any(t.name == "vendor-security" for t in list_templates(ctx.workspace))


def test_an_edited_question_is_saved_as_a_new_template_version(page, ctx, qtbot):
    page.tabs.setCurrentIndex(2)
    panel = page.templates
    assert panel.current_template().version == 1
    assert panel.questions.select(lambda q: q.code == "CAP-03")
    panel.weight.setText("2.5")
    panel.criticality.setCurrentText("critical")
    panel.apply_edit()
    assert panel.save_button.isEnabled() and "1 question(s) changed" in panel.pending.text()
    with qtbot.waitSignal(page.loaded, timeout=20000):
        panel.save_version()
    versions = [(t.name, t.version) for t in list_templates(ctx.workspace)]
    assert versions == [("supplier-process-maturity", 1), ("supplier-process-maturity", 2)]
    edited = list_templates(ctx.workspace)[1].question("CAP-03")
    assert str(edited.weight) == "2.5" and edited.criticality.value == "critical"


def test_the_export_dialog_writes_the_fillable_workbook_for_the_chosen_supplier(page, ctx, qtbot, tmp_path,
                                                                                 monkeypatch):
    from importers.questionnaires import read_questionnaire
    from ui import questionnaire_export

    out = tmp_path / "payflow.xlsx"
    monkeypatch.setattr(questionnaire_export, "choose_save_path", lambda _parent, _suggested: str(out))
    dialog = questionnaire_export.ExportDialog(ctx, page.data.templates, page.data.suppliers, parent=page)
    qtbot.addWidget(dialog)
    dialog.supplier.setCurrentText("PayFlow")
    dialog.export()
    qtbot.waitUntil(lambda: "Wrote" in dialog.status.text(), timeout=10000)
    parsed = read_questionnaire(out)
    assert parsed.origin == "sltdesk" and parsed.supplier_name == "PayFlow" and len(parsed.template.questions) == 40


def test_the_wizard_recognises_our_own_workbook_and_goes_straight_to_the_preview(page, ctx, qtbot, tmp_path):
    from datetime import date

    from reports.questionnaire_xlsx import write_fillable

    template = next(t for t in page.data.templates if t.name == "supplier-process-maturity")
    path = write_fillable(template, supplier="Relata CRM", out=tmp_path / "relata.xlsx", today=date(2026, 5, 1))
    book = openpyxl.load_workbook(path)
    book["Questionnaire"]["H6"] = "5 – Optimising"
    book.save(path)
    wizard = ImportWizard(ctx, page.data.suppliers, parent=page)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(path))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.sheet_page.isComplete(), timeout=10000)
    assert "SLT Desk questionnaire" in wizard.sheet_page.status.text()
    wizard.next()
    assert wizard.currentId() == ImportWizard.PREVIEW
    qtbot.waitUntil(lambda: wizard.preview_page.isComplete(), timeout=10000)
    assert "40 questions in 8 sections" in wizard.preview_page.summary.text() and "1 answered" in \
        wizard.preview_page.summary.text()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.confirm_page.isComplete(), timeout=10000)
    assert "assessment of Relata CRM with 1 answers" in wizard.confirm_page.text.text()


def test_the_wizard_ticks_the_sheets_of_one_layout_and_shows_the_warnings_before_storing(page, ctx, qtbot, tmp_path):
    from importers.questionnaires import read_questionnaire
    from sltdesk.services.questionnaires import import_questionnaire
    from tests.adapters.hecvat_like import CRITICAL_WORDS, SHEETS, hecvat_like, spec

    blank = read_questionnaire(hecvat_like(tmp_path / "HECVAT like.xlsx", answered=False))
    import_questionnaire(ctx.workspace, blank, supplier=None, as_template="hecvat-like", today=date(2026, 5, 1))
    copy = hecvat_like(tmp_path / "answers.xlsx", answered=True, drop="PROBX-02")
    wizard = ImportWizard(ctx, page.data.suppliers, parent=page)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.file_page.path.setText(str(copy))
    wizard.file_page.supplier.setCurrentText("Relata CRM")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.sheet_page.isComplete(), timeout=10000)
    assert [s.name for s in wizard.sheet_page.chosen_sheets()] == list(SHEETS)
    assert wizard.sheet_page.reason.text().startswith("7 visible sheets share the header layout")
    wizard.grab().save(str(tmp_path / "sheets.png"))
    wizard.next()
    assert wizard.header_page.row.value() == 3 and "The other 6 sheets" in wizard.header_page.subTitle()
    wizard.next()
    assert wizard.mapping_page.mapping()["criticality"] == "F" and wizard.mapping_page.mapping()["weight"] == "G"
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview_page.isComplete(), timeout=10000)
    assert "41 questions from 7 sheets in 14 sections" in wizard.preview_page.summary.text()
    critical = sum(1 for q in spec() if q.code != "PROBX-02" and q.criticality in CRITICAL_WORDS)
    assert f"; {critical} critical." in wizard.preview_page.summary.text() and critical == 18
    wizard.next()
    qtbot.waitUntil(lambda: wizard.confirm_page.isComplete(), timeout=10000)
    wizard.grab().save(str(tmp_path / "confirm.png"))
    assert "attaches to template 'hecvat-like' version 1" in wizard.confirm_page.text.text()
    warnings = [wizard.confirm_page.warnings.item(i).text() for i in range(wizard.confirm_page.warnings.count())]
    assert any("1 question removed (PROBX-02)" in w for w in warnings)
    assert any("14 of 41 weights were blank" in w for w in warnings)
    with qtbot.waitSignal(page.loaded, timeout=20000):
        wizard.accept()
    assert wizard.outcome.difference is not None and wizard.outcome.template.version == 1
    assert wizard.outcome.card.red_flags
