"""Stored results: each target's figure for a period, kept under the fingerprint of its inputs.

A row is used only while its fingerprint equals the one computed from the workspace now
(sltdesk/rules/result_keys.py); a changed input makes it a miss, never a wrong figure. Rows are written by
the actions that change inputs (an import, an edit, an approval, a mark, `sltdesk results refresh`), never by
a read.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, delete, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from models.repository import REPOSITORIES
from models.tables import Base
from sltdesk.domain.results import StoredResult


class PeriodResultRow(Base):
    __tablename__ = "period_result"
    __table_args__ = (UniqueConstraint("target_id", "period"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("contract_target.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(20))
    fingerprint: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # the AttainmentResult as JSON (result_keys.encode)
    computed_at: Mapped[str] = mapped_column(String(32))


class SqlResults:
    """The stored results of a contract: read them, replace some."""

    def __init__(self, session: Session):
        self._s = session

    def stored(self, *, contract_id: int, periods: Sequence[str]) -> list[StoredResult]:
        row = PeriodResultRow
        query = select(row.target_id, row.period, row.fingerprint, row.payload).where(
            row.contract_id == contract_id, row.period.in_(list(periods)))
        return [StoredResult(*r) for r in self._s.execute(query)]

    def stored_by_contract(self, *, periods: Sequence[str]) -> dict[int, list[StoredResult]]:
        """`stored` of every contract in one query: contract id -> its stored results in these periods."""
        row = PeriodResultRow
        query = select(row.contract_id, row.target_id, row.period, row.fingerprint, row.payload).where(
            row.period.in_(list(periods)))
        out: dict[int, list[StoredResult]] = {}
        for contract_id, target_id, period, fingerprint, payload in self._s.execute(query):
            out.setdefault(contract_id, []).append(StoredResult(target_id, period, fingerprint, payload))
        return out

    def fingerprints(self, *, contract_id: int) -> dict[tuple[int, str], str]:
        row = PeriodResultRow
        query = select(row.target_id, row.period, row.fingerprint).where(row.contract_id == contract_id)
        return {(t, p): f for t, p, f in self._s.execute(query)}

    def put(self, *, contract_id: int, results: Sequence[StoredResult], at: str) -> None:
        """Store these results, replacing what was stored for the same target and period (one DELETE, one
        many-row INSERT)."""
        if not results:
            return
        row = PeriodResultRow
        for target_id in {r.target_id for r in results}:
            periods = [r.period for r in results if r.target_id == target_id]
            self._s.execute(delete(row).where(row.target_id == target_id, row.period.in_(periods)))
        self._s.connection().execute(insert(PeriodResultRow), [
            {"contract_id": contract_id, "target_id": r.target_id, "period": r.period,
             "fingerprint": r.fingerprint, "payload": r.payload, "computed_at": at} for r in results])

    def count(self) -> int:
        from sqlalchemy import func

        return int(self._s.scalar(select(func.count()).select_from(PeriodResultRow)) or 0)


REPOSITORIES["results"] = SqlResults
