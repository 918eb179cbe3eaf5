"""Joint service reviews: the meeting, who attended, the standard agenda, decisions, the improvement
backlog carried from review to review, and root-cause records attached to breaches."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sltdesk.domain.register import ENTITY_NAMES, ENTITY_TYPES


class AgendaItem(StrEnum):
    """The standard agenda of a joint service review, in the order it is discussed."""

    PERFORMANCE = "performance vs targets"
    BREACHES = "breaches and root causes"
    DATA_QUALITY = "data quality and discrepancies"
    CREDITS = "credits and reconciliation"
    BACKLOG = "improvement backlog"
    CONTINGENCY = "contingency and risk"
    MATURITY = "maturity"
    DECISIONS = "decisions"


STANDARD_AGENDA: tuple[AgendaItem, ...] = tuple(AgendaItem)


class Side(StrEnum):
    OURS = "ours"
    SUPPLIER = "supplier"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in progress"
    DONE = "done"
    DROPPED = "dropped"

    @property
    def is_open(self) -> bool:
        """Still to do: carried to the supplier's next review."""
        return self in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class RootCauseMethod(StrEnum):
    FIVE_WHYS = "five whys"
    CAUSE_AND_EFFECT = "cause and effect"


@dataclass(frozen=True)
class Review:
    """One review meeting with a supplier about a period (one review per supplier and period)."""

    supplier_id: int
    period: str  # "2026-09", "2026-Q3"
    held_on: date
    title: str = ""
    previous_id: int | None = None  # the review it was created from (its open actions were carried over)
    id: int | None = None


@dataclass(frozen=True)
class Attendee:
    review_id: int
    name: str
    side: Side = Side.OURS
    role: str = ""
    id: int | None = None


@dataclass(frozen=True)
class AgendaNote:
    """What was said under one agenda item (one note per item and review)."""

    review_id: int
    item: AgendaItem
    text: str
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused


@dataclass(frozen=True)
class Decision:
    review_id: int
    text: str
    owner: str = ""
    id: int | None = None


@dataclass(frozen=True)
class ImprovementAction:
    """An action on the supplier's improvement backlog; optionally linked to a target or one of its breaches."""

    supplier_id: int
    text: str
    owner: str = ""
    due_on: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    target_id: int | None = None
    breach_period: str = ""  # with target_id: the breach (target missed in this period) it answers
    raised_in: int | None = None  # the review it was raised in
    closed_on: date | None = None
    note: str = ""
    # Opened by itself on a run of misses (sltdesk/services/breach_actions.py): "<target id>:<first missed period>";
    # "" for an action a person raised. `breaches` lists the run's missed periods, oldest first.
    auto_key: str = ""
    breaches: tuple[str, ...] = ()
    id: int | None = None
    version: int = 1  # raised by every stored change; a save from an older one is refused
    # The day the action was opened (raised, or started before the review that recorded it): "before" ends
    # here when its effect on the target is tested (sltdesk/rules/action_effect.py). None: not known.
    opened_on: date | None = None

    @property
    def automatic(self) -> bool:
        return bool(self.auto_key)

    @property
    def ref(self) -> str:
        return f"A-{self.id}" if self.id is not None else "A-new"

    def overdue(self, on: date) -> bool:
        """Still open (or in progress) after its due date."""
        return self.status.is_open and self.due_on is not None and self.due_on < on


@dataclass(frozen=True)
class ReviewAction:
    """An action on one review's backlog: raised there, or carried over open from the review before."""

    review_id: int
    action_id: int
    carried: bool = False
    id: int | None = None


@dataclass(frozen=True)
class RootCause:
    """Why a target was missed in a period: a Five Whys chain, or a cause-and-effect list."""

    target_id: int
    period: str  # the breach it is attached to (the target missed in this period)
    method: RootCauseMethod
    problem: str
    whys: tuple[str, ...] = ()  # Five Whys: the answer to each "why?", first one first
    causes: tuple[tuple[str, str], ...] = ()  # cause and effect: (category, cause), e.g. ("method", "…")
    root_cause: str = ""  # the conclusion
    countermeasure: str = ""
    recorded_by: str = ""
    recorded_on: date | None = None
    review_id: int | None = None
    id: int | None = None


@dataclass(frozen=True)
class TechnologyRefresh:
    """A technology refresh of a business service (new platform, major upgrade): the targets it reaches through
    the mapping are due for an earlier review (sltdesk/rules/target_reviews.py)."""

    service_id: int
    refreshed_on: date
    description: str = ""
    id: int | None = None


REVIEW_ENTITIES: dict[type, str] = {
    Review: "review", Attendee: "review_attendee", AgendaNote: "review_agenda_note", Decision: "review_decision",
    ImprovementAction: "improvement_action", ReviewAction: "review_action", RootCause: "root_cause",
    TechnologyRefresh: "technology_refresh",
}
for _kind, _name in REVIEW_ENTITIES.items():
    ENTITY_NAMES[_kind] = _name
    ENTITY_TYPES[_name] = _kind
