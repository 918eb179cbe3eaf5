"""`sltdesk penalties`, `reconcile`, `claims` and `clauses` as a script would use them."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from penalty_setup import NORTHWIND_FILE, credit_note_csv, fake_history, northwind

from models.workspace import open_workspace
from sltdesk.cli import main
from sltdesk.cli.commands import penalties as command


def run(*args: str, capsys) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def ws_path(tmp_path, monkeypatch, capsys) -> str:
    path = tmp_path / "nw.sltdesk"
    ws = open_workspace(path, create=True, user="alice")
    northwind(ws)
    ws.close()
    (tmp_path / "clauses.json").write_text(json.dumps(NORTHWIND_FILE), encoding="utf-8")
    monkeypatch.setattr(command, "history_source", lambda as_of=None: fake_history())
    assert run("clauses", "load", "-w", str(path), "--contract", "NW-2025-014", str(tmp_path / "clauses.json"),
               capsys=capsys)[0] == 0
    return str(path)


def test_penalties_json_has_the_issue_shape_with_amounts_as_strings(ws_path, capsys):
    code, out, err = run("penalties", "-w", ws_path, "--contract", "NW-2025-014", "--period", "2026-03", "--json",
                         capsys=capsys)
    doc = json.loads(out)
    assert code == 0 and err == ""
    assert {"contract", "period", "currency", "charges", "lines", "caps_applied", "incentives", "total",
            "business_impact"} <= set(doc)
    assert (doc["total"], doc["charges"], doc["currency"]) == ("5760.00", "48000.00", "GBP")
    sl1 = doc["lines"][0]
    assert (sl1["target"], sl1["achieved"], sl1["band"], sl1["amount"]) == (
        "SL1 Availability", "99.93", "40 % of the at-risk amount", "4388.58")
    assert sl1["trace"][2:4] == ["at-risk 5,760.00 × allocation 40 % = 2,304.00",
                                 "2 misses in a row (2026-02, 2026-03) × 2 = 4,608.00"]
    assert doc["caps_applied"][0]["applied"] is True and doc["claim_deadline"] == "2026-05-30"
    assert sum(float(ln["amount"]) for ln in doc["lines"]) == pytest.approx(5760.0)
    assert '"4388.58"' in out and "4388.58," not in out  # strings, never JSON numbers


def test_penalties_text_is_a_trace_a_reader_can_follow(ws_path, capsys):
    code, out, _ = run("penalties", "-w", ws_path, "--contract", "NW-2025-014", "--period", "2026-03", capsys=capsys)
    assert code == 0
    assert ("SL1 Availability — credit (at-risk allocation, achieved 99.93 %, 40 % of the at-risk amount): "
            "GBP 4,388.58") in out
    assert "  2. charges 48,000.00 × at-risk 12 % = 5,760.00" in out
    assert "at-risk amount 5,760.00 reached: credits 6,048.00 cut to 5,760.00 in proportion; this line 4,388.58" in out
    assert "Total for 2026-03: GBP 5,760.00" in out and "Claim deadline: 2026-05-30" in out


def test_reconcile_json_reports_computed_issued_variance_status_and_deadline(ws_path, tmp_path, capsys):
    note = credit_note_csv(tmp_path / "note.csv", [("CN-1", "2026-03", "1", "Service credit", "1250.00")])
    assert run("import", "credit-notes", str(note), "-w", ws_path, "--contract", "NW-2025-014", capsys=capsys)[0] == 0
    assert run("claims", "set", "-w", ws_path, "--contract", "NW-2025-014", "--period", "2026-03", "--status",
               "claimed", "--on", "2026-04-07", capsys=capsys)[0] == 0
    code, out, _ = run("reconcile", "-w", ws_path, "--contract", "NW-2025-014", "--period", "2026-03", "--as-of",
                       "2026-04-20", "--json", capsys=capsys)
    doc = json.loads(out)
    assert code == 0
    assert (doc["computed"], doc["issued"], doc["variance"], doc["status"], doc["claim_deadline"]) == (
        "5760.00", "1250.00", "4510.00", "claimed", "2026-05-30")
    assert doc["claim"]["claimed_amount"] == "5760.00" and doc["claim"]["claimed_on"] == "2026-04-07"
    assert doc["warnings"] == ["the credit note is short by GBP 4,510.00"]
    assert doc["balance"][-1] == {"period": "2026-03", "computed": "5760.00", "issued": "1250.00",
                                  "variance": "4510.00", "balance": "6814.00", "status": "claimed"}


def test_the_board_without_a_contract_lists_every_period_and_the_totals(ws_path, capsys):
    code, out, _ = run("reconcile", "-w", ws_path, "--from", "2026-02", "--to", "2026-03", "--as-of", "2026-06-01",
                       "--json", capsys=capsys)
    doc = json.loads(out)
    assert code == 0 and [r["status"] for r in doc["rows"]] == ["expired", "expired"]
    assert doc["totals"][0]["lost"] == "8064.00" and doc["totals"][0]["overdue"] == 2


def test_claim_statements_are_written_as_pdf_and_as_formula_free_xlsx(ws_path, tmp_path, capsys):
    note = credit_note_csv(tmp_path / "note.csv", [("CN-1", "2026-03", "1", "=HYPERLINK(\"http://x\")", "10.00"),
                                                   ("CN-1", "2026-03", "2", "<b>bold & broken</i>", "5.00")])
    run("import", "credit-notes", str(note), "-w", ws_path, "--contract", "NW-2025-014", capsys=capsys)
    for name in ("s.pdf", "s.xlsx"):
        code, _, err = run("reconcile", "-w", ws_path, "--contract", "NW-2025-014", "--period", "2026-03",
                           "--statement", str(tmp_path / name), capsys=capsys)
        assert code == 0 and f"claim statement written to {tmp_path / name}" in err
    assert (tmp_path / "s.pdf").read_bytes().startswith(b"%PDF")
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx")["Statement"]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)
    assert "'=HYPERLINK(\"http://x\")" in [c.value for c in cells]
    assert "3. at-risk 5,760.00 × allocation 40 % = 2,304.00" not in [c.value for c in cells]  # steps are numbered
    assert "at-risk 5,760.00 × allocation 40 % = 2,304.00" in [c.value for c in cells]


def test_clauses_can_be_listed_exported_and_a_template_applied(ws_path, tmp_path, capsys):
    code, out, _ = run("clauses", "list", "-w", ws_path, "--contract", "NW-2025-014", "--json", capsys=capsys)
    listed = json.loads(out)["clauses"]
    assert code == 0 and len(listed) == 9 and listed[1]["parameters"] == {"percent": "40"}
    assert run("clauses", "export", "-w", ws_path, "--contract", "NW-2025-014", "--out", str(tmp_path / "x.json"),
               capsys=capsys)[0] == 0
    assert json.loads(Path(tmp_path / "x.json").read_text())["clauses"][1]["target"] == "SL1 Availability"
    code, out, _ = run("clauses", "apply-template", "-w", ws_path, "--contract", "NW-2025-014", "--template",
                       "cloud-compute-region-level", "--replace", capsys=capsys)
    assert code == 0 and "2 clauses (availability → SL1 Availability)" in out


def test_mistakes_are_one_sentence_and_a_non_zero_exit(ws_path, capsys):
    code, _, err = run("penalties", "-w", ws_path, "--contract", "XX-1", "--period", "2026-03", capsys=capsys)
    assert code == 1 and "There is no contract 'XX-1'" in err
    code, _, err = run("penalties", "-w", ws_path, "--contract", "NW-2025-014", "--period", "March", capsys=capsys)
    assert code == 2 and "'March' is not a period" in err  # a usage mistake, as for every command
    code, _, err = run("reconcile", "-w", ws_path, "--contract", "NW-2025-014", "--period", "2026-03",
                       "--statement", "x.doc", capsys=capsys)
    assert code == 2 and ".xlsx or a .pdf" in err
    code, _, err = run("clauses", "apply-template", "-w", ws_path, "--contract", "NW-2025-014", "--template", "nope",
                       capsys=capsys)
    assert code == 1 and "There is no clause template 'nope'" in err


def test_a_quarter_of_a_monthly_contract_is_the_sum_of_its_months(ws_path, capsys):
    totals = []
    for period in ("2026-01", "2026-02", "2026-03", "2026-Q1"):
        code, out, _ = run("penalties", "-w", ws_path, "--contract", "NW-2025-014", "--period", period, "--json",
                           capsys=capsys)
        assert code == 0
        totals.append(json.loads(out)["total"])
    months = [float(t) for t in totals[:3]]
    assert float(totals[3]) == pytest.approx(sum(months)) and float(totals[3]) > 0
    assert totals[2] == "5760.00"  # March alone: the doubled, capped credit
