"""Mapping presets for the exports vendors' tools write (ServiceNow, UptimeRobot): found by a header fingerprint.

A preset says, for one tool's export, which column holds which field, what its labels mean (priorities,
states), which words it writes for "no value" and in which order it writes dates. It is detected when every
header of its fingerprint stands in the file's header row (case, accents and punctuation ignored), or chosen by
name (`--preset NAME`, or in the wizard). What the user chooses himself (`--map`, `--value`, `--null`,
`--dayfirst`, a saved profile) wins over the preset. Where each header row comes from is written in
tests/fixtures/presets/README.md and the README's "Presets" section.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from importers.mapping import normalise
from sltdesk.domain.raw import RecordKind

NONE = "none"  # `--preset none`: no preset, not even a detected one


@dataclass(frozen=True)
class Preset:
    name: str
    title: str  # the tool and the export, as its users call it
    kind: RecordKind
    fingerprint: tuple[str, ...]  # headers that all stand in the tool's export ("a|b": either of them)
    columns: tuple[tuple[str, str], ...]  # field -> header ("a|b": the first of them the file has)
    unmapped: tuple[str, ...] = ()  # fields the export never holds (no column is suggested for them)
    values: tuple[tuple[str, str, str], ...] = ()  # field, label, value (as `--value FIELD:LABEL=VALUE`)
    nulls: tuple[str, ...] = ()  # what the tool writes for "no value", beyond the usual markers
    dayfirst: bool | None = None  # None: the order is decided from the column (ISO dates have none)
    keep: tuple[str, tuple[str, ...]] | None = None  # (header, labels): only rows holding one are records
    source: str = ""  # where the header row was copied from (the fixture's README says more)
    dates: str = ""  # how the tool writes dates, in words


def _priorities(field_name: str, labels: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """ServiceNow writes 'N - Word': the number is the priority."""
    return tuple((field_name, label, f"P{label[0]}") for label in labels)


_SN_PRIORITIES = ("1 - Critical", "2 - High", "3 - Moderate", "4 - Low", "5 - Planning")
# A list exported with values instead of display values holds the states' numbers (incident state model).
_SN_STATES = (("status", "1", "New"), ("status", "2", "In Progress"), ("status", "3", "On Hold"),
              ("status", "6", "Resolved"), ("status", "7", "Closed"), ("status", "8", "Canceled"))

PRESETS: tuple[Preset, ...] = (
    Preset(
        name="servicenow-incidents", title="ServiceNow incident list export", kind=RecordKind.TICKETS,
        fingerprint=("number", "short_description", "caller_id", "state", "sys_updated_on"),
        columns=(("ticket_id", "number"), ("priority", "priority"), ("status", "state"), ("category", "category"),
                 ("opened_at", "opened_at"), ("resolved_at", "resolved_at"), ("closed_at", "closed_at"),
                 ("service", "cmdb_ci")),
        unmapped=("assigned_at", "responded_at"),  # assignment_group is a group, not a time
        values=_priorities("priority", _SN_PRIORITIES) + _SN_STATES,
        dayfirst=None, dates="the instance's date format (yyyy-MM-dd HH:mm:ss unless changed): decided from the "
                             "column",
        source="https://github.com/JamesBhn/TicketDashBoard/blob/057903eca1dd4575b1562e13d88de20f51887c14/incident.csv"),
    Preset(
        name="servicenow-event-log", title="ServiceNow incident audit/event log", kind=RecordKind.TICKET_EVENTS,
        # The UCI copy renamed the instance's sys_updated_on to sys_updated_at: either is the update time.
        fingerprint=("number", "incident_state", "sys_updated_at|sys_updated_on", "sys_mod_count"),
        columns=(("ticket_id", "number"), ("state", "incident_state"), ("changed_at", "sys_updated_at|sys_updated_on"),
                 ("opened_at", "opened_at"), ("priority", "priority"), ("category", "category"),
                 ("assignee", "assigned_to"), ("resolved_at", "resolved_at"), ("closed_at", "closed_at")),
        unmapped=("assigned_at", "responded_at", "service", "status"),
        values=_priorities("priority", _SN_PRIORITIES), nulls=("?",), dayfirst=True,
        dates="day first (29/2/2016 01:16)",
        source="https://github.com/rvinicius396g/rvsAzure-BlobStorage/blob/52e6d684350c6956bd13234660dcf4f6f7948ecd/"
               "incident_event_log.csv"),
    Preset(
        name="uptimerobot-logs", title="UptimeRobot monitor logs (downtime)", kind=RecordKind.OUTAGES,
        fingerprint=("Event", "Monitor", "Date-Time", "Reason", "Duration (in mins.)"),
        columns=(("service", "Monitor"), ("start", "Date-Time"), ("duration_minutes", "Duration (in mins.)"),
                 ("note", "Reason")),
        unmapped=("outage_id", "end", "impact_percent", "planned"),
        keep=("Event", ("Down",)), dayfirst=None, dates="yyyy-MM-dd HH:mm:ss in the account's time zone",
        source="https://github.com/Kissy/uptime-robot-stats/blob/cc4e2564b4b4eb9ac4727a9535dee9fa90562d20/src/main/"
               "java/fr/kissy/uptime/robot/stats/Main.java"),
)

# Tools asked for whose export has no public header row to copy yet: not shipped (README: "needs a real export").
NEEDS_A_REAL_EXPORT = ("UptimeRobot response-time log", "Jira Service Management issue CSV", "Zendesk tickets",
                       "Freshdesk tickets", "Pingdom", "StatusCake", "Statuspage incident history")


@dataclass(frozen=True)
class Choice:
    """The preset a parse uses (None: none) and why, as a sentence."""

    preset: Preset | None
    why: str = ""
    problem: str = ""  # a preset chosen by name that cannot read this kind of records


def named(name: str) -> Preset:
    """The preset of this name; KeyError with the names when there is none."""
    for preset in PRESETS:
        if preset.name == name.strip().lower():
            return preset
    raise KeyError(f"There is no preset '{name}'; the presets are: {', '.join(p.name for p in PRESETS)} "
                   f"(or '{NONE}').")


def matches(preset: Preset, headers: list[str]) -> bool:
    """Whether every header of the preset's fingerprint stands in the header row."""
    present = {normalise(h): h for h in headers if str(h).strip()}
    return all(_found(h, present) is not None for h in preset.fingerprint)


def _found(header: str, present: dict[str, str]) -> str | None:
    """The file's header for a preset's header ('a|b': the first alternative the file has), or None."""
    return next((present[normalise(h)] for h in header.split("|") if normalise(h) in present), None)


def shown(header: str) -> str:
    """'sys_updated_at|sys_updated_on' as 'sys_updated_at or sys_updated_on'."""
    return " or ".join(header.split("|"))


def detect(headers: list[str], kind: RecordKind | None = None) -> Preset | None:
    """The preset whose fingerprint the header row holds (the longest fingerprint when several do); one that can
    read the kind only, when a kind is given."""
    found = [p for p in PRESETS if matches(p, headers) and (kind is None or fits(p, kind))]
    return max(found, key=lambda p: len(p.fingerprint), default=None)


def choose(name: str, headers: list[str], kind: RecordKind) -> Choice:
    """The preset for this parse: the named one, none, or the detected one."""
    if name.strip().lower() == NONE:
        return Choice(None)
    if name.strip():
        preset = named(name)
        if not fits(preset, kind):
            return Choice(preset, problem=f"the preset {preset.name} reads {preset.kind.value}, not {kind.value}; "
                                          f"import the file as {preset.kind.value} or choose another preset")
        present = {normalise(h): h for h in headers if str(h).strip()}
        missing = [h for h in preset.fingerprint if _found(h, present) is None]
        why = "chosen by name"
        if missing:
            why += "; the header row lacks its columns " + ", ".join(f"'{shown(h)}'" for h in missing)
        return Choice(preset, why)
    detected = detect(headers, kind)
    if detected is None:
        return Choice(None)
    present = {normalise(h): h for h in headers if str(h).strip()}
    return Choice(detected, "detected: the header row holds its columns "
                            + ", ".join(f"'{_found(h, present)}'" for h in detected.fingerprint))


def fits(preset: Preset, kind: RecordKind) -> bool:
    """Whether a preset can read a file offered as `kind` (an event log offered as tickets is read as one)."""
    return preset.kind is kind or (kind is RecordKind.TICKETS and preset.kind is RecordKind.TICKET_EVENTS)


def columns_in(preset: Preset, headers: list[str]) -> dict[str, str]:
    """field -> header for the preset's columns this file has (a list export holds the columns its view showed)."""
    present = {normalise(h): h for h in headers if str(h).strip()}
    found = {name: _found(header, present) for name, header in preset.columns}
    return {name: header for name, header in found.items() if header is not None}


def mapping_for(preset: Preset, headers: list[str]) -> dict[str, str]:
    """The preset's columns this file has, and its unmapped fields as '' (left unmapped, as `--map FIELD=`)."""
    return {**{name: "" for name in preset.unmapped}, **columns_in(preset, headers)}


@dataclass
class Kept:
    """Which body rows a preset keeps (its `keep` rule), and what the others held."""

    mask: np.ndarray | None = None  # None: every row
    left_out: dict[str, int] = field(default_factory=dict)  # label -> rows


def kept_rows(preset: Preset | None, headers: list[str], column) -> Kept:
    """The rows whose `keep` column holds one of the preset's labels (UptimeRobot: only 'Down' is an outage)."""
    if preset is None or preset.keep is None or column is None:
        return Kept()
    wanted = {normalise(v) for v in preset.keep[1]}
    cells = column.to_list() if hasattr(column, "to_list") else list(column)
    labels = [normalise(c) if c is not None else "" for c in cells]
    mask = np.asarray([label in wanted for label in labels], dtype=bool)
    left_out: dict[str, int] = {}
    for cell, keep in zip(cells, mask, strict=True):
        if not keep:
            text = "" if cell is None else str(cell).strip()
            left_out[text] = left_out.get(text, 0) + 1
    return Kept(mask, left_out)


def keep_index(preset: Preset | None, headers: list[str]) -> int | None:
    """The column of the preset's `keep` rule in this header row (None when it has none or the file lacks it)."""
    if preset is None or preset.keep is None:
        return None
    wanted = normalise(preset.keep[0])
    return next((i for i, h in enumerate(headers) if normalise(h) == wanted), None)
