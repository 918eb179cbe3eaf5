"""Questionnaire storage on SQLite and (with SLTDESK_TEST_DATABASE_URL) PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest

from sltdesk.domain.questionnaires import Answer, Assessment, QuestionnaireFile
from sltdesk.domain.register import Contract, ContractTarget, MetricKind, Supplier
from sltdesk.errors import InUseError, ValidationError
from sltdesk.services.audit import recent_audit, verify_audit
from sltdesk.services.questionnaire_outlook import compare_suppliers, supplier_outlook
from sltdesk.services.questionnaires import (
    QuestionnaireError,
    get_template,
    import_questionnaire,
    list_templates,
    record_assessment,
    save_template,
    score,
)
from sltdesk.services.register import create_record, delete_record


def _answers(template, label: str) -> tuple[Answer, ...]:
    return tuple(Answer(q.code, label, "doc" if q.evidence_requested else "") for q in template.questions)


def test_the_built_in_template_is_stored_once_as_version_1_and_audited(workspace):
    first = get_template(workspace, "supplier-process-maturity")
    again = get_template(workspace, "supplier-process-maturity")
    assert first.id == again.id and first.version == 1
    assert len(first.questions) == 40 and [s.code for s in first.sections] == [
        "INC", "PRB", "CHG", "CAP", "BCM", "MON", "RPT", "SUB"]
    assert first.questions[0].scale.options[3].description.startswith("All incidents are ticketed with mandatory")
    entry = recent_audit(workspace, 1)[0]
    assert (entry.action, entry.entity, entry.after["version"]) == ("create", "questionnaire_template", 1)


def test_a_changed_template_is_a_new_version_and_old_assessments_keep_theirs(workspace):
    supplier = create_record(workspace, Supplier(name="Stratus Hosting"))
    v1 = get_template(workspace, "supplier-process-maturity")
    old = record_assessment(workspace, Assessment(supplier.id, v1.id, date(2026, 1, 10), _answers(v1, "3")))
    changed = dataclasses.replace(v1, questions=v1.questions[:-1])
    v2 = save_template(workspace, changed)
    assert v2.version == 2 and len(v2.questions) == 39
    assert save_template(workspace, changed).id == v2.id  # same content again: no third version
    assert [(t.name, t.version) for t in list_templates(workspace)] == [("supplier-process-maturity", 1),
                                                                        ("supplier-process-maturity", 2)]
    item = score(workspace, supplier="stratus hosting", assessment_id=old.id)
    assert item.template.version == 1 and item.card.total == 40 and item.card.overall == Decimal("0.6000")


def test_an_assessment_round_trips_with_answers_evidence_and_an_audit_entry(workspace):
    supplier = create_record(workspace, Supplier(name="PayFlow"))
    template = get_template(workspace, "supplier-process-maturity")
    answers = (Answer("INC-01", "4 – Measured", "Ticket export, March", "weekly checks"), Answer("INC-02", "N/A"))
    stored = record_assessment(workspace, Assessment(supplier.id, template.id, date(2026, 2, 1), answers,
                                                     assessor="alice"))
    with workspace.unit_of_work() as uow:
        again = uow.questionnaires.assessment(stored.id)
    assert again == stored and again.answers == answers
    entry = recent_audit(workspace, 1)[0]
    assert entry.entity == "questionnaire_assessment" and entry.after["answers"]["INC-01"] == "4 – Measured"
    assert verify_audit(workspace).ok
    with pytest.raises(InUseError, match="questionnaire_assessment"):
        delete_record(workspace, Supplier, supplier.id)


def test_answers_to_questions_the_template_lacks_are_refused(workspace):
    supplier = create_record(workspace, Supplier(name="PayFlow"))
    template = get_template(workspace, "supplier-process-maturity")
    with pytest.raises(ValidationError, match="NOPE-1"):
        record_assessment(workspace, Assessment(supplier.id, template.id, date(2026, 2, 1), (Answer("NOPE-1", "3"),)))


def _target(ws) -> ContractTarget:
    supplier = create_record(ws, Supplier(name="Northwind Networks"))
    contract = create_record(ws, Contract(ref="NW-1", supplier_id=supplier.id, title="WAN",
                                          start_date=date(2025, 1, 1), end_date=date(2027, 12, 31), currency="GBP",
                                          charges=Decimal("1000.00")))
    return create_record(ws, ContractTarget(contract_id=contract.id, name="Availability",
                                            metric=MetricKind.AVAILABILITY, threshold=Decimal("99.9")))


def test_the_prediction_of_a_target_without_verdicts_is_its_prior(workspace):
    """No raw data, so no verdict and no history (tests/adapters/test_outlook_history.py has one): the
    outlook is the uniform prior, then the latest assessment's."""
    _target(workspace)
    outlook = supplier_outlook(workspace, "Northwind Networks")
    assert len(outlook) == 1 and outlook[0].history == () and outlook[0].prediction.periods == 0
    assert outlook[0].prediction.probability == pytest.approx(1 / 2)  # no assessment yet
    template = get_template(workspace, "supplier-process-maturity")
    record_assessment(workspace, Assessment(target_supplier(workspace), template.id, date(2026, 4, 1),
                                            _answers(template, "5")))
    outlook = supplier_outlook(workspace, "Northwind Networks")
    assert outlook[0].prediction.probability == pytest.approx(0.95)
    assert compare_suppliers(workspace)[0].latest.card.level == 5


def target_supplier(ws) -> int:
    with ws.unit_of_work() as uow:
        return uow.records.list(Supplier)[0].id


def _parsed(template, answers, sha="abc") -> QuestionnaireFile:
    return QuestionnaireFile("sltdesk", "filled.xlsx", sha, "Questionnaire", 5, template, answers,
                             supplier_name="PayFlow", completed_on=date(2026, 3, 1))


def test_an_import_is_all_or_nothing_a_dry_run_stores_nothing_and_a_file_goes_in_once(workspace):
    create_record(workspace, Supplier(name="PayFlow"))
    template = get_template(workspace, "supplier-process-maturity")
    parsed = _parsed(template, _answers(template, "2")[:30])
    dry = import_questionnaire(workspace, parsed, supplier=None, as_template=None, today=date(2026, 3, 5),
                               dry_run=True)
    assert dry.stored is False and dry.card.answered == 30 and len(dry.unanswered) == 10
    with workspace.unit_of_work() as uow:
        assert uow.questionnaires.assessments() == []
    done = import_questionnaire(workspace, parsed, supplier=None, as_template=None, today=date(2026, 3, 5))
    assert done.assessment.assessed_on == date(2026, 3, 1) and done.assessment.source == "filled.xlsx sha256:abc"
    with pytest.raises(QuestionnaireError, match="already imported for PayFlow as assessment"):
        import_questionnaire(workspace, parsed, supplier=None, as_template=None, today=date(2026, 3, 5))
