"""Anchors of the audit trail: the head written down outside the workspace, and the check against it.

The chain alone cannot tell a trail that was cut back (its newest entries deleted together with the recorded
head) from one that never grew. An anchor — the entry count and head hash at a moment, pasted into an e-mail
or signed — can: the entry at the anchored position must still exist and still hash to the anchored head.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sltdesk.domain.audit import Anchor, AuditEntry
from sltdesk.rules.audit_chain import GENESIS

TITLE = "SLT Desk audit anchor"
_HASH = re.compile(r"^[0-9a-f]{64}$")


def format_anchor(anchor: Anchor, *, location: str) -> str:
    """The text to paste or sign: a title line and one fact per line."""
    return (f"{TITLE}\nWorkspace: {location}\nEntries:   {anchor.entries}\nHead:      {anchor.head}\n"
            f"Time:      {anchor.at_utc}\n")


def parse_anchor(text: str) -> Anchor:
    """An anchor from its text (or from a bare head hash); ValueError with a sentence when it is neither."""
    text = text.strip()
    if _HASH.match(text.lower()):
        return Anchor(entries=None, head=text.lower())
    facts = {}
    for line in text.splitlines():
        key, _, value = line.partition(":")
        facts[key.strip().lower()] = value.strip()
    head, entries = facts.get("head", "").lower(), facts.get("entries", "")
    if not _HASH.match(head) or not entries.isdigit():
        raise ValueError("this is not an audit anchor: give the file `sltdesk audit anchor --out` wrote, or the "
                         "64-character head hash")
    return Anchor(entries=int(entries), head=head, at_utc=facts.get("time", ""))


def anchor_problem(entries: Iterable[AuditEntry], anchor: Anchor) -> str:
    """"" when the trail still holds the anchored entry; else a sentence saying what is wrong."""
    if anchor.entries == 0 or anchor.head == GENESIS:
        return ""  # the anchor of an empty trail: every trail holds it
    on = f" on {anchor.at_utc[:10]}" if anchor.at_utc else ""
    count = 0
    for entry in entries:
        count += 1
        if anchor.entries is None and entry.hash == anchor.head:
            return ""
        if entry.seq == anchor.entries:
            return "" if entry.hash == anchor.head else (
                f"entry {entry.seq} does not match the anchor taken{on}: the trail was rewritten from there")
    if anchor.entries is None:
        return (f"no entry of the trail has the anchored head {anchor.head[:16]}…: entries were removed or "
                "rewritten")
    if count < anchor.entries:
        return (f"the trail has {count} entries, fewer than the {anchor.entries} anchored{on}: "
                "entries were removed")
    return f"entry {anchor.entries} does not match the anchor taken{on}"
