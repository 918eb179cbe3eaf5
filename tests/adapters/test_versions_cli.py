"""`clauses export` → `clauses load` and `rules export` → `rules load` carry each record's version: a load changes
the records in place, and refuses (all of the file, naming the record) one that someone changed in between."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from edge_setup import REF, cli, contract
from penalty_setup import NORTHWIND_FILE, northwind

from models.workspace import open_workspace
from sltdesk.domain.measurement import MeasurementRule
from sltdesk.domain.penalties import AtRiskPool
from sltdesk.domain.register import MetricKind
from sltdesk.services.measurement_rules import contract_rules
from sltdesk.services.penalties import clause_views, update_clause
from sltdesk.services.register import update_record
from tests.conftest import FixedClock

NW = "NW-2025-014"
BOB_AT = datetime(2026, 12, 6, 9, 14, tzinfo=UTC)


def _as_bob(path):
    return open_workspace(path, user="bob", clock=FixedClock(BOB_AT))


@pytest.fixture
def nw(tmp_path):
    """Northwind with its nine clauses, exported to clauses.json by `sltdesk clauses export`."""
    path = tmp_path / "nw.sltdesk"
    ws = open_workspace(path, create=True, user="alice")
    northwind(ws)
    ws.close()
    (tmp_path / "in.json").write_text(json.dumps(NORTHWIND_FILE), encoding="utf-8")
    assert cli("clauses", "load", "-w", path, "--contract", NW, tmp_path / "in.json")[0] == 0
    out = tmp_path / "clauses.json"
    assert cli("clauses", "export", "-w", path, "--contract", NW, "--out", out)[0] == 0
    return path, out


def _clauses(path) -> list:
    ws = open_workspace(path, user="alice")
    try:
        return [v.clause for v in clause_views(ws, NW)[1]]
    finally:
        ws.close()


def test_the_export_carries_each_clauses_id_and_version(nw):
    path, out = nw
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["contract"] == NW
    assert [(c["id"], c["version"], c["kind"]) for c in doc["clauses"][:2]] == [
        (1, 1, "at-risk pool"), (2, 1, "at-risk allocation")]


def test_a_load_without_a_change_in_between_changes_the_clauses_in_place_and_raises_their_versions(nw):
    path, out = nw
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["clauses"][0]["parameters"]["percent"] = "15"  # the at-risk pool
    doc["clauses"][1]["parameters"]["percent"] = "45"  # SL1's allocation …
    doc["clauses"][2]["parameters"]["percent"] = "15"  # … and SL2's: the allocations still add up to 100
    out.write_text(json.dumps(doc), encoding="utf-8")
    code, text, err = cli("clauses", "load", "-w", path, "--contract", NW, out)
    assert code == 0, err
    stored = _clauses(path)
    assert len(stored) == 9  # changed in place: none added
    assert [(c.id, c.version, c.terms.percent) for c in stored[:3]] == [
        (1, 2, Decimal("15")), (2, 2, Decimal("45")), (3, 2, Decimal("15"))]
    assert {c.version for c in stored[3:]} == {1}  # the clauses the file left as they were


def test_a_clause_changed_in_between_is_refused_by_name_and_nothing_of_the_file_is_stored(nw):
    path, out = nw
    bob = _as_bob(path)
    try:  # Bob raises the pool to 14 % after Alice exported
        pool = next(c for c in clause_views(bob, NW)[1] if isinstance(c.clause.terms, AtRiskPool)).clause
        update_clause(bob, replace(pool, terms=AtRiskPool(Decimal("14"))))
    finally:
        bob.close()
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["clauses"][0]["parameters"]["percent"] = "15"
    doc["clauses"][8]["parameters"]["days"] = 30  # the claim window: not changed by Bob, but in the same file
    out.write_text(json.dumps(doc), encoding="utf-8")
    code, text, err = cli("clauses", "load", "-w", path, "--contract", NW, out)
    assert code != 0
    assert ("Clause 1 of NW-2025-014 (at-risk pool) was changed by bob at 2026-12-06 09:14 UTC after you opened it; "
            "reload it to see the change, then make yours again.") in err
    stored = _clauses(path)
    assert (stored[0].terms.percent, stored[0].version) == (Decimal("14"), 2)  # Bob's, not Alice's
    assert (stored[8].terms.days, stored[8].version) == (60, 1)  # all or nothing


@pytest.mark.parametrize(("offset", "passes"), [(0, True), (-1, False), (1, False)])
def test_only_the_stored_version_of_a_clause_passes(nw, offset, passes):
    path, out = nw
    bob = _as_bob(path)
    try:  # the SL1 allocation is at version 2 when the file is loaded
        sl1 = next(c for c in clause_views(bob, NW)[1] if c.target == "SL1 Availability").clause
        update_clause(bob, replace(sl1, source="Schedule 4 §4.2"))
    finally:
        bob.close()
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["clauses"][1].update(version=2 + offset, source="Schedule 4 §4.3")
    out.write_text(json.dumps(doc), encoding="utf-8")
    code, _, err = cli("clauses", "load", "-w", path, "--contract", NW, out)
    sl1 = _clauses(path)[1]
    if passes:
        assert code == 0, err
        assert (sl1.source, sl1.version) == ("Schedule 4 §4.3", 3)
    else:
        assert code != 0 and "Clause 2 of NW-2025-014 (at-risk allocation) was changed by bob" in err
        assert (sl1.source, sl1.version) == ("Schedule 4 §4.2", 2)


def test_a_clause_file_without_ids_still_adds_its_clauses(nw, tmp_path):
    path, _ = nw
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"clauses": [{"kind": "claim window", "parameters": {"days": 30}}]}),
                     encoding="utf-8")
    code, _, err = cli("clauses", "load", "-w", path, "--contract", NW, "--replace", extra)
    assert code == 0, err
    [only] = _clauses(path)  # the nine are gone (--replace), the new one added
    assert (only.version, only.terms.days) == (1, 30)


# --- measurement rules ---------------------------------------------------------------------------------------


@pytest.fixture
def edge(tmp_path):
    """EDGE-1 with one ticket target and its rule, exported to rules.json by `sltdesk rules export`."""
    path = contract(tmp_path, metric=MetricKind.RESOLUTION_TIME, threshold="90", name="P1 resolution",
                    rule={"source": "tickets", "priority": "P1", "limit_minutes": "240"})
    out = tmp_path / "rules.json"
    assert cli("rules", "export", "-w", path, "--contract", REF, "--out", out)[0] == 0
    return path, out


def _rule(path) -> MeasurementRule:
    ws = open_workspace(path, user="alice")
    try:
        return contract_rules(ws, REF)[1][0][1]
    finally:
        ws.close()


def _bob_sets_limit(path, minutes: str) -> None:
    bob = _as_bob(path)
    try:
        rule = contract_rules(bob, REF)[1][0][1]
        update_record(bob, replace(rule, limit_minutes=Decimal(minutes)))
    finally:
        bob.close()


def test_the_rule_export_carries_the_version_and_a_load_from_it_raises_it(edge):
    path, out = edge
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["rules"][0]["version"] == 1
    doc["rules"][0]["limit_minutes"] = "480"
    out.write_text(json.dumps(doc), encoding="utf-8")
    code, _, err = cli("rules", "load", "-w", path, "--contract", REF, out)
    assert code == 0, err
    assert (_rule(path).limit_minutes, _rule(path).version) == (Decimal("480"), 2)


@pytest.mark.parametrize(("offset", "passes"), [(0, True), (-1, False), (1, False)])
def test_a_rule_changed_in_between_is_refused_unless_the_file_has_its_version(edge, offset, passes):
    path, out = edge
    _bob_sets_limit(path, "300")  # version 2
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["rules"][0].update(limit_minutes="480", version=2 + offset)
    out.write_text(json.dumps(doc), encoding="utf-8")
    code, _, err = cli("rules", "load", "-w", path, "--contract", REF, out)
    rule = _rule(path)
    if passes:
        assert code == 0, err
        assert (rule.limit_minutes, rule.version) == (Decimal("480"), 3)
    else:
        assert code != 0
        assert ("The rule of EDGE-1 P1 resolution was changed by bob at 2026-12-06 09:14 UTC after you opened it; "
                "reload it to see the change, then make yours again.") in err
        assert (rule.limit_minutes, rule.version) == (Decimal("300"), 2)


def test_a_rule_file_without_versions_replaces_the_rule_as_it_is_now(edge):
    path, out = edge
    _bob_sets_limit(path, "300")
    doc = json.loads(out.read_text(encoding="utf-8"))
    del doc["rules"][0]["version"]
    out.write_text(json.dumps(doc), encoding="utf-8")
    code, _, err = cli("rules", "load", "-w", path, "--contract", REF, out)
    assert code == 0, err
    assert (_rule(path).limit_minutes, _rule(path).version) == (Decimal("240"), 3)


def test_a_version_that_is_not_a_whole_number_is_a_problem_of_the_file(edge):
    path, out = edge
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc["rules"][0]["version"] = "2"
    out.write_text(json.dumps(doc), encoding="utf-8")
    code, _, err = cli("rules", "load", "-w", path, "--contract", REF, out)
    assert code != 0 and "P1 resolution: version is the whole number `sltdesk rules export` wrote" in err
    assert _rule(path).version == 1
