"""One contract with one target, built the way a user builds it, for edge cases driven end to end: the raw
file goes in with `sltdesk import`, the clauses with `sltdesk clauses`, and the figures come out of
`sltdesk attainment --json` and `sltdesk penalties --json`."""

from __future__ import annotations

import csv
import io
import json
import shutil
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from decimal import Decimal
from pathlib import Path

from models.workspace import open_workspace
from sltdesk.cli import main
from sltdesk.domain.measurement import MeasurementRule
from sltdesk.domain.register import (
    WEEKDAYS,
    Comparison,
    Contract,
    ContractTarget,
    MetricKind,
    ServiceCalendar,
    Supplier,
)
from sltdesk.services.register import create_record

REF = "EDGE-1"
ALWAYS = tuple((day, "00:00-24:00") for day in WEEKDAYS)
OFFICE = tuple(zip(WEEKDAYS, ["08:00-18:00"] * 5 + ["", ""], strict=True))
CLOUD_TABLE = "cloud-compute-region-level"  # < 99.99 → 10 %, < 99.0 → 30 %, < 95.0 → 100 % of the charges

_EMPTY: dict[str, Path] = {}


def cli(*args: str) -> tuple[int, str, str]:
    """Run `sltdesk` as a script would: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def cli_json(*args: str):
    code, out, err = cli(*args, "--json")
    assert code == 0, err or out
    return json.loads(out)


def contract(tmp_path: Path, *, metric: MetricKind, threshold: str, rule: dict, zone: str = "UTC",
             hours: tuple = ALWAYS, holidays: tuple[str, str] = ("", ""), comparison: Comparison = Comparison.AT_LEAST,
             unit: str = "%", charges: str = "10000.00", name: str = "Target",
             others: tuple[tuple[str, str, dict], ...] = ()) -> Path:
    """A workspace holding supplier, contract EDGE-1 (2024–2029), one target with its calendar and rule
    (and `others`: more targets of the same metric, as (name, threshold, rule))."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "edge.sltdesk"
    if "empty" not in _EMPTY:  # the migrations run once per test session; each test starts from a copy
        template = tmp_path.parent / "edge-empty.sltdesk"
        if not template.exists():
            open_workspace(template, create=True, user="alice").close()
        _EMPTY["empty"] = template
    shutil.copy(_EMPTY["empty"], path)
    ws = open_workspace(path, user="alice")
    try:
        supplier = create_record(ws, Supplier("Edge Supplier"))
        calendar = create_record(ws, ServiceCalendar("Service hours", zone, hours, *holidays))
        signed = create_record(ws, Contract(REF, supplier.id, "Edge cases", date(2024, 1, 1), date(2029, 12, 31),
                                            "EUR", Decimal(charges)))
        for target_name, value, target_rule in ((name, threshold, rule), *others):
            target = create_record(ws, ContractTarget(signed.id, target_name, metric, Decimal(value), comparison,
                                                      unit, calendar_id=calendar.id))
            values = {k: Decimal(v) if k in ("limit_minutes", "error_limit_percent") else v
                      for k, v in target_rule.items()}
            create_record(ws, MeasurementRule(target_id=target.id, **values))
    finally:
        ws.close()
    return path


def clauses(path: Path, *items: dict) -> None:
    """Load clauses as `sltdesk clauses load` reads them ({"kind", "target", "parameters"})."""
    file = path.with_suffix(".clauses.json")
    file.write_text(json.dumps({"clauses": list(items)}), encoding="utf-8")
    code, out, err = cli("clauses", "load", "-w", path, "--contract", REF, file)
    assert code == 0, err or out


def template(path: Path, name: str = CLOUD_TABLE) -> None:
    code, out, err = cli("clauses", "apply-template", "-w", path, "--contract", REF, "--template", name)
    assert code == 0, err or out


def csv_file(path: Path, header: list[str], rows: list[list]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def import_file(path: Path, kind: str, file: Path, *options: str) -> dict:
    """`sltdesk import KIND FILE` for the contract; the report, which must say it stored something."""
    report = cli_json("import", kind, file, "-w", path, "--contract", REF, *options)
    assert report["stored"] > 0, report
    return report


def attainment(path: Path, period: str) -> dict:
    """The first target's figure, as `attainment --json` gives it."""
    return cli_json("attainment", "-w", path, "--contract", REF, "--period", period)[0]


def penalties(path: Path, period: str) -> dict:
    return cli_json("penalties", "-w", path, "--contract", REF, "--period", period)


def credit(path: Path, period: str) -> str:
    """The period's total credit, as `penalties --json` gives it."""
    return penalties(path, period)["total"]
