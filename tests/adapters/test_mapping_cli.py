"""`sltdesk coverage`, `template contracts`, `export contracts` and `import contracts` as a script uses them."""

from __future__ import annotations

import json
import shutil

import openpyxl
import pytest

from sltdesk.cli import main


def run(*args: str, capsys) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_copy(demo_file, tmp_path) -> str:
    target = tmp_path / "demo.sltdesk"
    shutil.copy(demo_file, target)
    return str(target)


@pytest.fixture
def coverage(demo_copy, capsys) -> dict:
    code, out, err = run("coverage", "-w", demo_copy, "--json", capsys=capsys)
    assert code == 0 and err == ""
    document = json.loads(out)
    return {(t["service"], t["name"]): t for t in document["targets"]} | {"summary": document["summary"]}


def _component(target: dict, name: str) -> dict:
    return next(c for c in target["components"] if c["name"] == name)


def test_coverage_json_lists_the_gap_with_the_allocation_it_would_need(coverage):
    delivery = coverage[("Home delivery", "Delivery cycle time p95")]
    gap = _component(delivery, "Warehouse pick & dispatch")
    assert gap["status"] == "gap" and gap["contract_targets"] == [] and gap["required"] == "24"
    assert delivery["composed"] is None and delivery["shortfall"] is None
    assert delivery["business_unit"] == "Stores & Logistics" and delivery["composition_rule"] == "additive budget"
    courier = _component(delivery, "Courier transit")
    assert (courier["status"], courier["committed"]) == ("covered", "30")
    assert courier["contract_targets"][0]["contract"] == "SP-2023-021"


def test_coverage_json_lists_partials_for_hours_periods_and_definitions(coverage):
    crm = _component(coverage[("Customer service", "CRM availability")], "CRM SaaS")
    assert crm["status"] == "partial" and "leave 25 h a week of UK business hours" in crm["findings"][0]
    wms = _component(coverage[("Customer service", "Ticket resolution in time")], "WMS software fixes")
    assert wms["status"] == "partial"
    assert "is measured per quarter, the end-to-end target per month" in wms["findings"][0]
    gateway = _component(coverage[("Card payments", "Checkout latency p95")], "Payment gateway")
    assert gateway["status"] == "partial" and gateway["committed"] is None
    assert gateway["contract_targets"][0]["counts"] is False


def test_coverage_json_lists_the_overlap_with_both_contract_targets(coverage):
    response = _component(coverage[("Store connectivity", "Store network P1 response")], "P1 first response")
    assert response["status"] == "overlap"
    assert [(t["contract"], t["name"]) for t in response["contract_targets"]] == [
        ("NW-2025-014", "SL2 P1 response"), ("HP-2024-009", "P1 response")]
    assert response["findings"][0].endswith("both claim it for 50 h a week")


def test_coverage_json_gives_composed_commitments_shortfalls_and_allocations(coverage):
    web = coverage[("Online order fulfilment", "Web shop availability")]
    # 0.999 × 0.999 × 0.9999 × 0.999 = 0.9969032987…
    assert (web["composed"], web["shortfall"], web["met"]) == ("99.690329", "0.209671", False)
    assert [a["required"] for a in web["required_allocation"]] == ["99.974991"] * 4
    crm = coverage[("Customer service", "CRM availability")]
    assert (crm["composed"], crm["shortfall"]) == ("99.45025", "0.04975")  # 0.9995 × 0.995
    tickets = coverage[("Customer service", "Ticket resolution in time")]
    assert (tickets["composed"], tickets["shortfall"]) == ("88.5", "1.5")  # 0.7 × 90 + 0.3 × 85
    assert tickets["weights_rationale"].startswith("Share of 2025 P2 tickets")
    stores = coverage[("Store connectivity", "Store network availability")]
    # (1 − 0.0005 × 0.001) × 0.9999 = 0.99989950005
    assert (stores["composed"], stores["shortfall"], stores["met"]) == ("99.98995", "0", True)
    assert coverage["summary"] == {"covered": 14, "partial": 3, "overlap": 1, "gap": 1, "targets": 9,
                                   "shortfalls": 3, "not composable": 2}


def test_coverage_prints_a_readable_table(demo_copy, capsys):
    code, out, _ = run("coverage", "-w", demo_copy, capsys=capsys)
    assert code == 0
    assert "Digital Commerce › Online order fulfilment › Web shop availability" in out
    assert "falls short by 0.209671 percentage points" in out
    assert any(line.split()[:3] == ["1", "Warehouse", "pick"] and "GAP" in line for line in out.splitlines())
    assert out.rstrip().endswith("3 composition shortfall(s), 2 not composable.")


def test_template_export_and_import_work_from_the_command_line(demo_copy, tmp_path, capsys):
    template, export = tmp_path / "template.xlsx", tmp_path / "export.xlsx"
    assert run("template", "contracts", "--out", str(template), capsys=capsys)[0] == 0
    code, out, _ = run("export", "contracts", "-w", demo_copy, "--out", str(export), capsys=capsys)
    assert code == 0 and "10 contracts, 27 contract targets" in out and "9 end-to-end targets" in out
    assert "9 contacts, 6 contingency plans" in out and "18 measurement rules" in out
    assert "43 credit clauses, 12 clause bands" in out
    code, out, _ = run("import", "contracts", str(export), "-w", demo_copy, "--dry-run", capsys=capsys)
    assert code == 0 and out.startswith("Checked (dry run, nothing stored) export.xlsx") and "188 unchanged" in out
    code, _, err = run("template", "contracts", "--out", str(template), capsys=capsys)
    assert code == 2 and "already exists; use --force" in err


def test_a_refused_import_lists_every_finding_and_stores_nothing(tmp_path, capsys):
    template, workspace = tmp_path / "register.xlsx", str(tmp_path / "new.sltdesk")
    run("template", "contracts", "--out", str(template), capsys=capsys)
    book = openpyxl.load_workbook(template)
    book["Suppliers"].append(["Northwind Networks", "network carier", "critical"])
    book.save(template)
    from models.workspace import open_workspace

    open_workspace(workspace, create=True).close()
    code, out, err = run("import", "contracts", str(template), "-w", workspace, capsys=capsys)
    assert code == 1 and out == ""
    assert "register.xlsx was not imported — nothing was stored" in err
    assert "error: Suppliers row 2, column B (Category): 'network carier' is not one of" in err
    assert "did you mean 'network carrier'?" in err
    code, out, _ = run("import", "contracts", str(template), "-w", workspace, "--json", capsys=capsys)
    document = json.loads(out)
    assert code == 1 and document["imported"] is False
    assert [(f["sheet"], f["row"], f["column"]) for f in document["findings"] if f["severity"] == "error"] == \
        [("Suppliers", 2, "B")]
    assert run("list", "suppliers", "-w", workspace, "--json", capsys=capsys)[1].strip() == "[]"


def test_the_new_sub_commands_explain_themselves(capsys):
    for args in (["coverage", "--help"], ["template", "--help"], ["export", "--help"]):
        with pytest.raises(SystemExit) as done:
            main(args)
        assert done.value.code == 0 and "usage: sltdesk" in capsys.readouterr().out


def test_coverage_gives_a_chain_with_a_core_hours_tier_per_tier(coverage, demo_copy, capsys):
    crm = coverage[("Customer service", "CRM availability")]
    # NW-2025-014 SL1 99.95 % 24x7 (99.99 % in core hours) in series with the CRM SaaS 99.5 %
    assert [(t["tier"], t["composed"], t["shortfall"], t["met"]) for t in crm["tiers"]] == [
        ("24x7", "99.45025", "0.04975", False), ("core hours (UK business hours)", "99.49005", "0.00995", False)]
    code, out, _ = run("coverage", "-w", demo_copy, capsys=capsys)
    assert code == 0 and ("  tier         core hours (UK business hours): composed 99.49005 %   shortfall "
                          "0.00995 %   Falls short by 0.00995 percentage points") in out.splitlines()
