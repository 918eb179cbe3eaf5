"""The global search (Ctrl+K): suppliers, contracts, targets, reviews and actions whose words match."""

from __future__ import annotations

from dataclasses import dataclass

from sltdesk.domain.register import Contract, ContractTarget, Supplier
from sltdesk.domain.reviews import ImprovementAction, Review
from sltdesk.services.ports import Workspace

KINDS = ("supplier", "contract", "target", "review", "action")


@dataclass(frozen=True)
class SearchHit:
    kind: str          # one of KINDS
    record_id: int
    title: str         # what the result list shows in bold
    detail: str        # the line under it: where the record belongs
    review_id: int | None = None  # the review an action was raised in
    rank: int = 0      # 0: the title starts with the query, 1: a word does, 2: it is somewhere
    supplier: str = ""  # whose review or action it is


def _rank(query: str, title: str, *others: str) -> int | None:
    """How well every word of the query matches: None when one of them is nowhere."""
    words = query.casefold().split()
    text = " ".join((title, *others)).casefold()
    if not words or not all(w in text for w in words):
        return None
    head = title.casefold()
    if head.startswith(words[0]):
        return 0
    if any(part.startswith(words[0]) for part in head.replace("-", " ").split()):
        return 1
    return 2


def search(ws: Workspace, query: str, *, limit: int = 50) -> list[SearchHit]:
    """Every record whose text holds all the words of `query` (any case), best matches first."""
    if not query.strip():
        return []
    hits: list[SearchHit] = []
    with ws.unit_of_work() as uow:
        suppliers = {s.id: s for s in uow.records.list(Supplier)}
        contracts = {c.id: c for c in uow.records.list(Contract)}
        for s in suppliers.values():
            _add(hits, query, "supplier", s.id, s.name, f"{s.category.value} · {s.criticality.value}", s.notes)
        for c in contracts.values():
            owner = suppliers[c.supplier_id].name if c.supplier_id in suppliers else ""
            _add(hits, query, "contract", c.id, f"{c.ref} — {c.title}", f"{owner} · ends {c.end_date.isoformat()}",
                 c.owner)
        for t in uow.records.list(ContractTarget):
            contract = contracts.get(t.contract_id)
            where = contract.ref if contract else ""
            _add(hits, query, "target", t.id, t.name, f"{where} · {t.metric.value}", t.description)
        reviews = {r.id: r for r in uow.records.list(Review)}
        for r in reviews.values():
            who = suppliers[r.supplier_id].name if r.supplier_id in suppliers else ""
            _add(hits, query, "review", r.id, r.title or f"{who} review {r.period}",
                 f"{who} · {r.period} · held {r.held_on.isoformat()}", who, r.period, supplier=who)
        for a in uow.records.list(ImprovementAction):
            who = suppliers[a.supplier_id].name if a.supplier_id in suppliers else ""
            _add(hits, query, "action", a.id, a.text, f"{who} · {a.status.value}"
                 + (f" · due {a.due_on.isoformat()}" if a.due_on else "") + (f" · {a.owner}" if a.owner else ""),
                 a.owner, a.note, review_id=a.raised_in, supplier=who)
    hits.sort(key=lambda h: (h.rank, KINDS.index(h.kind), h.title.casefold()))
    return hits[:limit]


def _add(hits: list[SearchHit], query: str, kind: str, record_id: int | None, title: str, detail: str,
         *others: str, review_id: int | None = None, supplier: str = "") -> None:
    rank = _rank(query, title, detail, *others)
    if rank is not None and record_id is not None:
        hits.append(SearchHit(kind, record_id, title, detail, review_id, rank, supplier))
