"""The demo portfolio's credit clauses and credit notes, built through the real import path (slow: ~15 s)."""

from __future__ import annotations

from datetime import date

import pytest

from models.workspace import open_workspace
from sltdesk.domain.penalties import ClauseRecord
from sltdesk.domain.reconciliation import ClaimStatus
from sltdesk.services.attainment import attainment_history
from sltdesk.services.demo import build_demo
from sltdesk.services.penalties import clause_views, penalties
from sltdesk.services.reconciliation import board
from sltdesk.wiring import demo_raw_importer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo-raw") / "demo.sltdesk"
    ws = open_workspace(path, create=True, user="demo")
    build_demo(ws, seed=7, raw_importer=demo_raw_importer)
    yield ws
    ws.close()


def test_the_demo_contracts_use_varied_clause_kinds_and_northwind_is_as_its_excerpt(demo):
    with demo.unit_of_work() as uow:
        records = uow.records.list(ClauseRecord)
    assert len({r.contract_id for r in records}) == 10 and len({r.kind for r in records}) >= 11
    _, views = clause_views(demo, "NW-2025-014")
    assert [v.text for v in views[:2]] == ["12 % of the charges at risk; allocations up to 100 %",
                                           "40 % of the at-risk amount"]
    assert {v.kind for v in views} >= {"consecutive-miss multiplier", "earn-back", "termination trigger",
                                       "claim window"}


def test_the_demo_credit_notes_are_one_correct_one_short_and_one_missing(demo):
    rows = board(demo, history=attainment_history, today=date(2026, 11, 27), first="2025-05", last="2026-10").rows
    noted = {r.contract: r for r in rows if r.notes}
    correct, short = noted["IV-2022-005"], noted["NW-2025-014"]
    assert correct.issued == correct.computed > 0 and correct.status is ClaimStatus.ISSUED
    assert 0 < short.issued < short.computed and short.status is ClaimStatus.DISPUTED
    assert any(w.startswith("the credit note is short by GBP") for w in short.warnings)
    missing = [r for r in rows if r.contract == "PF-2025-007" and r.status is ClaimStatus.CLAIMED]
    assert len(missing) == 1 and missing[0].issued == 0 and not missing[0].notes
    assert any("no credit note imported yet" in w for w in missing[0].warnings)


def test_the_demo_credit_notes_were_computed_by_the_engine_over_the_demo_attainment(demo):
    credits = penalties(demo, "IV-2022-005", "2026-07", history=attainment_history)
    assert credits.total > 0 and credits.lines[0].trace[0].text.startswith("Power availability 2026-07: achieved")
