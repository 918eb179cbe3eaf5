"""Joint service reviews: meetings, attendees, agenda notes, decisions, the improvement backlog (actions and
which review's backlog they are on) and root-cause records.

Every table equals its record in sltdesk.domain.reviews column for column, so the generic `uow.records`
stores them (register_row_type below). Revision r0001 creates them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models import repository
from models.tables import Base, Versioned
from sltdesk.domain import reviews


class ReviewRow(Base):
    __tablename__ = "review"
    __table_args__ = (UniqueConstraint("supplier_id", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="RESTRICT"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    held_on: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(Text, default="")
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("review.id", ondelete="RESTRICT"), nullable=True,
                                                    index=True)


class ReviewAttendeeRow(Base):
    __tablename__ = "review_attendee"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    side: Mapped[str] = mapped_column(String(10))
    role: Mapped[str] = mapped_column(String(200), default="")


class ReviewAgendaNoteRow(Versioned, Base):
    __tablename__ = "review_agenda_note"
    __table_args__ = (UniqueConstraint("review_id", "item"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="RESTRICT"), index=True)
    item: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)


class ReviewDecisionRow(Base):
    __tablename__ = "review_decision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="RESTRICT"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")


class ImprovementActionRow(Versioned, Base):
    __tablename__ = "improvement_action"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("supplier.id", ondelete="RESTRICT"), index=True)
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None] = mapped_column(ForeignKey("contract_target.id", ondelete="RESTRICT"),
                                                  nullable=True, index=True)
    breach_period: Mapped[str] = mapped_column(String(10), default="")
    raised_in: Mapped[int | None] = mapped_column(ForeignKey("review.id", ondelete="RESTRICT"), nullable=True,
                                                  index=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    auto_key: Mapped[str] = mapped_column(String(40), default="", server_default="", index=True)  # revision n31001
    breaches: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    opened_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # migration n30001


class ReviewActionRow(Base):
    __tablename__ = "review_action"
    __table_args__ = (UniqueConstraint("review_id", "action_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="RESTRICT"), index=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("improvement_action.id", ondelete="RESTRICT"), index=True)
    carried: Mapped[bool] = mapped_column(Boolean, default=False)


class RootCauseRow(Base):
    __tablename__ = "root_cause"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("contract_target.id", ondelete="RESTRICT"), index=True)
    period: Mapped[str] = mapped_column(String(10))
    method: Mapped[str] = mapped_column(String(20))
    problem: Mapped[str] = mapped_column(Text)
    whys: Mapped[list] = mapped_column(JSON)
    causes: Mapped[list] = mapped_column(JSON)
    root_cause: Mapped[str] = mapped_column(Text, default="")
    countermeasure: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[str] = mapped_column(String(200), default="")
    recorded_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("review.id", ondelete="RESTRICT"), nullable=True,
                                                  index=True)


class TechnologyRefreshRow(Base):
    __tablename__ = "technology_refresh"  # revision n31001
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="RESTRICT"), index=True)
    refreshed_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")


for _record, _row in ((reviews.Review, ReviewRow), (reviews.Attendee, ReviewAttendeeRow),
                      (reviews.AgendaNote, ReviewAgendaNoteRow), (reviews.Decision, ReviewDecisionRow),
                      (reviews.ImprovementAction, ImprovementActionRow), (reviews.ReviewAction, ReviewActionRow),
                      (reviews.RootCause, RootCauseRow),
                      (reviews.TechnologyRefresh, TechnologyRefreshRow)):
    repository.register_row_type(_record, _row)
# How "cannot be deleted while … refer to it" names these tables.
repository._PLURALS.update({"review": "reviews", "review_attendee": "review attendees",
                            "review_agenda_note": "agenda notes", "review_decision": "review decisions",
                            "improvement_action": "improvement actions", "review_action": "backlog entries",
                            "root_cause": "root-cause records",
                            "technology_refresh": "technology refreshes"})
