"""What Foreman knows of Slack users (admin flag, name), cached from users.info for a day."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlmodel import Session, col, select

from storage.models import UserProfile
from storage.types import utcnow

if TYPE_CHECKING:
    from bot.app import Services

log = logging.getLogger(__name__)
FRESH = timedelta(hours=24)


def profile(session: Session, client: WebClient, *, team_id: str, user_id: str) -> UserProfile:
    """The cached profile, refreshed from users.info when older than a day."""
    row = session.exec(
        select(UserProfile).where(UserProfile.team_id == team_id, UserProfile.user_id == user_id)
    ).first()
    now = utcnow()
    if row is not None and now - row.fetched_at < FRESH:
        return row
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
        if row is not None:
            return row
        return UserProfile(team_id=team_id, user_id=user_id)
    row = row or UserProfile(team_id=team_id, user_id=user_id)
    row.name = (user.get("profile") or {}).get("display_name") or user.get("real_name") or user.get("name")
    row.is_admin = bool(user.get("is_admin") or user.get("is_owner"))
    row.timezone = user.get("tz")
    row.fetched_at = now
    session.add(row)
    return row


def lookup(services: Services, client: WebClient, *, team_id: str, user_id: str) -> UserProfile:
    """The cached profile, refreshed from users.info when older than a day — the Slack call made with no
    database transaction open (read in one, users.info, then write in another)."""
    with services.reading() as session:
        row = session.exec(
            select(UserProfile).where(UserProfile.team_id == team_id, UserProfile.user_id == user_id)
        ).first()
    now = utcnow()
    if row is not None and now - row.fetched_at < FRESH:
        return row
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as exc:
        log.warning("users.info failed for %s: %s", user_id, exc.response.get("error"))
        return row or UserProfile(team_id=team_id, user_id=user_id)
    with services.unit_of_work() as session:
        fresh = session.exec(
            select(UserProfile).where(UserProfile.team_id == team_id, UserProfile.user_id == user_id)
        ).first() or UserProfile(team_id=team_id, user_id=user_id)
        fresh.name = (
            (user.get("profile") or {}).get("display_name") or user.get("real_name") or user.get("name")
        )
        fresh.is_admin = bool(user.get("is_admin") or user.get("is_owner"))
        fresh.timezone = user.get("tz")
        fresh.fetched_at = now
        session.add(fresh)
    return fresh


def stored_names(session: Session, *, team_id: str, users: list[str | None]) -> dict[str, str]:
    """Display names already known for these users (no Slack call); unknown users are left out."""
    wanted = {u for u in users if u}
    if not wanted:
        return {}
    rows = session.exec(
        select(UserProfile).where(UserProfile.team_id == team_id, col(UserProfile.user_id).in_(wanted))
    ).all()
    return {r.user_id: r.name for r in rows if r.name}
