"""Questionnaire templates (versioned), assessments with answers, and per-period target results."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.repository import REPOSITORIES, register_row_type
from models.tables import Base
from models.types import DecimalText
from sltdesk.domain import questionnaires as qd


class QuestionnaireTemplateRow(Base):
    __tablename__ = "questionnaire_template"
    __table_args__ = (UniqueConstraint("name", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    fingerprint: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[str] = mapped_column(String(32))


class QuestionnaireSectionRow(Base):
    __tablename__ = "questionnaire_section"
    __table_args__ = (UniqueConstraint("template_id", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_template.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    weight: Mapped[Decimal] = mapped_column(DecimalText)
    description: Mapped[str] = mapped_column(Text, default="")


class QuestionnaireQuestionRow(Base):
    __tablename__ = "questionnaire_question"
    __table_args__ = (UniqueConstraint("template_id", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_template.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(100))
    section_code: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    guidance: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[Decimal] = mapped_column(DecimalText)
    scale: Mapped[dict] = mapped_column(JSON)
    evidence_requested: Mapped[bool] = mapped_column(Boolean)
    criticality: Mapped[str] = mapped_column(String(20))


class QuestionnaireAssessmentRow(Base):
    __tablename__ = "questionnaire_assessment"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="RESTRICT"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_template.id", ondelete="RESTRICT"),
                                             index=True)
    assessed_on: Mapped[date] = mapped_column(Date)
    assessor: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class QuestionnaireAnswerRow(Base):
    __tablename__ = "questionnaire_answer"
    __table_args__ = (UniqueConstraint("assessment_id", "question_code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("questionnaire_assessment.id", ondelete="CASCADE"),
                                               index=True)
    position: Mapped[int] = mapped_column(Integer)
    question_code: Mapped[str] = mapped_column(String(100))
    answer: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")


# Generic `uow.records` access (and "in use" checks when a supplier or target is deleted).
register_row_type(qd.AssessmentHeader, QuestionnaireAssessmentRow)


class SqlQuestionnaires:
    """Templates with their sections and questions; assessments with their answers. Never commits."""

    def __init__(self, session: Session):
        self._s = session

    # --- templates --------------------------------------------------------------------------
    def templates(self, name: str | None = None) -> list[qd.QuestionnaireTemplate]:
        query = select(QuestionnaireTemplateRow).order_by(QuestionnaireTemplateRow.name,
                                                          QuestionnaireTemplateRow.version)
        if name is not None:
            query = query.where(QuestionnaireTemplateRow.name == name)
        return [self._template(row) for row in self._s.scalars(query)]

    def template(self, template_id: int) -> qd.QuestionnaireTemplate | None:
        row = self._s.get(QuestionnaireTemplateRow, template_id)
        return None if row is None else self._template(row)

    def latest_version(self, name: str) -> int:
        query = select(func.max(QuestionnaireTemplateRow.version)).where(QuestionnaireTemplateRow.name == name)
        return self._s.scalar(query) or 0

    def find_template(self, name: str, fingerprint: str) -> qd.QuestionnaireTemplate | None:
        query = (select(QuestionnaireTemplateRow).where(QuestionnaireTemplateRow.name == name,
                                                        QuestionnaireTemplateRow.fingerprint == fingerprint)
                 .order_by(QuestionnaireTemplateRow.version.desc()).limit(1))
        row = self._s.scalars(query).first()
        return None if row is None else self._template(row)

    def add_template(self, template: qd.QuestionnaireTemplate) -> qd.QuestionnaireTemplate:
        row = QuestionnaireTemplateRow(
            name=template.name, version=template.version, title=template.title, description=template.description,
            source=template.source, fingerprint=template.fingerprint, created_at=template.created_at)
        self._s.add(row)
        self._s.flush()
        for position, s in enumerate(template.sections):
            self._s.add(QuestionnaireSectionRow(template_id=row.id, position=position, code=s.code, title=s.title,
                                                weight=s.weight, description=s.description))
        for position, q in enumerate(template.questions):
            self._s.add(QuestionnaireQuestionRow(
                template_id=row.id, position=position, code=q.code, section_code=q.section, text=q.text,
                guidance=q.guidance, weight=q.weight, scale=qd.scale_to_plain(q.scale),
                evidence_requested=q.evidence_requested, criticality=q.criticality.value))
        self._s.flush()
        return self._template(row)

    def _template(self, row: QuestionnaireTemplateRow) -> qd.QuestionnaireTemplate:
        sections = self._s.scalars(select(QuestionnaireSectionRow).where(
            QuestionnaireSectionRow.template_id == row.id).order_by(QuestionnaireSectionRow.position))
        questions = self._s.scalars(select(QuestionnaireQuestionRow).where(
            QuestionnaireQuestionRow.template_id == row.id).order_by(QuestionnaireQuestionRow.position))
        return qd.QuestionnaireTemplate(
            name=row.name, title=row.title, description=row.description, version=row.version, source=row.source,
            created_at=row.created_at, id=row.id,
            sections=tuple(qd.Section(s.code, s.title, s.weight, s.description) for s in sections),
            questions=tuple(qd.Question(
                code=q.code, section=q.section_code, text=q.text, scale=qd.scale_from_plain(q.scale),
                guidance=q.guidance, weight=q.weight, evidence_requested=q.evidence_requested,
                criticality=qd.QuestionCriticality(q.criticality)) for q in questions))

    # --- assessments ------------------------------------------------------------------------
    def assessments(self, supplier_id: int | None = None) -> list[qd.Assessment]:
        query = select(QuestionnaireAssessmentRow).order_by(QuestionnaireAssessmentRow.assessed_on,
                                                            QuestionnaireAssessmentRow.id)
        if supplier_id is not None:
            query = query.where(QuestionnaireAssessmentRow.supplier_id == supplier_id)
        rows = list(self._s.scalars(query))
        answers = self._answers([r.id for r in rows])
        return [self._assessment(r, answers.get(r.id, ())) for r in rows]

    def assessment(self, assessment_id: int) -> qd.Assessment | None:
        row = self._s.get(QuestionnaireAssessmentRow, assessment_id)
        return None if row is None else self._assessment(row, self._answers([row.id]).get(row.id, ()))

    def add_assessment(self, assessment: qd.Assessment) -> qd.Assessment:
        row = QuestionnaireAssessmentRow(
            supplier_id=assessment.supplier_id, template_id=assessment.template_id,
            assessed_on=assessment.assessed_on, assessor=assessment.assessor, source=assessment.source,
            notes=assessment.notes)
        self._s.add(row)
        self._s.flush()
        self._s.add_all(QuestionnaireAnswerRow(assessment_id=row.id, position=i, question_code=a.question,
                                               answer=a.answer, evidence=a.evidence, comment=a.comment)
                        for i, a in enumerate(assessment.answers))
        self._s.flush()
        return self._assessment(row, assessment.answers)

    def delete_assessment(self, assessment_id: int) -> None:
        self._s.execute(delete(QuestionnaireAnswerRow).where(QuestionnaireAnswerRow.assessment_id == assessment_id))
        self._s.execute(delete(QuestionnaireAssessmentRow).where(QuestionnaireAssessmentRow.id == assessment_id))
        self._s.flush()

    def _answers(self, ids: list[int]) -> dict[int, tuple[qd.Answer, ...]]:
        found: dict[int, list[qd.Answer]] = {}
        for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
            query = (select(QuestionnaireAnswerRow).where(QuestionnaireAnswerRow.assessment_id.in_(chunk))
                     .order_by(QuestionnaireAnswerRow.assessment_id, QuestionnaireAnswerRow.position))
            for a in self._s.scalars(query):
                found.setdefault(a.assessment_id, []).append(qd.Answer(a.question_code, a.answer, a.evidence,
                                                                       a.comment))
        return {key: tuple(value) for key, value in found.items()}

    @staticmethod
    def _assessment(row: QuestionnaireAssessmentRow, answers: tuple[qd.Answer, ...]) -> qd.Assessment:
        return qd.Assessment(supplier_id=row.supplier_id, template_id=row.template_id, assessed_on=row.assessed_on,
                             answers=tuple(answers), assessor=row.assessor, source=row.source, notes=row.notes,
                             id=row.id)


REPOSITORIES["questionnaires"] = SqlQuestionnaires
