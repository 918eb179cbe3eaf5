"""Credit clauses ↔ the rows of the register workbook's Credit clauses and Clause bands sheets.

A clause is one row, numbered 1, 2, 3… within its contract in the order the contract lists its clauses; the
bands of a tiered credit or a bonus are rows of their own, keyed by contract and clause number and read in
row order. Only the columns a clause's kind takes may be filled; each problem names the row.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sltdesk.domain.penalties import TERM_TYPES, Clause, ClauseKind, ClauseRecord, terms_from_plain
from sltdesk.domain.register_book import CLAUSE_PARAMETERS, BandRow, BookEntry, ClauseRow

BANDED = (ClauseKind.TIERED, ClauseKind.BONUS)


def ordered(records: Sequence[ClauseRecord]) -> list[ClauseRecord]:
    """A contract's clauses in the order it lists them (the numbers 1, 2, 3… of the workbook)."""
    return sorted(records, key=lambda r: (r.position, r.id or 0))


def clause_entries(contract: str, target_names: Mapping[int, str],
                   records: Sequence[ClauseRecord]) -> list[BookEntry]:
    """The workbook rows of one contract's clauses: a credit_clause entry each, then their clause_band entries."""
    clauses, bands = [], []
    for number, record in enumerate(ordered(records), start=1):
        params = dict(record.parameters)
        values: dict[str, Any] = {name: _cell(name, params.pop(name)) for name in CLAUSE_PARAMETERS if name in params}
        for band in params.pop("bands", []):
            bands.append(BookEntry("clause_band", BandRow(contract, number, Decimal(band["bound"]),
                                                          _decimal(band.get("percent")),
                                                          _decimal(band.get("amount")))))
        target = target_names.get(record.target_id, "") if record.target_id is not None else ""
        clauses.append(BookEntry("credit_clause", ClauseRow(contract, number, record.kind, target,
                                                            source=record.source, **values)))
    return clauses + bands


def _cell(name: str, value: Any) -> object:
    if name == "steps":
        return "; ".join(f"{k}:{Decimal(str(f))}" for k, f in value)
    if isinstance(value, str) and name not in ("unit", "scope", "mode", "tier_pricing", "seasonal_bands"):
        return Decimal(value)
    return value


def _decimal(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def clauses_from_entries(clause_rows: Sequence[BookEntry], band_rows: Sequence[BookEntry],
                         targets: Mapping[str, Mapping[str, int]]
                         ) -> tuple[dict[str, list[tuple[int, int, Clause]]], list[tuple[str, int, str, str]]]:
    """contract ref -> [(number, row, clause)] in number order, and the problems as (sheet, row, field, message).

    `targets`: contract ref (case-folded) -> target name (case-folded) -> id, for every contract the register or
    the workspace holds. A clause's contract_id is left 0 for the caller to fill in."""
    problems: list[tuple[str, int, str, str]] = []
    bands: dict[tuple[str, int], list[BookEntry]] = defaultdict(list)
    for entry in band_rows:
        bands[(entry.record.contract.casefold(), entry.record.number)].append(entry)
    found: dict[str, list[tuple[int, int, Clause]]] = defaultdict(list)
    for entry in clause_rows:
        row: ClauseRow = entry.record
        ref = row.contract.casefold()
        if ref not in targets:
            problems.append(("Credit clauses", entry.row, "contract", f"no contract '{row.contract}' on the "
                             "Contracts sheet or in the workspace; check the spelling."))
            continue
        clause = _clause(entry, targets[ref], bands.pop((ref, row.number), []), problems)
        if clause is not None:
            found[row.contract].append((row.number, entry.row, clause))
    for (_ref, number), orphans in bands.items():
        for entry in orphans:
            problems.append(("Clause bands", entry.row, "number", f"there is no clause {number} of "
                             f"{entry.record.contract} on the Credit clauses sheet."))
    return {ref: sorted(items, key=lambda item: item[0]) for ref, items in found.items()}, problems


def _clause(entry: BookEntry, targets: Mapping[str, int], bands: list[BookEntry],
            problems: list[tuple[str, int, str, str]]) -> Clause | None:
    row: ClauseRow = entry.record
    kind = ClauseKind(row.kind)
    takes = {f.name for f in dataclasses.fields(TERM_TYPES[kind])}
    before = len(problems)
    params: dict[str, object] = {}
    for name in CLAUSE_PARAMETERS:
        value = getattr(row, name)
        if value is None:
            continue
        if name not in takes:
            problems.append(("Credit clauses", entry.row, name, f"a {kind.value} clause has no "
                             f"{name.replace('_', ' ')}; leave the cell empty."))
            continue
        try:
            params[name] = _steps(value) if name == "steps" else value
        except ValueError as error:
            problems.append(("Credit clauses", entry.row, name, f"steps: {error}."))
    if kind in BANDED:
        params["bands"] = [{"bound": b.record.bound, "percent": b.record.percent, "amount": b.record.amount}
                           for b in bands]
    elif bands:
        problems.append(("Clause bands", bands[0].row, "number", f"clause {row.number} of {row.contract} is a "
                         f"{kind.value} clause; only tiered credits and bonuses have bands."))
    target_id = None
    if row.target:
        target_id = targets.get(row.target.casefold())
        if target_id is None:
            problems.append(("Credit clauses", entry.row, "target", f"'{row.target}' is not a target of "
                             f"{row.contract}; check the Contract targets sheet."))
    if len(problems) > before:
        return None
    try:
        terms = terms_from_plain(kind, params)
    except ValueError as error:
        problems.append(("Credit clauses", entry.row, "", str(error)[0].upper() + str(error)[1:] + "."))
        return None
    return Clause(contract_id=0, terms=terms, target_id=target_id, source=row.source)


def _steps(text: object) -> list[tuple[int, str]]:
    """'2:2; 3:3' → [(2, '2'), (3, '3')]; raises ValueError in words."""
    pairs = []
    for part in str(text).replace("\n", ";").split(";"):
        if not part.strip():
            continue
        misses, sep, factor = part.partition(":")
        if not sep or not misses.strip().isdigit():
            raise ValueError(f"'{part.strip()}' is not misses:factor, e.g. 2:2")
        pairs.append((int(misses), factor.strip()))
    return pairs
