"""Use cases of the maturity questionnaires: templates and versions, assessments, imports, scores."""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from datetime import UTC, date
from decimal import Decimal
from importlib import resources

from sltdesk.domain.questionnaires import (
    Answer,
    Assessment,
    ImportFinding,
    QuestionnaireFile,
    QuestionnaireTemplate,
    Severity,
    maturity_scale,
        template_from_plain,
)
from sltdesk.domain.register import Supplier
from sltdesk.domain.stored import stored_id
from sltdesk.errors import NotFoundError, SltDeskError, ValidationError
from sltdesk.rules.prediction import Prediction, predict
from sltdesk.rules.questionnaire_matching import TemplateDifference, closest_template
from sltdesk.rules.scoring import ScoreCard, score_assessment, template_problems
from sltdesk.services.audit import append_audit
from sltdesk.services.ports import UnitOfWork, Workspace
from sltdesk.services.retry import retry_when_busy

DEFAULT_TEMPLATE = "supplier-process-maturity"
BUILTIN_FILES = {DEFAULT_TEMPLATE: "default_maturity.json"}


class QuestionnaireError(SltDeskError):
    """A questionnaire cannot be imported, scored or found as asked."""


@dataclass(frozen=True)
class ScoredAssessment:
    assessment: Assessment
    template: QuestionnaireTemplate
    supplier: str
    card: ScoreCard


@dataclass(frozen=True)
class ImportOutcome:
    template: QuestionnaireTemplate
    template_is_new: bool
    assessment: Assessment | None
    card: ScoreCard | None
    unanswered: tuple[str, ...]
    findings: tuple[ImportFinding, ...]
    stored: bool  # False for a dry run
    difference: TemplateDifference | None = None  # how the file differs from the stored template it attached to


# --- templates ------------------------------------------------------------------------------


def builtin_template(name: str = DEFAULT_TEMPLATE) -> QuestionnaireTemplate:
    """A template shipped in resources/questionnaires (not yet stored in any workspace)."""
    if name not in BUILTIN_FILES:
        raise NotFoundError(f"There is no built-in questionnaire template '{name}'; "
                            f"the built-in ones are: {', '.join(BUILTIN_FILES)}.")
    text = resources.files("resources").joinpath("questionnaires", BUILTIN_FILES[name]).read_text("utf-8")
    plain = json.loads(text)
    names = tuple(plain["level_names"])
    for question in plain["questions"]:
        scale = maturity_scale(tuple(question.pop("levels")), names=names)
        question["scale"] = {"kind": scale.kind.value, "options": [
            {"label": o.label, "score": None if o.score is None else str(o.score), "description": o.description}
            for o in scale.options]}
    return template_from_plain(plain, source="built-in")


def list_templates(ws: Workspace) -> list[QuestionnaireTemplate]:
    """Every stored version of every template, by name then version."""
    with ws.unit_of_work() as uow:
        return uow.questionnaires.templates()


@retry_when_busy
def get_template(ws: Workspace, name: str, version: int | None = None) -> QuestionnaireTemplate:
    """A stored template version (the latest by default); a built-in one is stored on first use."""
    with ws.unit_of_work() as uow:
        found = [t for t in uow.questionnaires.templates(name) if version in (None, t.version)]
        if found:
            return found[-1]
        if name in BUILTIN_FILES and version in (None, 1):
            stored, _ = store_template(ws, uow, builtin_template(name))
            uow.commit()
            return stored
        names = sorted({t.name for t in uow.questionnaires.templates()} | set(BUILTIN_FILES))
    which = f"'{name}' version {version}" if version else f"'{name}'"
    raise NotFoundError(f"There is no questionnaire template {which}; the templates are: {', '.join(names)}.")


@retry_when_busy
def save_template(ws: Workspace, template: QuestionnaireTemplate) -> QuestionnaireTemplate:
    """Store a template as its name's next version, unless a stored version has the same content."""
    with ws.unit_of_work() as uow:
        stored, _ = store_template(ws, uow, template)
        uow.commit()
    return stored


def store_template(ws: Workspace, uow: UnitOfWork, template: QuestionnaireTemplate
                   ) -> tuple[QuestionnaireTemplate, bool]:
    """Inside the caller's unit of work: (the stored version, whether it is new)."""
    problems = template_problems(template)
    if problems:
        raise ValidationError({"template": " ".join(problems)})
    repo = uow.questionnaires
    same = repo.find_template(template.name, template.fingerprint)
    if same is not None:
        return same, False
    created = ws.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    version = repo.latest_version(template.name) + 1
    stored = repo.add_template(dataclasses.replace(template, version=version, created_at=created, id=None))
    append_audit(ws, uow, action="create", entity="questionnaire_template", entity_id=stored.id, before=None,
                 after={"name": stored.name, "version": stored.version, "title": stored.title,
                        "fingerprint": stored.fingerprint, "sections": [s.code for s in stored.sections],
                        "questions": len(stored.questions), "source": stored.source})
    return stored, True


def slug(text: str) -> str:
    """'CAIQv4.0.3 STAR Security' -> 'caiqv4.0.3-star-security' (a template name from a file name)."""
    return re.sub(r"[^a-z0-9.]+", "-", text.casefold()).strip("-.") or "questionnaire"


# --- assessments ----------------------------------------------------------------------------


@retry_when_busy
def record_assessment(ws: Workspace, assessment: Assessment) -> Assessment:
    """Store an assessment (answers against a stored template version), audited."""
    with ws.unit_of_work() as uow:
        stored = _add_assessment(ws, uow, assessment)
        uow.commit()
    return stored


@retry_when_busy
def delete_assessment(ws: Workspace, assessment_id: int) -> Assessment:
    with ws.unit_of_work() as uow:
        repo = uow.questionnaires
        found = repo.assessment(assessment_id)
        if found is None:
            raise NotFoundError(f"There is no assessment with id {assessment_id}; refresh the list.")
        repo.delete_assessment(assessment_id)
        append_audit(ws, uow, action="delete", entity="questionnaire_assessment", entity_id=assessment_id,
                     before=_assessment_plain(found), after=None)
        uow.commit()
    return found


def scored(ws: Workspace, *, supplier_id: int | None = None) -> list[ScoredAssessment]:
    """Every assessment (of one supplier, or all) with its template version and score card, oldest first."""
    with ws.unit_of_work() as uow:
        repo = uow.questionnaires
        names = {s.id: s.name for s in uow.records.list(Supplier)}
        templates: dict[int, QuestionnaireTemplate] = {}
        result = []
        for a in repo.assessments(supplier_id):
            template = templates.get(a.template_id) or repo.template(a.template_id)
            if template is None:
                raise NotFoundError(f"The template of assessment {a.id} is missing from the workspace.")
            templates[a.template_id] = template
            result.append(ScoredAssessment(a, template, names.get(a.supplier_id, "?"),
                                           score_assessment(template, a.answers)))
        return result


def score(ws: Workspace, *, supplier: str, assessment_id: int | None = None) -> ScoredAssessment:
    """One assessment of a supplier (the latest by default) with its score card."""
    supplier_id = find_supplier(ws, supplier).id
    history = scored(ws, supplier_id=supplier_id)
    if assessment_id is not None:
        history = [s for s in history if s.assessment.id == assessment_id]
    if not history:
        which = f"assessment {assessment_id} of" if assessment_id is not None else "assessment of"
        raise NotFoundError(f"There is no {which} '{supplier}'; import a filled questionnaire with "
                            "`sltdesk import questionnaire FILE -w W --supplier NAME`.")
    return history[-1]


def find_supplier(ws: Workspace, name: str) -> Supplier:
    with ws.unit_of_work() as uow:
        suppliers = uow.records.list(Supplier)
    found = [s for s in suppliers if s.name.casefold() == name.strip().casefold()]
    if not found:
        known = ", ".join(sorted(s.name for s in suppliers)) or "none yet"
        raise NotFoundError(f"There is no supplier '{name}'; check the spelling (suppliers: {known}).")
    return found[0]


def predict_target(prior_score: Decimal | None, history: list[bool]) -> Prediction:
    """The port the measurement issue feeds: maturity score (0..1 or None) and met/missed periods, oldest first."""
    return predict(history, prior_score=prior_score)


# --- import ---------------------------------------------------------------------------------


@retry_when_busy
def import_questionnaire(ws: Workspace, parsed: QuestionnaireFile, *, supplier: str | None,
                         as_template: str | None, today: date, dry_run: bool = False) -> ImportOutcome:
    """Store what an importer read: the template version and, with answers, the assessment — all or nothing."""
    findings = list(parsed.findings)
    template = parsed.template
    if as_template:
        template = dataclasses.replace(template, name=as_template)
    supplier_name = supplier or parsed.supplier_name
    if parsed.supplier_name and supplier and parsed.supplier_name.casefold() != supplier.casefold():
        findings.append(ImportFinding(Severity.WARNING, "other-supplier", f"The file was prepared for "
                                      f"'{parsed.supplier_name}' but is imported for '{supplier}'."))
    target = find_supplier(ws, supplier_name) if supplier_name else None
    answers = parsed.answers
    with ws.unit_of_work() as uow:
        difference = None if as_template or parsed.origin == "sltdesk" else \
            closest_template(uow.questionnaires.templates(), template)
        if difference is not None:  # a filled copy of a questionnaire imported before: its answers go to that template
            stored, is_new = difference.template, False
            answers = _attach(difference, answers, findings)
        else:
            stored, is_new = store_template(ws, uow, template)
        if is_new and parsed.origin == "sltdesk":
            findings.append(ImportFinding(Severity.INFO, "template-added", f"Template '{stored.name}' was not in "
                                          f"this workspace in this form; stored as version {stored.version}."))
        assessment = None
        answered = sum(1 for a in answers if a.answer)
        if answered and target is not None:
            _refuse_reimport(uow, target, parsed)
            assessment = _add_assessment(ws, uow, Assessment(
                supplier_id=stored_id(target), template_id=stored_id(stored), assessed_on=parsed.completed_on or today,
                answers=tuple(a for a in answers if a.answer or a.evidence or a.comment),
                assessor=ws.user, source=f"{parsed.file_name} sha256:{parsed.sha256}"))
        elif answered:
            findings.append(ImportFinding(Severity.WARNING, "no-supplier", f"{answered} answers were "
                                          "read but not stored: name the supplier (--supplier) to store them."))
        if not dry_run:
            uow.commit()
    card = score_assessment(stored, assessment.answers) if assessment else None
    unanswered = tuple(q.code for q in stored.questions if not _answered(answers, q.code))
    return ImportOutcome(stored, is_new, assessment, card, unanswered if answered else (),
                         tuple(findings), stored=not dry_run, difference=difference)


def _attach(difference: TemplateDifference, answers: tuple[Answer, ...],
            findings: list[ImportFinding]) -> tuple[Answer, ...]:
    """The file's answers put on the stored template's questions, with a finding that says how the file differs."""
    known = difference.template
    where = f"template '{known.name}' version {known.version}"
    if difference.same_questions:
        findings.append(ImportFinding(Severity.INFO, "template-matched", f"The questions are those of {where}: "
                                      "the file is read against it."))
    else:
        findings.append(ImportFinding(Severity.WARNING, "template-attached", f"The file differs slightly from "
                                      f"{where}: {difference.summary()}. It is read against that template: answers "
                                      "to added questions are not stored, removed questions count as unanswered, "
                                      "reworded ones keep the template's text. To store the file as a template of "
                                      "its own, import it with --as-template NAME."))
    moved = tuple(dataclasses.replace(a, question=difference.matched[a.question]) for a in answers
                  if a.question in difference.matched)
    off_scale = [a.question for a in moved if a.answer and (q := known.question(a.question)) is not None
                 and q.scale.option(a.answer) is None]
    if off_scale:
        findings.append(ImportFinding(Severity.WARNING, "answer-not-on-scale", f"{len(off_scale)} answers are not "
                                      f"options of {where} ({', '.join(off_scale[:10])}); they count as "
                                      "unanswered."))
    return moved


def _answered(answers: tuple[Answer, ...], code: str) -> bool:
    return any(a.question == code and a.answer for a in answers)


def _refuse_reimport(uow: UnitOfWork, supplier: Supplier, parsed: QuestionnaireFile) -> None:
    for earlier in uow.questionnaires.assessments(supplier.id):
        if earlier.source.endswith(f"sha256:{parsed.sha256}"):
            raise QuestionnaireError(f"This file was already imported for {supplier.name} as assessment "
                                     f"{earlier.id} ({earlier.assessed_on}); delete that assessment to import "
                                     "it again.")


def _add_assessment(ws: Workspace, uow: UnitOfWork, assessment: Assessment) -> Assessment:
    template = uow.questionnaires.template(assessment.template_id)
    if template is None:
        raise NotFoundError(f"There is no questionnaire template with id {assessment.template_id}.")
    unknown = [a.question for a in assessment.answers if template.question(a.question) is None]
    if unknown:
        raise ValidationError({"answers": f"Answers name questions the template does not have: "
                                          f"{', '.join(unknown[:5])}."})
    stored = uow.questionnaires.add_assessment(dataclasses.replace(assessment, id=None))
    append_audit(ws, uow, action="create", entity="questionnaire_assessment", entity_id=stored.id, before=None,
                 after=_assessment_plain(stored))
    return stored


def _assessment_plain(a: Assessment) -> dict:
    return {"supplier_id": a.supplier_id, "template_id": a.template_id, "assessed_on": a.assessed_on.isoformat(),
            "assessor": a.assessor, "source": a.source, "notes": a.notes,
            "answers": {x.question: x.answer for x in a.answers},
            "evidence": {x.question: x.evidence for x in a.answers if x.evidence},
            "comments": {x.question: x.comment for x in a.answers if x.comment}}
