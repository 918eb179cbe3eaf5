"""The review cycle of a target, worked by hand: the review-by date, and the renewal, volume and technology-refresh
triggers that bring it forward."""

from datetime import date
from decimal import Decimal

from sltdesk.domain.register import Comparison, Contract, ContractTarget, MetricKind
from sltdesk.rules.target_reviews import review_due

CONTRACT = Contract(supplier_id=1, ref="HP-2024-009", title="Service desk", start_date=date(2024, 7, 1),
                    end_date=date(2027, 6, 30), currency="GBP", charges=Decimal(1000), notice_days=90, id=5)
AS_OF = date(2026, 12, 6)


def target(**cycle) -> ContractTarget:
    return ContractTarget(contract_id=5, name="P2 resolution", metric=MetricKind.RESOLUTION_TIME,
                          threshold=Decimal(95), comparison=Comparison.AT_LEAST, id=15, **cycle)


def test_a_target_outside_any_review_cycle_is_never_due():
    assert review_due(target(), CONTRACT, as_of=AS_OF, volumes=[("2026-09", 10**6)]) is None


def test_the_review_by_date_alone_is_listed_from_thirty_days_ahead():
    assert review_due(target(review_by=date(2027, 1, 6)), CONTRACT, as_of=AS_OF) is None  # 31 days ahead
    due = review_due(target(review_by=date(2027, 1, 5)), CONTRACT, as_of=AS_OF)
    assert due is not None and due.due == date(2027, 1, 5) and not due.brought_forward and due.triggers == ()


def test_volume_over_the_margin_brings_the_review_forward_to_the_end_of_that_month():
    # 250 expected, 20 % margin: up to 300 is within the assumption; 321 in September is +28.4 %
    t = target(review_by=date(2027, 6, 1), expected_volume=Decimal(250), volume_margin=Decimal(20))
    volumes = [("2026-07", 300), ("2026-08", 290), ("2026-09", 321), ("2026-10", 330)]
    due = review_due(t, CONTRACT, as_of=AS_OF, volumes=volumes)
    assert due is not None and due.due == date(2026, 10, 1) and due.brought_forward
    assert due.triggers[0].reason == "321 tickets in 2026-09 against 250 expected (+28.4 %, more than the 20 % " \
                                     "allowed)"
    assert "was due on 01 Oct 2026 (planned for 01 Jun 2027)" in due.sentence(AS_OF)
    assert review_due(t, CONTRACT, as_of=AS_OF, volumes=volumes[:2]) is None  # 300 is not over 300


def test_a_review_after_the_excess_clears_it_until_the_volume_exceeds_again():
    t = target(review_by=date(2027, 6, 1), expected_volume=Decimal(250), volume_margin=Decimal(20),
               reviewed_on=date(2026, 10, 15))
    assert review_due(t, CONTRACT, as_of=AS_OF, volumes=[("2026-09", 321), ("2026-10", 300)]) is None
    due = review_due(t, CONTRACT, as_of=AS_OF, volumes=[("2026-09", 321), ("2026-10", 301)])
    assert due is not None and due.due == date(2026, 11, 1)


def test_the_renewal_notice_deadline_and_a_technology_refresh_bring_it_forward():
    t = target(review_by=date(2027, 12, 1))
    near = Contract(**{**CONTRACT.__dict__, "end_date": date(2027, 3, 1)})  # notice deadline 1 Dec 2026
    due = review_due(t, near, as_of=AS_OF)
    assert due is not None and due.due == date(2026, 12, 1)
    assert due.triggers[0].reason == "the contract's notice deadline for renewal is 01 Dec 2026"
    refreshed = review_due(t, CONTRACT, as_of=AS_OF, refreshes=[(date(2026, 11, 20), "Service desk (new ITSM tool)")])
    assert refreshed is not None and refreshed.due == date(2026, 11, 20)
    assert review_due(target(review_by=date(2027, 12, 1), reviewed_on=date(2026, 11, 25)), CONTRACT, as_of=AS_OF,
                      refreshes=[(date(2026, 11, 20), "Service desk")]) is None
