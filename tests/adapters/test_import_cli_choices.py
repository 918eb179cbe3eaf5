"""The import command's mapping choices: mistakes are one sentence, a saved profile never blocks a file."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from models.workspace import open_workspace
from sltdesk.cli import main
from sltdesk.domain.register import Contract, Supplier
from sltdesk.services.register import create_record
from tests.importfiles import write_csv


@pytest.fixture
def ws_path(tmp_path) -> str:
    path = tmp_path / "w.sltdesk"
    ws = open_workspace(path, create=True)
    supplier = create_record(ws, Supplier(name="Stratus Hosting"))
    create_record(ws, Contract(ref="ST-1", supplier_id=supplier.id, title="x", start_date=date(2025, 1, 1),
                               end_date=date(2027, 1, 1), currency="EUR", charges=Decimal("1000.00")))
    ws.close()
    return str(path)


def run(*args: str, capsys) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


OUTAGES = "Outage,Service,Start,End,Impact\nO-1,VM,2026-03-02 10:00,2026-03-02 10:30,100\n"


@pytest.mark.parametrize(("option", "message"), [
    (("--map", "summary=Service"), "--map: there is no field 'summary' in outages; the fields are: outage_id,"),
    (("--value", "colour:red=P1"), "--value: there is no field 'colour' in outages"),
    (("--map", "outage_id=Z"), "There is no column Z in this file: its columns go from A to E"),
    (("--header-row", "0"), "--header-row is a row number counted from 1"),
])
def test_a_mistaken_mapping_choice_is_one_sentence(tmp_path, ws_path, capsys, option, message):
    path = write_csv(tmp_path / "o.csv", OUTAGES)
    code, out, err = run("import", "outages", str(path), "-w", ws_path, "--contract", "ST-1", "--dry-run",
                         *option, capsys=capsys)
    assert code != 0 and message in err + out


def test_a_saved_profile_from_another_export_gives_way_to_the_headers_of_this_one(tmp_path, ws_path, capsys):
    first = write_csv(tmp_path / "a.csv", OUTAGES)
    assert run("import", "outages", str(first), "-w", ws_path, "--contract", "ST-1", capsys=capsys)[0] == 0
    other = write_csv(tmp_path / "b.csv", "Outage,Service,Start,End,Impact %\n"
                                          "O-2,VM,2026-03-05 10:00,2026-03-05 10:20,50\n")
    code, out, err = run("import", "outages", str(other), "-w", ws_path, "--contract", "ST-1", "--json",
                         capsys=capsys)
    doc = json.loads(out)
    assert code == 0 and doc["rows_accepted"] == 1 and doc["mapping"]["impact_percent"] == "Impact %"
    assert "names columns this file does not have" in err


def test_the_text_output_shows_each_kind_of_finding_before_a_flood_of_one_kind(tmp_path, ws_path, capsys):
    from datetime import UTC, datetime

    stamps = [datetime(2026, 3, 1, tzinfo=UTC).timestamp() + 300 * i for i in range(60)]
    stamps = stamps[:10] + stamps[16:]  # a 30-minute gap
    stamps = stamps[:20] + [s + 3660 for s in stamps[20:40]] + stamps[40:]  # 20 samples an hour ahead
    lines = ["timestamp,probe,requests,errors,p95_ms"] + [
        f"{datetime.fromtimestamp(s, UTC):%Y-%m-%dT%H:%M:%SZ},eu,100,0,200" for s in stamps]
    path = write_csv(tmp_path / "s.csv", "\n".join(lines))
    code, out, _ = run("import", "samples", str(path), "-w", ws_path, "--contract", "ST-1", "--dry-run",
                       capsys=capsys)
    assert code == 0 and "findings: 20 errors, 1 warning, 0 notes" in out
    shown = [line for line in out.splitlines() if line.startswith("  error") or line.startswith("  warning")]
    assert len(shown) == 6 and "gap of 30 min" in shown[-1]  # 5 clock-skew errors, then the gap
    assert "… not shown: 15 more clock-skew (use --json for every finding)" in out
