"""Use cases of joint service reviews: create a review from the previous one (open actions carried over),
attendees, agenda notes, decisions, the improvement backlog and root-cause records. Every change is audited."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sltdesk.domain.period import Period
from sltdesk.domain.register import Contract, ContractTarget, Supplier
from sltdesk.domain.reviews import (
    REVIEW_ENTITIES,
    STANDARD_AGENDA,
    ActionStatus,
    AgendaItem,
    AgendaNote,
    Attendee,
    Decision,
    ImprovementAction,
    Review,
    ReviewAction,
    RootCause,
    RootCauseMethod,
    Side,
)
from sltdesk.domain.serial import to_plain
from sltdesk.domain.stored import stored_id
from sltdesk.errors import NotFoundError, SltDeskError
from sltdesk.services.audit import append_audit
from sltdesk.services.ports import UnitOfWork, Workspace
from sltdesk.services.register import require_record
from sltdesk.services.retry import retry_when_busy


class ReviewError(SltDeskError):
    """A review, action or root-cause record cannot be stored as asked."""


@dataclass(frozen=True)
class ReviewSummary:
    review: Review
    supplier: str
    backlog: int
    open_actions: int
    decisions: int


@dataclass(frozen=True)
class BacklogItem:
    action: ImprovementAction
    carried: bool  # carried over open from an earlier review
    target: str  # "NW-2025-014 SL1 Availability" or ""
    effect: str = ""  # a done action linked to a target: did it work? (sltdesk/services/action_effects.py)


@dataclass(frozen=True)
class ReviewDetail:
    review: Review
    supplier: str
    previous_period: str
    attendees: tuple[Attendee, ...]
    notes: tuple[AgendaNote, ...]  # one per agenda item, in agenda order ("" where nothing was noted)
    decisions: tuple[Decision, ...]
    backlog: tuple[BacklogItem, ...]
    root_causes: tuple[RootCause, ...]  # recorded at this review

    def note(self, item: AgendaItem) -> str:
        return next((n.text for n in self.notes if n.item is item), "")


# --- reviews -----------------------------------------------------------------------------------


def list_reviews(ws: Workspace, supplier: str | int | None = None) -> list[ReviewSummary]:
    """Reviews (of one supplier, or all), newest period first."""
    with ws.unit_of_work() as uow:
        names = {s.id: s.name for s in uow.records.list(Supplier)}
        equals = {} if supplier is None else {"supplier_id": resolve_supplier(uow, supplier).id}
        reviews = uow.records.list(Review, **equals)
        links = uow.records.list(ReviewAction)
        actions = {a.id: a for a in uow.records.list(ImprovementAction)}
        decisions = uow.records.list(Decision)
    out = []
    for r in reviews:
        mine = [actions[link.action_id] for link in links if link.review_id == r.id]
        out.append(ReviewSummary(r, names.get(r.supplier_id, "?"), len(mine), sum(a.status.is_open for a in mine),
                                 sum(d.review_id == r.id for d in decisions)))
    return sorted(out, key=lambda s: (Period.parse(s.review.period), s.supplier.casefold()), reverse=True)


def find_review(ws: Workspace, supplier: str | int, period: str) -> Review | None:
    label = _label(period)
    with ws.unit_of_work() as uow:
        found = uow.records.list(Review, supplier_id=resolve_supplier(uow, supplier).id, period=label)
    return found[0] if found else None


@retry_when_busy
def create_review(ws: Workspace, *, supplier: str | int, period: str, held_on: date, title: str = "") -> Review:
    """A new review; the supplier's open actions are carried onto its backlog, attendees copied from the last one."""
    label = _label(period)
    with ws.unit_of_work() as uow:
        owner = resolve_supplier(uow, supplier)
        earlier = [r for r in uow.records.list(Review, supplier_id=owner.id)]
        if any(r.period == label for r in earlier):
            raise ReviewError(f"{owner.name} already has a review for {label}; open it instead.")
        before = [r for r in earlier if Period.parse(r.period) < Period.parse(label)]
        previous = max(before, key=lambda r: (Period.parse(r.period), r.held_on), default=None)
        review = _add(ws, uow, Review(stored_id(owner), label, held_on, title or f"{owner.name} service review {label}",
                                      previous.id if previous else None))
        if previous is not None:
            for person in uow.records.list(Attendee, review_id=previous.id):
                _add(ws, uow, replace(person, review_id=review.id, id=None))
        for action in uow.records.list(ImprovementAction, supplier_id=owner.id):
            if action.status.is_open:
                _add(ws, uow, ReviewAction(review.id, stored_id(action), carried=True))
        uow.commit()
    return review


def review_detail(ws: Workspace, review_id: int) -> ReviewDetail:
    with ws.unit_of_work() as uow:
        review = _review(uow, review_id)
        supplier = require_record(uow, Supplier, review.supplier_id)
        previous = uow.records.get(Review, review.previous_id) if review.previous_id else None
        stored = {n.item: n for n in uow.records.list(AgendaNote, review_id=review_id)}
        notes = tuple(stored.get(item, AgendaNote(review_id, item, "")) for item in STANDARD_AGENDA)
        names = _target_names(uow, review.supplier_id)
        backlog = []
        for link in uow.records.list(ReviewAction, review_id=review_id):
            action = require_record(uow, ImprovementAction, link.action_id)
            name = names.get(action.target_id, "") if action.target_id is not None else ""
            backlog.append(BacklogItem(action, link.carried, name))
        detail = ReviewDetail(review, supplier.name, previous.period if previous else "",
                              tuple(uow.records.list(Attendee, review_id=review_id)), notes,
                              tuple(uow.records.list(Decision, review_id=review_id)), tuple(backlog),
                              tuple(uow.records.list(RootCause, review_id=review_id)))
    from sltdesk.services.action_effects import with_effects

    return replace(detail, backlog=with_effects(ws, detail.backlog))


@retry_when_busy
def set_note(ws: Workspace, review_id: int, item: AgendaItem, text: str) -> AgendaNote:
    """Write (or clear) the note under one agenda item."""
    with ws.unit_of_work() as uow:
        _review(uow, review_id)
        found = uow.records.list(AgendaNote, review_id=review_id, item=item)
        note = AgendaNote(review_id, item, text.strip())
        if found and found[0].text == note.text:
            return found[0]
        if found:
            note = uow.records.update(replace(note, id=found[0].id, version=found[0].version))
            _audit(ws, uow, "update", found[0], note)
        else:
            note = _add(ws, uow, note)
        uow.commit()
    return note


@retry_when_busy
def add_attendee(ws: Workspace, review_id: int, name: str, *, side: Side = Side.OURS, role: str = "") -> Attendee:
    if not name.strip():
        raise ReviewError("Write the attendee's name.")
    with ws.unit_of_work() as uow:
        _review(uow, review_id)
        person = _add(ws, uow, Attendee(review_id, name.strip(), side, role.strip()))
        uow.commit()
    return person


@retry_when_busy
def add_decision(ws: Workspace, review_id: int, text: str, *, owner: str = "") -> Decision:
    if not text.strip():
        raise ReviewError("Write what was decided.")
    with ws.unit_of_work() as uow:
        _review(uow, review_id)
        decision = _add(ws, uow, Decision(review_id, text.strip(), owner.strip()))
        uow.commit()
    return decision


@retry_when_busy
def remove(ws: Workspace, kind: type, record_id: int) -> object:
    """Delete an attendee, agenda note or decision (audited); returns it."""
    if kind not in (Attendee, AgendaNote, Decision):
        raise ReviewError("Only attendees, agenda notes and decisions can be removed; close actions instead.")
    with ws.unit_of_work() as uow:
        found = uow.records.get(kind, record_id)
        if found is None:
            raise NotFoundError(f"There is no {REVIEW_ENTITIES[kind].replace('_', ' ')} {record_id}.")
        uow.records.delete(kind, record_id)
        _audit(ws, uow, "delete", found, None)
        uow.commit()
    return found


# --- improvement actions -----------------------------------------------------------------------


@retry_when_busy
def add_action(ws: Workspace, review_id: int, text: str, *, owner: str = "", due_on: date | None = None,
               target_id: int | None = None, breach_period: str = "", opened_on: date | None = None
               ) -> ImprovementAction:
    """Raise an action at a review: it goes on the supplier's backlog and this review's. It counts as opened on
    the review's day unless `opened_on` says it was opened earlier (work begun before the review recorded it)."""
    if not text.strip():
        raise ReviewError("Write what the action is.")
    with ws.unit_of_work() as uow:
        review = _review(uow, review_id)
        _check_target(uow, review.supplier_id, target_id)
        action = _add(ws, uow, ImprovementAction(
            review.supplier_id, text.strip(), owner.strip(), due_on, ActionStatus.OPEN, target_id,
            _label(breach_period) if breach_period else "", review.id, opened_on=opened_on or review.held_on))
        _add(ws, uow, ReviewAction(stored_id(review), action.id, carried=False))
        uow.commit()
    return action


@retry_when_busy
def update_action(ws: Workspace, action: ImprovementAction, *, on: date) -> ImprovementAction:
    """Store a changed action; closing it (done, dropped) records the day, reopening clears it."""
    with ws.unit_of_work() as uow:
        before = uow.records.get(ImprovementAction, action.id) if action.id is not None else None
        if before is None:
            raise NotFoundError(f"There is no action {action.ref}; list them with `sltdesk actions list`.")
        _check_target(uow, before.supplier_id, action.target_id)
        closed = None if action.status.is_open else (before.closed_on if not before.status.is_open else on)
        if action.opened_on is not None and closed is not None and action.opened_on > closed:
            raise ReviewError(f"{action.ref} cannot be closed on {closed}, before it was opened ({action.opened_on}).")
        after = replace(action, supplier_id=before.supplier_id, raised_in=before.raised_in, closed_on=closed,
                        text=action.text.strip() or before.text)
        if after == before:
            return after
        after = uow.records.update(after)
        _audit(ws, uow, "update", before, after)
        uow.commit()
    return after


def supplier_actions(ws: Workspace, supplier: str | int, *, open_only: bool = False) -> list[ImprovementAction]:
    with ws.unit_of_work() as uow:
        found = uow.records.list(ImprovementAction, supplier_id=resolve_supplier(uow, supplier).id)
    return [a for a in found if a.status.is_open or not open_only]


def get_action(ws: Workspace, action_id: int) -> ImprovementAction:
    with ws.unit_of_work() as uow:
        found = uow.records.get(ImprovementAction, action_id)
    if found is None:
        raise NotFoundError(f"There is no action A-{action_id}; list them with `sltdesk actions list`.")
    return found


# --- root causes -------------------------------------------------------------------------------


@retry_when_busy
def record_root_cause(ws: Workspace, cause: RootCause) -> RootCause:
    """Attach a Five Whys chain or a cause-and-effect list to a breach (a target and period)."""
    if not cause.problem.strip():
        raise ReviewError("Describe the problem (what was missed, when, how badly).")
    if cause.method is RootCauseMethod.FIVE_WHYS and not any(w.strip() for w in cause.whys):
        raise ReviewError("A Five Whys record needs at least one answer to 'why?'.")
    if cause.method is RootCauseMethod.CAUSE_AND_EFFECT and not cause.causes:
        raise ReviewError("A cause-and-effect record needs at least one cause.")
    cause = replace(cause, period=_label(cause.period), whys=tuple(w.strip() for w in cause.whys if w.strip()),
                    id=None)
    with ws.unit_of_work() as uow:
        target = uow.records.get(ContractTarget, cause.target_id)
    if target is None:
        raise NotFoundError(f"There is no contract target {cause.target_id}.")
    _refuse_if_met(ws, target, cause.period)
    with ws.unit_of_work() as uow:
        if cause.review_id is not None:
            _review(uow, cause.review_id)
        stored = _add(ws, uow, replace(cause, recorded_by=cause.recorded_by or ws.user))
        uow.commit()
    return stored


def _refuse_if_met(ws: Workspace, target: ContractTarget, period: str) -> None:
    """A root cause explains a miss: a period the target was measured as met in has none to explain."""
    from sltdesk.services.attainment import attainment_history

    results = attainment_history(ws, target.contract_id, [period]).get(stored_id(target), [])
    result = results[0] if results else None
    if result is not None and result.met is True:
        raise ReviewError(f"'{target.name}' was met in {period} ({result.achieved_text} {result.unit} against "
                          f"{result.threshold} {result.unit}); a root cause belongs to a period it was missed in.")


def root_causes_for(ws: Workspace, target_ids: list[int]) -> list[RootCause]:
    with ws.unit_of_work() as uow:
        return [c for c in uow.records.list(RootCause) if c.target_id in set(target_ids)]


# --- helpers -----------------------------------------------------------------------------------


def resolve_supplier(uow: UnitOfWork, supplier: str | int) -> Supplier:
    if isinstance(supplier, int):
        found = uow.records.get(Supplier, supplier)
        if found is None:
            raise NotFoundError(f"There is no supplier with id {supplier}.")
        return found
    suppliers = uow.records.list(Supplier)
    match = [s for s in suppliers if s.name.casefold() == supplier.strip().casefold()]
    if not match:
        known = ", ".join(sorted(s.name for s in suppliers)) or "none yet"
        raise NotFoundError(f"There is no supplier '{supplier}'; check the spelling (suppliers: {known}).")
    return match[0]


def target_names(ws: Workspace, supplier_id: int) -> dict[int, str]:
    """target id -> "contract ref target name" for the supplier's contracts."""
    with ws.unit_of_work() as uow:
        return _target_names(uow, supplier_id)


def _review(uow: UnitOfWork, review_id: int) -> Review:
    found = uow.records.get(Review, review_id)
    if found is None:
        raise NotFoundError(f"There is no review {review_id}; list them with `sltdesk review list`.")
    return found


def _target_names(uow: UnitOfWork, supplier_id: int) -> dict[int, str]:
    contracts = uow.records.list(Contract, supplier_id=supplier_id)
    return {stored_id(t): f"{c.ref} {t.name}" for c in contracts
            for t in uow.records.list(ContractTarget, contract_id=c.id)}


def _check_target(uow: UnitOfWork, supplier_id: int, target_id: int | None) -> None:
    if target_id is not None and target_id not in _target_names(uow, supplier_id):
        raise ReviewError("Link the action to a target of this supplier's contracts (or to none).")


def _label(period: str) -> str:
    try:
        return Period.parse(period).label
    except ValueError as error:
        raise ReviewError(f"{str(error)[0].upper()}{str(error)[1:]}.") from None


def _add(ws: Workspace, uow: UnitOfWork, record):
    stored = uow.records.add(record)
    _audit(ws, uow, "create", None, stored)
    return stored


def _audit(ws: Workspace, uow: UnitOfWork, action: str, before, after) -> None:
    record = after if after is not None else before
    append_audit(ws, uow, action=action, entity=REVIEW_ENTITIES[type(record)], entity_id=record.id,
                 before=None if before is None else to_plain(before),
                 after=None if after is None else to_plain(after))
