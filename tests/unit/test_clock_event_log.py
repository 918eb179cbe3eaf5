"""Response instants read from an event log come back as whole epoch seconds, or NA_TIME where there is none."""

from __future__ import annotations

import warnings
from decimal import Decimal

import numpy as np
import pandas as pd

from sltdesk.domain.measurement import MeasurementRule, Source
from sltdesk.rules.event_log import NA_TIME, responded_times

T0 = 1_780_000_000
MIN = 60


def test_derived_responses_are_whole_seconds_and_a_ticket_without_one_is_na_without_an_invalid_cast():
    """A is taken up after 9 min; B never leaves New, so it has no response (no NaN is cast to an integer)."""
    tickets = pd.DataFrame({"ticket_id": ["A", "B"], "opened_at": [T0, T0]})
    events = pd.DataFrame({"ticket_id": ["A", "A", "B"], "state": ["New", "Active", "New"],
                           "changed_at": [T0, T0 + 9 * MIN, T0]})
    rule = MeasurementRule(target_id=1, source=Source.TICKETS, stop="responded", limit_minutes=Decimal(15))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        found = responded_times(tickets, events, rule)
    assert found.dtype == np.int64
    assert found.tolist() == [T0 + 9 * MIN, NA_TIME]
