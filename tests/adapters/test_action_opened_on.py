"""The day an improvement action was opened (`opened_on`, migration n30001): set when raised, earlier when the
work began before the review recorded it, and backfilled on upgrade from what was already stored — on SQLite
and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import sqlalchemy as sa

from models.workspace import alembic_config, open_workspace
from sltdesk.domain.reviews import ActionStatus, ImprovementAction
from sltdesk.services import reviews as svc
from sltdesk.services.reviews import ReviewError
from tests.adapters.test_reviews_storage import target  # noqa: F401 (fixture)


def _url(db_target: str) -> str:
    return db_target if "://" in db_target else f"sqlite:///{db_target}"


def _alembic(db_target: str, verb: str, revision: str) -> None:
    from alembic import command

    engine = sa.create_engine(_url(db_target))
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            getattr(command, verb)(config, revision)
    finally:
        engine.dispose()


def test_an_action_is_opened_on_its_reviews_day_unless_it_began_earlier(workspace, target):  # noqa: F811
    review = svc.create_review(workspace, supplier="Stratus Hosting", period="2026-06", held_on=date(2026, 7, 14))
    raised = svc.add_action(workspace, review.id, "Second resolver group", target_id=target.id)
    earlier = svc.add_action(workspace, review.id, "Upgrade firmware", target_id=target.id,
                             opened_on=date(2025, 10, 6))
    assert (raised.opened_on, earlier.opened_on) == (date(2026, 7, 14), date(2025, 10, 6))
    done = svc.update_action(workspace, replace(earlier, status=ActionStatus.DONE), on=date(2026, 3, 12))
    assert (done.opened_on, done.closed_on) == (date(2025, 10, 6), date(2026, 3, 12))
    with pytest.raises(ReviewError, match="before it was opened"):
        svc.update_action(workspace, replace(raised, status=ActionStatus.DONE), on=date(2026, 7, 1))


def test_the_upgrade_backfills_from_the_review_then_the_audit_trail_then_the_closing_day(db_target, target):  # noqa: F811
    ws = open_workspace(db_target, user="alice")
    try:
        review = svc.create_review(ws, supplier="Stratus Hosting", period="2026-06", held_on=date(2026, 7, 14))
        from_review = svc.add_action(ws, review.id, "Raised at the review")
        from_audit = svc.add_action(ws, review.id, "Its review link is lost")
        from_close = svc.add_action(ws, review.id, "Known only as closed")
        svc.update_action(ws, replace(from_close, status=ActionStatus.DONE), on=date(2026, 9, 20))
    finally:
        ws.close()
    _alembic(db_target, "downgrade", "n30001-1")
    engine = sa.create_engine(_url(db_target))
    with engine.begin() as conn:
        assert "opened_on" not in {c["name"] for c in sa.inspect(conn).get_columns("improvement_action")}
        conn.execute(sa.text("UPDATE improvement_action SET raised_in = NULL WHERE id IN (:a, :b)"),
                     {"a": from_audit.id, "b": from_close.id})
        conn.execute(sa.text("DELETE FROM audit_entry WHERE entity = 'improvement_action' AND entity_id = :c"),
                     {"c": str(from_close.id)})
        created = conn.execute(sa.text("SELECT min(at_utc) FROM audit_entry WHERE entity = 'improvement_action' "
                                       "AND action = 'create' AND entity_id = :b"), {"b": str(from_audit.id)}).scalar()
    engine.dispose()
    _alembic(db_target, "upgrade", "heads")
    ws = open_workspace(db_target, user="alice")
    try:
        with ws.unit_of_work() as uow:
            opened = {a.id: a.opened_on for a in uow.records.list(ImprovementAction)}
    finally:
        ws.close()
    assert opened == {from_review.id: date(2026, 7, 14), from_audit.id: date.fromisoformat(created[:10]),
                      from_close.id: date(2026, 9, 20)}
