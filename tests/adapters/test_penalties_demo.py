"""The demo portfolio's credit clauses and credit notes, built through the real import path (slow: ~15 s)."""

from __future__ import annotations

import io
import json
import shutil
from contextlib import redirect_stdout
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from models.workspace import open_workspace
from sltdesk.domain.measurement import MeasurementRule, Source
from sltdesk.domain.penalties import ClauseRecord
from sltdesk.domain.reconciliation import ClaimStatus
from sltdesk.domain.register import Contract, ContractTarget, Supplier
from sltdesk.services.attainment import attainment_history
from sltdesk.services.penalties import clause_views, load_inputs, penalties
from sltdesk.services.reconciliation import board

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(raw_demo_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("demo-raw-copy") / "demo.sltdesk"
    shutil.copy(raw_demo_file, path)
    ws = open_workspace(path, user="demo")
    yield ws
    ws.close()


def test_the_demo_contracts_use_varied_clause_kinds_and_northwind_is_as_its_excerpt(demo):
    with demo.unit_of_work() as uow:
        records = uow.records.list(ClauseRecord)
    assert len({r.contract_id for r in records}) == 10 and len({r.kind for r in records}) >= 11
    _, views = clause_views(demo, "NW-2025-014")
    assert [v.text for v in views[:2]] == ["12 % of the charges at risk; allocations up to 100 %",
                                           "40 % of the at-risk amount; tiers: only the worse of the two priced"]
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


AS_OF = int(datetime(2026, 12, 6, tzinfo=UTC).timestamp())
GENERATED = ("2025-05", "2026-10")  # the demo's raw data: these 18 months, each file saying so


def _months(first: str, last: str) -> list[str]:
    from sltdesk.domain.period import months_between

    return months_between(first, last)


def test_the_incomplete_months_of_the_demo_are_the_months_it_never_generated(demo):
    """Every measured target, month by month from its contract's start to November 2026 (judged on 6 Dec 2026)."""
    with demo.unit_of_work() as uow:
        contracts = uow.records.list(Contract)
        rules = {r.target_id: r for r in uow.records.list(MeasurementRule)}
    found, expected = set(), set()
    for contract in contracts:
        months = _months(f"{contract.start_date:%Y-%m}", "2026-11")
        for target_id, results in attainment_history(demo, contract.id, months, as_of=AS_OF).items():
            if target_id not in rules:
                assert {r.completeness for r in results} == {""}  # not measured: neither complete nor not
                continue
            found |= {(contract.ref, r.period) for r in results if r.completeness == "incomplete"}
            expected |= {(contract.ref, m) for m in months if not GENERATED[0] <= m <= GENERATED[1]}
            assert all(r.completeness == "complete" for r in results if GENERATED[0] <= r.period <= GENERATED[1])
    assert found == expected
    assert {("PF-2025-007", "2026-11"), ("NW-2025-019", "2026-11"), ("NW-2025-014", "2025-01"),
            ("NW-2025-014", "2025-04"), ("NW-2025-014", "2026-11")} <= found
    outage_based = {t for t, r in rules.items() if r.source is Source.OUTAGES}
    with demo.unit_of_work() as uow:
        by_contract = {c.id: [t for t in uow.records.list(ContractTarget, contract_id=c.id) if t.id in outage_based]
                       for c in contracts}
    for contract_id, targets in by_contract.items():
        history = attainment_history(demo, contract_id, ["2025-05", "2026-10"], as_of=AS_OF)
        assert all(r.completeness == "complete" for t in targets for r in history[t.id])


def test_an_incomplete_month_is_priced_at_nothing(demo):
    inputs = load_inputs(demo, "PF-2025-007", "2026-11", history=lambda ws, cid, periods: attainment_history(
        ws, cid, periods, as_of=AS_OF), first="2025-02")
    runs = {c.period: c for c in inputs.compute()}
    for month in ("2025-02", "2025-03", "2025-04", "2026-11"):
        credits = runs[month]
        assert credits.total == 0 and credits.incomplete == ("Availability",)
        assert all(i.amount is None for i in credits.business_impact)
        assert any(n.startswith("Availability: incomplete — ") for n in credits.notes)
    assert runs["2025-05"].total > 0 and not runs["2025-05"].incomplete
    from sltdesk.services.pack import build_pack
    from sltdesk.services.pack_view import PackOptions

    view = build_pack(demo, PackOptions("PayFlow", "2026-11")).view
    [row] = [r for r in view.attainment if (r.contract, r.target) == ("PF-2025-007", "Availability")]
    assert (row.verdict, row.rag, row.achieved, row.achieved_text) == ("incomplete", "grey", None, "—")


def test_the_settled_months_show_what_is_really_outstanding(demo):
    rows = board(demo, history=attainment_history, today=date(2026, 12, 6), first="2025-05", last="2025-05").rows
    settled = {r.contract: r for r in rows if r.status is ClaimStatus.SETTLED}
    assert {ref: (r.computed, r.issued, r.variance) for ref, r in settled.items()
            if ref in ("NW-2025-014", "PF-2025-007")} == {
        "NW-2025-014": (Decimal("1152.00"), Decimal("1152.00"), Decimal("0.00")),
        "PF-2025-007": (Decimal("1200.00"), Decimal("1200.00"), Decimal("0.00"))}
    assert all(r.variance == r.computed - r.issued for r in rows)


def test_the_board_penalties_reconcile_and_the_pack_data_set_agree_to_the_cent(demo):
    """Every contract with clauses, every month from April 2025 to November 2026, each output computed its own way."""
    from sltdesk.cli import main
    from sltdesk.cli.commands.penalty_text import credits_json, reconciled_json
    from sltdesk.services.pack import build_pack
    from sltdesk.services.pack_data import pack_dataset
    from sltdesk.services.pack_view import PackOptions
    from sltdesk.services.reconciliation import reconcile

    months = _months("2025-04", "2026-11")
    today = date(2026, 12, 6)
    rows = board(demo, history=attainment_history, today=today, first=months[0], last=months[-1]).rows
    on_board = {(r.contract, r.period): r.computed for r in rows}
    with demo.unit_of_work() as uow:
        suppliers = {s.id: s.name for s in uow.records.list(Supplier)}
        contracts = {c.ref: c for c in uow.records.list(Contract)}
    checked = 0
    for (ref, month), amount in sorted(on_board.items()):  # as `penalties --json` and `reconcile --json` print them
        printed = json.loads(json.dumps(credits_json(penalties(demo, ref, month, history=attainment_history)),
                                        default=str))
        assert printed["total"] == str(amount), (ref, month)
        row, rows = reconcile(demo, ref, month, history=attainment_history, today=today)
        assert json.loads(json.dumps(reconciled_json(row, rows), default=str))["computed"] == str(amount)
        checked += 1
    assert checked == len(on_board) >= 8 * len(months)
    for ref in sorted({ref for ref, _ in on_board}):  # and the commands themselves, for one month
        out = io.StringIO()
        with redirect_stdout(out):
            assert main(["penalties", "-w", str(demo.location), "--contract", ref, "--period", "2026-10",
                         "--json"]) == 0
        assert json.loads(out.getvalue())["total"] == str(on_board[(ref, "2026-10")])
    for supplier_id in sorted({c.supplier_id for c in contracts.values()}):
        for month in months:
            sheets = pack_dataset(build_pack(demo, PackOptions(suppliers[supplier_id], month)))
            totals = {r[0]: r[7] for r in next(s for s in sheets if s.name == "Credits").rows if r[2] == "TOTAL"}
            for ref, total in totals.items():  # a contract not yet signed that month is not on the board: 0
                assert total == on_board.get((ref, month), Decimal("0.00")), (ref, month)
                checked += (ref, month) in on_board
    assert checked == 2 * len(on_board)  # every board figure was found in a pack too


def test_the_verification_page_and_the_pack_colour_every_demo_cell_alike(demo):
    """Every target of every supplier, every month of the demo: the grid's state against the pack's RAG."""
    from sltdesk.rules.cell_states import cell_state
    from sltdesk.services.pack import build_pack
    from sltdesk.services.pack_view import PackOptions
    from sltdesk.services.verification import recompute

    months = _months(*GENERATED)
    as_pack = {"red": "missed", "amber": "at risk", "green": "met", "grey": "no data"}
    with demo.unit_of_work() as uow:
        suppliers = {s.id: s.name for s in uow.records.list(Supplier)}
        contracts = uow.records.list(Contract)
    grid = {}
    for contract in contracts:
        computation = recompute(demo, contract, months, progress=lambda *_: None)
        for row, target in enumerate(computation.targets):
            for column, month in enumerate(months):
                grid[(contract.ref, target.name, month)] = cell_state(computation.result(row, column)).value
    compared, colours = 0, set()
    for supplier_id in sorted(suppliers):
        for month in months:
            for row in build_pack(demo, PackOptions(suppliers[supplier_id], month)).view.attainment:
                assert as_pack[row.rag] == grid[(row.contract, row.target, month)], (row.contract, row.target, month)
                compared, colours = compared + 1, colours | {row.rag}
    assert compared == len(grid) == 27 * 18  # every cell of the grid is a row of a pack
    assert colours == {"red", "amber", "green", "grey"}  # the demo has every colour
