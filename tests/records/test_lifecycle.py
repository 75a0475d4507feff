"""The record lifecycle shared by labor and expenses: the same rules hold for every record kind."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlmodel import Session, select

from bot.services import records
from bot.services.errors import Conflict, InvalidInput, Locked, NotFound, PermissionDenied
from bot.services.expenses import EXPENSE
from bot.services.labor import LABOR
from storage.models import AuditLog, Project, WeekApproval
from tests.scheduler.sched_support import add_expense, add_labor, add_member, add_project

DAY = date(2026, 3, 4)  # a Wednesday; its week starts Monday 2 March
TODAY = date(2026, 3, 9)

Add = Callable[..., Any]
KINDS = [
    pytest.param(LABOR, lambda s, p, **kw: add_labor(s, p, DAY, "8", "800", **kw), id="labor"),
    pytest.param(EXPENSE, lambda s, p, **kw: add_expense(s, p, DAY, "120", **kw), id="expense"),
]


def _project(session: Session) -> Project:
    project = add_project(session)
    add_member(session, project, "U0MEM")
    add_member(session, project, "U0OTHER")
    return project


@pytest.mark.parametrize(("kind", "add"), KINDS)
def test_only_the_author_or_a_pm_voids_and_each_void_is_audited(
    session: Session, kind: records.RecordKind[Any], add: Add
) -> None:
    project = _project(session)
    row = add(session, project, logged_by="U0MEM")
    with pytest.raises(PermissionDenied):
        records.void(session, kind, project=project, actor="U0OTHER", is_admin=False, record_id=row.id)
    voided = records.void(session, kind, project=project, actor="U0MEM", is_admin=False, record_id=row.id)
    assert voided.void and voided.voided_at is not None
    with pytest.raises(Conflict) as again:
        records.void(session, kind, project=project, actor="U0PM", is_admin=False, record_id=row.id)
    assert again.value.key == f"{kind.words}.already_void" and again.value.params["id"] == kind.label(row)
    [audit] = session.exec(select(AuditLog).where(AuditLog.entity == kind.audit_entity)).all()
    assert (audit.action, audit.actor, audit.entity_id) == ("void", "U0MEM", str(row.id))
    assert (
        json.loads(audit.before or "{}")["void"] is False and json.loads(audit.after or "{}")["void"] is True
    )


@pytest.mark.parametrize(("kind", "add"), KINDS)
def test_ids_of_another_project_are_not_found(
    session: Session, kind: records.RecordKind[Any], add: Add
) -> None:
    project, other = _project(session), _project(session)
    row = add(session, other)
    with pytest.raises(NotFound) as missing:
        records.get(session, kind, project=project, record_id=row.id)
    assert missing.value.key == f"{kind.words}.not_found" and missing.value.params["id"] == kind.label(row)


@pytest.mark.parametrize(("kind", "add"), KINDS)
def test_undo_voids_the_actors_latest_live_record_only(
    session: Session, kind: records.RecordKind[Any], add: Add
) -> None:
    project = _project(session)
    first = add(session, project, logged_by="U0MEM")
    last = add(session, project, logged_by="U0MEM")
    someone_elses = add(session, project, logged_by="U0OTHER")
    [undone] = records.undo_last(session, kind, project=project, actor="U0MEM", is_admin=False)
    assert undone.id == last.id
    [undone] = records.undo_last(session, kind, project=project, actor="U0MEM", is_admin=False)
    assert undone.id == first.id
    with pytest.raises(NotFound) as nothing:
        records.undo_last(session, kind, project=project, actor="U0MEM", is_admin=False)
    assert nothing.value.key == f"{kind.words}.nothing_to_undo"
    assert not records.get(session, kind, project=project, record_id=someone_elses.id).void


@pytest.mark.parametrize(("kind", "add"), KINDS)
def test_a_locked_record_cannot_change(session: Session, kind: records.RecordKind[Any], add: Add) -> None:
    project = _project(session)
    row = add(session, project, logged_by="U0MEM")
    records.lock(session, kind, rows=[row], actor="U0PM")
    with pytest.raises(Locked) as locked:
        records.void(session, kind, project=project, actor="U0PM", is_admin=False, record_id=row.id)
    assert locked.value.params["week"] == "2026-03-02"


@pytest.mark.parametrize(("kind", "add"), KINDS)
def test_edit_accepts_only_the_kinds_fields(
    session: Session, kind: records.RecordKind[Any], add: Add
) -> None:
    project = _project(session)
    row = add(session, project, logged_by="U0MEM", note="before")

    def apply(rec: Any, changes: dict[str, Any]) -> None:
        rec.note = changes["note"]

    with pytest.raises(InvalidInput) as unknown:
        records.edit(
            session, kind, row.id, {"colour": "red"}, apply, project=project, actor="U0MEM", is_admin=False
        )
    assert unknown.value.key == f"{kind.words}.bad_edit" and unknown.value.params["fields"] == "colour"
    edited = records.edit(
        session, kind, row.id, {"note": "after"}, apply, project=project, actor="U0MEM", is_admin=False
    )
    assert edited.note == "after"
    [audit] = session.exec(select(AuditLog).where(AuditLog.action == "edit")).all()
    assert (
        json.loads(audit.before or "{}")["note"] == "before"
        and json.loads(audit.after or "{}")["note"] == "after"
    )


@pytest.mark.parametrize(("kind", "add"), KINDS)
def test_a_slack_message_finds_the_live_records_it_made(
    session: Session, kind: records.RecordKind[Any], add: Add
) -> None:
    project = _project(session)
    made = add(session, project, slack_channel=project.channel_id, slack_ts="1764122400.000100")
    add(session, project, slack_channel=project.channel_id, slack_ts="1764122400.000200")
    found = records.for_message(
        session, kind, team_id=project.team_id, channel=project.channel_id, ts="1764122400.000100"
    )
    assert [r.id for r in found] == [made.id]
    assert (
        records.for_message(
            session, kind, team_id="T0OTHER", channel=project.channel_id, ts="1764122400.000100"
        )
        == []
    )


@pytest.mark.parametrize(
    ("kind", "future_key", "approval_locks"),
    [(LABOR, "labor.future", True), (EXPENSE, "expense.future", False)],
)
def test_dates_future_refused_and_an_approved_week_locks_labor_only(
    session: Session, kind: records.RecordKind[Any], future_key: str, approval_locks: bool
) -> None:
    project = _project(session)
    check = {"project": project, "actor": "U0MEM", "is_admin": False, "today": TODAY}
    with pytest.raises(InvalidInput) as future:
        records.check_date(session, kind, day=date(2026, 3, 10), **check)
    assert future.value.key == future_key
    with pytest.raises(PermissionDenied):  # more than 31 days back needs a pm
        records.check_date(session, kind, day=date(2026, 2, 1), **check)
    session.add(
        WeekApproval(
            team_id=project.team_id, project_id=project.pk, week_start=date(2026, 3, 2), approved_by="U0PM"
        )
    )
    session.commit()
    if approval_locks:
        with pytest.raises(Locked):
            records.check_date(session, kind, day=DAY, **check)
    else:
        records.check_date(session, kind, day=DAY, **check)  # an expense of an approved week is still fine
