"""Audit trail: verifying the chain of a workspace against hashing the same payloads alone."""

from __future__ import annotations

import hashlib
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from models.workspace import open_workspace
from sltdesk.domain.register import Supplier
from sltdesk.rules.audit_chain import canonical_payload
from sltdesk.services.audit import recent_audit, verify_audit
from sltdesk.services.register import create_record, update_record

ENTRIES = 2000


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as folder:
        ws = open_workspace(Path(folder) / "bench.sltdesk", create=True)
        started = time.perf_counter()
        supplier = create_record(ws, Supplier(name="Bench supplier"))
        for n in range(ENTRIES - 1):
            supplier = update_record(ws, replace(supplier, notes=f"revision {n}"))
        append_s = time.perf_counter() - started

        started = time.perf_counter()
        report = verify_audit(ws)
        verify_s = time.perf_counter() - started
        entries = recent_audit(ws, ENTRIES)
        ws.close()

    started = time.perf_counter()
    for entry in entries:  # the baseline: hashing the same payloads, nothing else
        hashlib.sha256((entry.prev_hash + canonical_payload(entry)).encode()).hexdigest()
    hash_s = time.perf_counter() - started
    assert report.ok and report.entries == ENTRIES
    ratio = verify_s / hash_s
    return [
        {"name": "audit: verify 2,000-entry chain", "value": verify_s, "unit": "s", "bound": 1.0,
         "ok": verify_s <= 1.0},
        {"name": "audit: verify / hash-only ratio", "value": ratio, "unit": "x", "bound": 10.0, "ok": ratio <= 10.0},
        {"name": "audit: audited edits per second", "value": ENTRIES / append_s, "unit": "edits/s", "bound": 50.0,
         "ok": ENTRIES / append_s >= 50.0},
    ]
