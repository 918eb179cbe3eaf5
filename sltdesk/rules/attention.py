"""What needs a vendor manager's attention today: one kind of row for every source, sorted by urgency.

The rows are read from results computed elsewhere (the per-period results, the reconciliation board, the
backlog, the plans, the renewal alerts); this module only words them, ranks them and folds a supplier's
targets into one heat-map cell per month. Pure: `today` is passed in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from sltdesk.domain.results import Status

LAPSED_DAYS = 90  # a claim window that closed unclaimed this many days ago or fewer is still listed


class Urgency(StrEnum):
    """How soon a row asks for something, most urgent first."""

    OVERDUE = "overdue"  # a deadline passed, a test or action is late: red
    SOON = "due soon"  # a deadline within the warning window
    OPEN = "to do"  # something to act on this month
    WATCH = "watch"  # worth knowing: a trend, a deadline further out

    @property
    def rank(self) -> int:
        return list(Urgency).index(self)


class Kind(StrEnum):
    NOTICE = "notice deadline"
    CONTRACT_END = "contract end"
    MISSED = "target missed"
    WARNING = "early warning"
    CLAIM = "credit to claim"
    CLAIM_LAPSED = "claim deadline passed"
    DISPUTED = "disputed credit note"
    ACTION = "overdue action"
    PLAN_TEST = "contingency test overdue"
    ROOT_CAUSE = "root cause due"
    INCOMPLETE = "incomplete period"
    TARGET_REVIEW = "target review due"


class Place(StrEnum):
    """The page a row opens; the row's ids say which record on it."""

    CONTRACTS = "contracts"
    VERIFICATION = "verification"
    RECONCILIATION = "reconciliation"
    REVIEWS = "reviews"
    CONTINGENCY = "contingency plans"


KIND_ORDER = {kind: index for index, kind in enumerate(Kind)}


@dataclass(frozen=True)
class AttentionItem:
    """One thing to look at, with the page and record behind it."""

    kind: Kind
    urgency: Urgency
    sentence: str
    place: Place
    supplier: str = ""
    contract: str = ""
    contract_id: int | None = None
    target_id: int | None = None
    period: str = ""
    record_id: int | None = None  # the action, plan or contract the row opens
    due: date | None = None
    days_left: int | None = None  # negative: overdue (or passed) by that many days
    amount: Decimal | None = None
    currency: str = ""
    red: bool = False
    no_data: bool = False  # an incomplete period with nothing imported at all


def ranked(items: Iterable[AttentionItem]) -> list[AttentionItem]:
    """Most urgent first; within a level the nearest (or longest overdue) first, then by kind and contract."""
    return sorted(items, key=lambda i: (i.urgency.rank, i.days_left if i.days_left is not None else 10**6,
                                        KIND_ORDER[i.kind], i.contract, i.period, i.sentence))


def deadline_urgency(days_left: int, *, soon_days: int) -> Urgency:
    """Passed: overdue; within `soon_days` (today counts): due soon; later: watch."""
    if days_left < 0:
        return Urgency.OVERDUE
    return Urgency.SOON if days_left <= soon_days else Urgency.WATCH


def lapsed_recently(deadline: date | None, *, today: date, days: int = LAPSED_DAYS) -> bool:
    """A claim deadline that passed, at most `days` days ago."""
    return deadline is not None and 0 < (today - deadline).days <= days


def overdue_text(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''} overdue"


# --- the heat map --------------------------------------------------------------------------------------------------

class Heat(StrEnum):
    MET = "met"
    MISSED = "missed"
    INCOMPLETE = "incomplete"
    NONE = ""  # nothing measured that month


HEAT_OF = {Status.MET: Heat.MET, Status.AT_RISK: Heat.MET, Status.MISSED: Heat.MISSED,
           Status.INCOMPLETE: Heat.INCOMPLETE, Status.IN_PROGRESS: Heat.INCOMPLETE, Status.NO_DATA: Heat.NONE}


@dataclass(frozen=True)
class HeatCell:
    period: str
    heat: Heat
    contract_id: int | None = None  # the target the cell opens on the Verification page
    target_id: int | None = None
    text: str = ""  # "2 of 7 targets missed: …"


@dataclass(frozen=True)
class HeatRow:
    supplier: str
    cells: tuple[HeatCell, ...]


def heat_cell(period: str, results: Sequence[tuple[int, int, str, Status]]) -> HeatCell:
    """One supplier's month from its targets' (contract id, target id, target name, status): missed when any
    target missed, else incomplete when any has incomplete data, else met when any was judged; it opens on the
    target that decided its colour."""
    for heat in (Heat.MISSED, Heat.INCOMPLETE, Heat.MET):
        deciding = [r for r in results if HEAT_OF[r[3]] is heat]
        if deciding:
            judged = sum(1 for r in results if HEAT_OF[r[3]] is not Heat.NONE)
            names = ", ".join(r[2] for r in deciding[:3]) + (" …" if len(deciding) > 3 else "")
            word = {Heat.MISSED: "missed", Heat.INCOMPLETE: "incomplete", Heat.MET: "met"}[heat]
            return HeatCell(period, heat, deciding[0][0], deciding[0][1],
                            f"{period}: {len(deciding)} of {judged} targets {word} ({names})")
    return HeatCell(period, Heat.NONE, text=f"{period}: nothing measured")
