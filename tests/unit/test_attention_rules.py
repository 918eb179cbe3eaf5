"""The attention list's rules: notice deadlines around today, a tacit renewal's wording, urgency and the heat map."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sltdesk.domain.register import Contract, RenewalType
from sltdesk.domain.results import Status
from sltdesk.rules.attention import (
    AttentionItem,
    Heat,
    Kind,
    Place,
    Urgency,
    heat_cell,
    lapsed_recently,
    ranked,
)
from sltdesk.rules.renewals import renewal_alerts

TODAY = date(2026, 12, 6)


def contract(ref: str, deadline: date, renewal: RenewalType = RenewalType.TACIT, notice_days: int = 60) -> Contract:
    """A contract whose notice deadline falls on `deadline`."""
    end = deadline + timedelta(days=notice_days)
    return Contract(ref, 1, "Colocation", date(2022, 1, 1), end, "GBP", Decimal("1000"), renewal_type=renewal,
                    notice_days=notice_days, id=len(ref))


def notices(*contracts: Contract) -> dict[str, tuple[int, bool, str]]:
    return {a.contract_ref: (a.days_left, a.passed, a.sentence)
            for a in renewal_alerts(list(contracts), today=TODAY) if a.kind == "notice deadline"}


def test_a_deadline_today_is_still_open_and_says_today():
    assert notices(contract("T", TODAY))["T"] == (
        0, False, "T: renews by itself on 05 Feb 2027 unless notice is given by 06 Dec 2026 (today).")


def test_a_deadline_yesterday_has_passed_and_is_still_listed():
    assert notices(contract("Y", TODAY - timedelta(days=1)))["Y"] == (
        -1, True, "Y: renews by itself on 04 Feb 2027 unless notice is given by 05 Dec 2026 (passed 1 day ago).")


def test_a_deadline_30_days_ago_is_listed_and_31_days_ago_is_not():
    found = notices(contract("D30", TODAY - timedelta(days=30)), contract("D31", TODAY - timedelta(days=31)))
    assert list(found) == ["D30"]
    assert found["D30"][:2] == (-30, True) and found["D30"][2].endswith("(passed 30 days ago).")


def test_a_tacit_renewal_never_reads_as_an_end_and_an_express_one_does():
    alerts = renewal_alerts([contract("TAC", date(2026, 12, 2)),
                             contract("EXP", date(2026, 12, 20), RenewalType.EXPRESS, notice_days=20)], today=TODAY)
    assert [(a.contract_ref, a.kind) for a in alerts] == [("TAC", "notice deadline"), ("EXP", "notice deadline"),
                                                         ("EXP", "contract end")]
    assert alerts[0].sentence == ("TAC: renews by itself on 01 Feb 2027 unless notice is given by 02 Dec 2026 "
                                  "(passed 4 days ago).")
    assert alerts[1].sentence == ("EXP: ends on 09 Jan 2027 unless renewed expressly; decide by 20 Dec 2026 "
                                  "(14 days left).")


def test_a_contract_that_never_renews_has_no_notice_deadline_only_its_end():
    alerts = renewal_alerts([contract("NEV", TODAY, RenewalType.NEVER, notice_days=10)], today=TODAY)
    assert [(a.kind, a.days_left) for a in alerts] == [("contract end", 10)]


def test_a_claim_window_closed_yesterday_or_90_days_ago_is_listed_not_91_days_ago_or_today():
    assert [lapsed_recently(TODAY - timedelta(days=d), today=TODAY) for d in (0, 1, 90, 91)] == [
        False, True, True, False]
    assert lapsed_recently(None, today=TODAY) is False


def test_rows_are_ranked_overdue_first_then_longest_overdue_then_nearest():
    def item(urgency: Urgency, days: int | None, text: str) -> AttentionItem:
        return AttentionItem(Kind.ACTION, urgency, text, Place.REVIEWS, days_left=days)

    rows = ranked([item(Urgency.WATCH, 3, "watch"), item(Urgency.OVERDUE, -2, "late 2"),
                   item(Urgency.SOON, 9, "soon"), item(Urgency.OVERDUE, -40, "late 40"),
                   item(Urgency.OVERDUE, None, "never tested")])
    assert [r.sentence for r in rows] == ["late 40", "late 2", "never tested", "soon", "watch"]


def test_a_heat_cell_is_missed_when_any_target_missed_else_incomplete_else_met():
    missed = heat_cell("2026-10", [(1, 10, "Availability", Status.MET), (1, 11, "P1", Status.MISSED),
                                   (2, 20, "Backup", Status.INCOMPLETE)])
    assert (missed.heat, missed.contract_id, missed.target_id) == (Heat.MISSED, 1, 11)
    assert missed.text == "2026-10: 1 of 3 targets missed (P1)"
    grey = heat_cell("2026-11", [(1, 10, "Availability", Status.AT_RISK), (2, 20, "Backup", Status.IN_PROGRESS)])
    assert (grey.heat, grey.target_id) == (Heat.INCOMPLETE, 20)
    assert heat_cell("2026-09", [(1, 10, "Availability", Status.AT_RISK)]).heat is Heat.MET
    assert heat_cell("2026-08", [(1, 10, "Availability", Status.NO_DATA)]).heat is Heat.NONE
