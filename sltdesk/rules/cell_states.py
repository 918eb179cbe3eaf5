"""What a cell of the Verification grid says about one result: its state (the review pack's colours) and
whether the vendor's figure is ours, rounded the way the vendor rounds."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from sltdesk.domain.attainment import AttainmentResult
from sltdesk.domain.results import Status
from sltdesk.rules.at_risk import status


class CellState(StrEnum):
    MISSED = "missed"
    AMBER = "at risk"
    MET = "met"
    NO_DATA = "no data"


STATE_OF = {Status.MISSED: CellState.MISSED, Status.AT_RISK: CellState.AMBER, Status.MET: CellState.MET}


def cell_state(result: AttainmentResult) -> CellState:
    """The colour the review pack gives it too (sltdesk/rules/at_risk.py): red missed, amber met but with less
    than a quarter of the error budget left or an early warning, green met, grey without a verdict."""
    return STATE_OF.get(status(result), CellState.NO_DATA)


def vendor_differs(result: AttainmentResult) -> bool:
    """The vendor's figure is not ours rounded the way they round (99.97 for our 99.9677 is the same)."""
    if result.reported is None or result.achieved is None:
        return False
    exponent = result.reported.as_tuple().exponent
    assert isinstance(exponent, int)  # a figure is finite (not NaN or infinity)
    places = max(-exponent, 0)
    return result.achieved.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP) != result.reported
