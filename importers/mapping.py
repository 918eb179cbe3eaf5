"""Finding the header row and suggesting which column holds which field (several languages)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from importers.reading import RawSheet, column_letter
from sltdesk.domain.raw import FIELDS, ParsedImport, RecordKind

# Header words seen in vendor exports, normalised (lower case, no accents or punctuation).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "ticket_id": ("ticket id", "ticket", "ticket #", "ticket no", "ticket number", "incident", "incident id",
                  "incident number", "case", "case id", "case number", "number", "id", "ref", "reference",
                  "ticketnummer", "ticket nr", "vorgang", "vorgangsnummer", "numero", "n ticket", "nummer"),
    "priority": ("priority", "prio", "sev", "severity", "urgency", "prioritat", "dringlichkeit", "priorite",
                 "prioridad", "impact priority"),
    "service": ("service", "svc", "dienst", "service name", "application", "ci", "configuration item",
                "affected service", "dienstleistung", "servicio", "probe service"),
    "category": ("category", "kategorie", "type", "typ", "categorie", "categoria", "resolver group",
                 "assignment group", "group"),
    "status": ("status", "state", "zustand", "etat", "estado", "ticket status"),
    "opened_at": ("opened", "opened at", "open", "created", "created at", "creation date", "reported",
                  "logged", "submitted", "start", "eroffnet", "erstellt", "gemeldet", "ouvert", "date ouverture",
                  "abierto", "opened on", "open time", "open date"),
    "assigned_at": ("assigned", "assigned at", "zugewiesen", "assignment", "assigned on", "dispatched"),
    "responded_at": ("responded", "responded at", "first response", "response", "acknowledged", "reaction",
                     "reaktion", "erste reaktion", "first response at", "ack", "premiere reponse"),
    "resolved_at": ("resolved", "resolved at", "resolution", "resolution date", "fixed", "restored",
                    "gelost", "behoben", "resolu", "resuelto", "resolved on", "solved"),
    "closed_at": ("closed", "closed at", "closure", "geschlossen", "ferme", "cerrado", "closed on"),
    "assignee": ("assignee", "assigned to", "assigned user", "assigned person", "agent", "technician",
                 "bearbeiter", "zugewiesen an", "attribue a", "asignado a"),
    "state": ("state", "status", "new state", "to state", "zustand", "status neu", "new status"),
    "changed_at": ("changed", "changed at", "updated", "updated at", "timestamp", "event time", "time",
                   "geandert", "zeitpunkt", "date", "modified"),
    "outage_id": ("outage id", "outage", "incident id", "storungs id", "storung", "storungsnummer", "id",
                  "event id", "reference", "ref", "panne"),
    "start": ("start", "begin", "beginn", "from", "von", "start time", "outage start", "debut", "inicio",
              "window start", "dtstart", "starts"),
    "end": ("end", "ende", "to", "bis", "end time", "outage end", "fin", "finish", "window end", "dtend", "ends"),
    "impact_percent": ("impact", "impact %", "impact percent", "auswirkung", "auswirkung %", "impact pct",
                       "degradation", "impact percentage", "betroffen %"),
    "planned": ("planned", "geplant", "scheduled", "maintenance", "wartung", "planifie", "planificado"),
    "duration_minutes": ("duration in mins", "duration mins", "duration minutes", "duration min", "downtime minutes",
                         "minutes down", "dauer minuten", "dauer min", "ausfall minuten"),
    "note": ("note", "notes", "comment", "comments", "bemerkung", "kommentar", "remark", "description",
             "beschreibung", "cause", "root cause", "ursache"),
    "timestamp": ("timestamp", "timestamp utc", "time", "datetime", "date time", "interval", "interval start",
                  "zeit", "zeitstempel", "sample time", "ts"),
    "probe": ("probe", "probe service", "location", "monitor", "check", "sensor", "messpunkt", "node", "region"),
    "requests": ("requests", "request count", "total", "total requests", "calls", "anfragen", "transactions",
                 "count", "hits"),
    "errors": ("errors", "error count", "failed", "failures", "fehler", "failed requests", "errores"),
    "ok": ("ok", "up", "success", "available", "status ok", "result", "erreichbar"),
    "latency_ms": ("latency", "latency ms", "p95", "p95 ms", "p95 latency", "response time", "response ms",
                   "antwortzeit", "latenz", "rtt", "rtt ms", "duration ms"),
    "target_name": ("service level", "sla", "kpi", "metric", "measure", "service level name", "sla name",
               "kennzahl", "indicator"),
    "period": ("period", "month", "invoice period", "reporting period", "zeitraum", "monat", "periode"),
    "target_value": ("target", "target value", "goal", "ziel", "zielwert", "objective", "threshold", "sollwert"),
    "achieved": ("achieved", "actual", "result", "achieved value", "measured", "ist", "istwert", "erreicht",
                 "value", "performance"),
    "met": ("met", "met?", "achieved?", "status", "compliant", "erfullt", "target met", "pass"),
    "document_id": ("document", "document id", "credit note", "credit note number", "invoice", "beleg",
                    "gutschrift", "note number", "doc"),
    "line": ("line", "line no", "position", "pos", "item", "zeile"),
    "description": ("description", "text", "beschreibung", "bezeichnung", "details", "libelle"),
    "amount": ("amount", "value", "credit", "betrag", "total", "montant", "importe", "net amount"),
    "currency": ("currency", "wahrung", "devise", "ccy", "moneda"),
    "reference": ("reference", "ref", "change", "change id", "uid", "id", "summary", "ticket"),
    "notified_at": ("notified", "notified at", "announced", "notice", "angekundigt", "communicated", "published"),
}


def normalise(text: Any) -> str:
    """'Störungs-ID ' -> 'storungs id' (accents, case and punctuation ignored)."""
    return _normalised(str(text))


@lru_cache(maxsize=4096)
def _normalised(text: str) -> str:  # headers and synonyms come back again and again (35,000 calls in the demo)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9#%?]+", " ", plain).strip()


def find_header_row(raw: RawSheet, kind: RecordKind, *, limit: int = 30) -> int:
    """Index into raw.rows of the likeliest header row: most recognised names, then most text cells."""
    fields = [f.name for f in FIELDS[kind]]
    best, best_score = 0, (-1, -1)
    for index, row in enumerate(raw.rows[:limit]):
        texts = [normalise(c) for c in row if isinstance(c, str) and c.strip()]
        if len(texts) < 2 or _looks_like_data(row):
            continue
        known = sum(1 for t in texts if any(_matches(t, name) for name in fields))
        score = (known, len(texts))
        if score > best_score:
            best, best_score = index, score
    return best


_DATA_TEXT = re.compile(r"^[-+]?\d[\d.,:/ T-]*(?:Z|[ap]m)?$", re.IGNORECASE)  # 12, 2.400, 2026-03-01 09:00


def _looks_like_data(row: list) -> bool:
    """A row where at least a third of the filled cells are numbers, dates or times (years apart) is data, never a
    header (a first cell 'REF' does not make a data row a header)."""
    filled = [c for c in row if c is not None and not (isinstance(c, str) and not c.strip())]
    if not filled:
        return False
    data = sum(1 for c in filled if not _year(c) and (
        isinstance(c, int | float | datetime | date) and not isinstance(c, bool)
        or isinstance(c, str) and _DATA_TEXT.match(c.strip())))
    return data * 3 >= len(filled)


def _year(cell: Any) -> bool:
    """1900 … 2100 as a number or text: a year, which tables use as column headers (Year, 2000, 2001 …)."""
    text = str(int(cell)) if isinstance(cell, float) and cell.is_integer() else str(cell).strip()
    return text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2100


WHY = {"own": "exact header", "exact": "synonym", "partial": "partial name"}


def suggest_mapping(headers: list[str], kind: RecordKind, overrides: dict[str, str] | None = None, *,
                    accepts: Callable[[str, int, str], bool] | None = None,
                    why: dict[str, str] | None = None) -> dict[str, int]:
    """field -> column index: user overrides (header text or letter; an empty one leaves the field unmapped)
    first, then a header that is the field's own name, then a synonym, then a partial name. `accepts(field,
    index, tier)` may refuse a suggested column (one whose sampled values are not of the field's type)."""
    fields = [f.name for f in FIELDS[kind]]
    overrides = overrides or {}
    chosen = {name: resolve_column(column, headers) for name, column in overrides.items() if column.strip()}
    skip = frozenset(name for name, column in overrides.items() if not column.strip())
    if why is not None:
        named = {normalise(h) for h in headers}
        why.update({name: "chosen by header (--map or the profile)" if normalise(column) in named
                    else "chosen by column letter (--map or the profile)"
                    for name, column in overrides.items() if column.strip()})
    mapping = dict(chosen)
    for name, index, tier in assigned([normalise(h) for h in headers], [f for f in fields if f not in skip], chosen,
                                      _matches, accepts=accepts):
        mapping[name] = index
        if why is not None:
            why[name] = WHY[tier]
    return mapping


def assign_columns(normal: list[str], fields: list[str], chosen: dict[str, int],
                   matches: Callable[..., bool]) -> dict[str, int]:
    """field -> column index: the chosen ones, then the columns `assigned` finds for the other fields. Shared by
    every importer that maps columns."""
    return {**chosen, **{name: index for name, index, _tier in assigned(normal, fields, chosen, matches)}}


def assigned(normal: list[str], fields: list[str], chosen: dict[str, int], matches: Callable[..., bool], *,
             accepts: Callable[[str, int, str], bool] | None = None) -> Iterator[tuple[str, int, str]]:
    """(field, column index, tier) for each field not chosen, in the order they are found: each field's first
    free column whose (normalised) header is the field's own name, then one that names it exactly (a synonym),
    then one whose header contains the name; `accepts(field, index, tier)` may refuse a column."""
    taken, found = set(chosen.values()), set(chosen)
    own = {name: name.replace("_", " ") for name in fields}
    for tier in ("own", "exact", "partial"):
        for name in fields:
            if name in found:
                continue
            for index, header in enumerate(normal):
                if index in taken or not header:
                    continue
                hit = header == own[name] if tier == "own" else matches(header, name, exact=tier == "exact")
                if hit and (accepts is None or accepts(name, index, tier)):
                    taken.add(index)
                    found.add(name)
                    yield name, index, tier
                    break


def resolve_column(column: str, headers: list[str]) -> int:
    """A header text (any case/accents) or a column letter such as 'C'."""
    wanted = normalise(column)
    for index, header in enumerate(headers):
        if normalise(header) == wanted:
            return index
    known = ", ".join(f"{column_letter(i)} '{h}'" for i, h in enumerate(headers) if str(h).strip())
    if re.fullmatch(r"[A-Za-z]{1,3}", column.strip()):
        number = 0
        for char in column.strip().upper():
            number = number * 26 + ord(char) - 64
        if number <= len(headers):
            return number - 1
        raise KeyError(f"There is no column {column.strip().upper()} in this file: its columns go from A to "
                       f"{column_letter(len(headers) - 1) if headers else 'A'} ({known}).")
    raise KeyError(f"There is no column '{column}' (named by --map or by the supplier's saved mapping profile; "
                   f"give another with --map FIELD=COLUMN or --profile NAME); the columns are: {known}.")


def _matches(header: str, name: str, *, exact: bool = True) -> bool:
    words = SYNONYMS.get(name, ()) + (name.replace("_", " "),)
    if exact:
        return header in words
    return any(len(w) > 3 and (header.startswith(w + " ") or header.endswith(" " + w)) for w in words)


def prune_unknown_columns(parsed: ParsedImport, mapping: dict[str, str]) -> dict[str, str] | None:
    """The mapping without columns this file lacks (a saved profile from another export), or None if all exist."""
    if not mapping or not any(f.code == "unknown-column" for f in parsed.findings):
        return None
    kept = {}
    for name, column in mapping.items():
        try:
            resolve_column(column, parsed.headers)
        except KeyError:
            continue
        kept[name] = column
    return kept if len(kept) < len(mapping) else None
