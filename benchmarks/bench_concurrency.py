"""Concurrent writers: 4 processes × 25 mixed commands against one workspace, on SQLite and PostgreSQL.

Each writer runs the commands a user would: CLI imports (its own files, and files every writer imports at
once, which only one may store), claim statuses and improvement actions through the CLI, register edits
through the services the GUI calls. Every command runs as its own user (SLTDESK_USER), so the audit trail
says which commands committed: a reported success must have its audit entry, a reported failure none.
A raw error is an internal-error exit (70) or a database error's text reaching the user.

PostgreSQL is the local server named by SLTDESK_TEST_DATABASE_URL (default: postgres on 127.0.0.1:5432,
database `test`); the run uses a fresh schema and drops it. Without a server that answers, that half is
skipped and the run says so.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

WRITERS = 4
COMMANDS = 25
CONTRACT = "NW-1"
SUPPLIER = "Northwind Networks"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
RAW = re.compile(r"Traceback|unexpected error|IntegrityError|OperationalError|UNIQUE constraint|duplicate key|"
                 r"database is locked|psycopg|sqlite3\.")


def run() -> list[dict]:
    figures: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="sltdesk-bench-") as folder:
        figures += _backend("sqlite", str(Path(folder) / "concurrency.sltdesk"), Path(folder))
        with _postgres_schema() as (target, why_not):
            if target is None:
                print(f"  concurrency: PostgreSQL half skipped: {why_not}", flush=True)
                figures.append(_figure("concurrency (postgresql): skipped, no server answered", 1, "", None, True))
            else:
                figures += _backend("postgresql", target, Path(folder))
    return figures


def _backend(name: str, target: str, folder: Path) -> list[dict]:
    files = folder / name
    files.mkdir()
    _setup(target)
    for writer in range(WRITERS):
        for n in range(COMMANDS):
            _tickets_csv(files / f"w{writer}-{n:02d}.csv", prefix=f"W{writer}N{n}")
    for n in range(COMMANDS):
        _tickets_csv(files / f"shared-{n:02d}.csv", prefix=f"S{n}")
    start_at = time.time() + 3.0  # every writer has imported the app by then
    started = time.perf_counter()
    with ProcessPoolExecutor(WRITERS, mp_context=multiprocessing.get_context("spawn")) as pool:
        outcomes = [o for batch in pool.map(_writer, [target] * WRITERS, range(WRITERS), [str(files)] * WRITERS,
                                            [start_at] * WRITERS) for o in batch]
    seconds = time.perf_counter() - started - 3.0
    check = _check(target, outcomes)
    raw = [o for o in outcomes if o["raw"]]
    for o in raw[:5]:
        print(f"  raw error ({name}, {o['tag']} {o['what']}): {o['message'][:300]}", flush=True)
    label = f"concurrency ({name})"
    return [
        _figure(f"{label}: raw errors", len(raw), "commands", 0, not raw),
        _figure(f"{label}: successes not committed", check["lost"], "commands", 0, check["lost"] == 0),
        _figure(f"{label}: failures that left changes", check["leaked"], "commands", 0, check["leaked"] == 0),
        _figure(f"{label}: audit chain linear and verified", int(check["chain_ok"]), "yes=1", 1, check["chain_ok"]),
        _figure(f"{label}: reported successes", sum(o["ok"] for o in outcomes), "commands", None, True),
        _figure(f"{label}: reported failures", sum(not o["ok"] for o in outcomes), "commands", None, True),
        _figure(f"{label}: commands per second", len(outcomes) / seconds, "cmd/s", None, True),
    ]


def _figure(name: str, value: float, unit: str, bound: float | None, ok: bool) -> dict:
    return {"name": name, "value": value, "unit": unit, "bound": bound, "ok": bool(ok)}


def _setup(target: str) -> None:
    """A workspace with one supplier, one contract and a review for March 2026 (actions belong to reviews)."""
    from models.workspace import open_workspace
    from sltdesk.domain.register import Contract, Supplier
    from sltdesk.services.register import create_record
    from sltdesk.services.reviews import create_review

    ws = open_workspace(target, create=True, user="setup")
    try:
        supplier = create_record(ws, Supplier(name=SUPPLIER))
        create_record(ws, Contract(ref=CONTRACT, supplier_id=supplier.id, title="WAN", start_date=date(2025, 1, 1),
                                   end_date=date(2027, 1, 1), currency="GBP", charges=Decimal("48000.00")))
        create_review(ws, supplier=SUPPLIER, period="2026-03", held_on=date(2026, 4, 10))
    finally:
        ws.close()


def _tickets_csv(path: Path, *, prefix: str, rows: int = 20) -> None:
    lines = ["Ticket ID,Priority,Service,Category,Status,Opened,Responded,Resolved"]
    start = datetime(2026, 3, 2, 9, 0)  # noqa: DTZ001 - an export's wall time, read in the contract's zone
    for i in range(rows):
        t = start + timedelta(hours=7 * i)
        lines.append(f"{prefix}-{i:03d},P{1 + i % 4},MPLS WAN,Network,Closed,{t:%Y-%m-%d %H:%M},"
                     f"{t + timedelta(minutes=20):%Y-%m-%d %H:%M},{t + timedelta(hours=3):%Y-%m-%d %H:%M}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _writer(target: str, writer: int, folder: str, start_at: float) -> list[dict]:
    """One writer process: its 25 commands, each as its own user, one after the other."""
    import sltdesk.cli  # noqa: F401 - loaded before the start, like a running app

    time.sleep(max(0.0, start_at - time.time()))
    return [_command(target, writer, n, Path(folder)) for n in range(COMMANDS)]


def _command(target: str, writer: int, n: int, folder: Path) -> dict:
    tag = f"w{writer}c{n:02d}"
    os.environ["SLTDESK_USER"] = tag
    step = n % 5
    if step == 0:
        return _cli(tag, "import own file", ["import", "tickets", str(folder / f"w{writer}-{n:02d}.csv"), "-w", target,
                                             "--contract", CONTRACT, "--timezone", "Europe/London"])
    if step == 1:  # every writer imports this file at about the same moment: one stores it, the others refuse
        return _cli(tag, "import shared file", ["import", "tickets", str(folder / f"shared-{n:02d}.csv"), "-w",
                                                target, "--contract", CONTRACT, "--timezone", "Europe/London"])
    if step == 2:
        return _service(tag, "register edit", target, lambda ws: _register_edit(ws, tag, n))
    if step == 3:
        status = ("to claim", "claimed", "disputed", "settled")[(writer + n) % 4]
        return _cli(tag, "claim status", ["claims", "set", "-w", target, "--contract", CONTRACT, "--period",
                                          f"2026-0{1 + n % 3}", "--status", status, "--on", "2026-04-20",
                                          "--note", f"set by {tag}"])  # never a no-op: each success is a change
    return _cli(tag, "improvement action", ["actions", "add", "-w", target, "--supplier", SUPPLIER, "--period",
                                            "2026-03", "--text", f"Action by {tag}", "--due", "2026-06-30"])


def _cli(tag: str, what: str, argv: list[str]) -> dict:
    from sltdesk.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as exit_:  # --help and the like
            code = exit_.code if isinstance(exit_.code, int) else 1
    message = err.getvalue()
    return {"tag": tag, "what": what, "ok": code == 0, "raw": code == 70 or bool(RAW.search(message)),
            "message": message.strip()}


def _service(tag: str, what: str, target: str, work) -> dict:
    from models.workspace import open_workspace
    from sltdesk.errors import SltDeskError

    try:
        ws = open_workspace(target, user=tag)
        try:
            work(ws)
        finally:
            ws.close()
    except SltDeskError as error:
        return {"tag": tag, "what": what, "ok": False, "raw": bool(RAW.search(str(error))), "message": str(error)}
    except Exception as error:  # exactly what the benchmark counts
        return {"tag": tag, "what": what, "ok": False, "raw": True, "message": f"{type(error).__name__}: {error}"}
    return {"tag": tag, "what": what, "ok": True, "raw": False, "message": ""}


def _register_edit(ws, tag: str, n: int) -> None:
    """A new supplier, or the shared contract's title rewritten (every writer edits the same record)."""
    from dataclasses import replace

    from sltdesk.domain.register import Contract, Supplier
    from sltdesk.services.register import create_record, list_records, update_record

    if n % 10 == 2:
        create_record(ws, Supplier(name=f"Supplier {tag}"))
    else:
        contract = list_records(ws, Contract, ref=CONTRACT)[0]
        update_record(ws, replace(contract, title=f"WAN, edited by {tag}"))


def _check(target: str, outcomes: list[dict]) -> dict:
    """Each reported success has its audit entry, each failure none; the chain verifies end to end."""
    from models.workspace import open_workspace
    from sltdesk.services.audit import recent_audit, verify_audit
    from sltdesk.services.imports import list_batches

    ws = open_workspace(target, user="check")
    try:
        entries = recent_audit(ws, 100_000)
        by_user = Counter(e.os_user for e in entries)
        batches_by = Counter(b.imported_by for b in list_batches(ws))
        seqs = sorted(e.seq for e in entries)
        linear = seqs == list(range(1, len(seqs) + 1))
        verified = verify_audit(ws).ok
    finally:
        ws.close()
    lost = [o for o in outcomes if o["ok"] and not by_user[o["tag"]]]
    leaked = [o for o in outcomes if not o["ok"] and (by_user[o["tag"]] or batches_by[o["tag"]])]
    for o in lost + leaked:
        print(f"  {'lost' if o in lost else 'leaked'}: {o['tag']} {o['what']}: {o['message'][:200]}", flush=True)
    cli = subprocess.run([sys.executable, "-m", "sltdesk", "audit", "verify", "-w", target], capture_output=True,
                         text=True, check=False, env={**os.environ, "SLTDESK_USER": "check"})
    return {"lost": len(lost), "leaked": len(leaked), "chain_ok": linear and verified and cli.returncode == 0}


@contextlib.contextmanager
def _postgres_schema():
    """(URL of a fresh, empty schema, None) — or (None, why) when no PostgreSQL server answers."""
    url = os.environ.get("SLTDESK_TEST_DATABASE_URL") or PG_DEFAULT
    try:
        import sqlalchemy as sa

        admin = sa.create_engine(url, connect_args={"connect_timeout": 3})
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # any failure to reach the server means: skip, and say why
        yield None, f"{url.split('@')[-1]} did not answer ({type(error).__name__})"
        return
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options={quote(f'-csearch_path={schema}')}", ""
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
