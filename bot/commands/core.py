"""What every surface shares: the request, the decision, and the rules each one goes through once."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.parsing import ParseResult, parse
from bot.services import idempotency, lookups, profiles, projects
from bot.services.errors import ForemanError, PermissionDenied
from bot.views.replies import error_text
from storage.models import Project

T = TypeVar("T")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def text_lang(text: str | None, default: str = "en") -> str:
    """The reply-language rule (contract §5): a reply to typed text is in the language it was typed in —
    zh when the text has Chinese characters, else en. `default` (the project's language) only answers
    when nothing was typed (an empty command opening a form, a click)."""
    if text and _CJK.search(text):
        return "zh"
    return "en" if text and text.strip() else default


@dataclass(frozen=True)
class Who:
    """The acting user and where they act."""

    team_id: str
    user_id: str
    channel_id: str | None


@dataclass(frozen=True)
class Request:
    """One delivery from Slack: who, where, the text, and the key that makes it count once."""

    who: Who
    text: str
    key: str
    trigger_id: str | None = None


@dataclass
class Decision:
    """What a handler decided: what to say (and to whom), what form to open, what a form got wrong."""

    text: str | None = None
    public: bool = False
    view: dict[str, Any] | None = None
    errors: dict[str, str] | None = None
    thread_ts: str | None = None  # a whisper's thread, when it belongs in one
    blocks: list[dict[str, Any]] | None = None


@dataclass(frozen=True)
class Upload:
    """A file a request puts in the channel after the ack."""

    data: bytes
    filename: str
    title: str
    comment: str


@dataclass
class Ctx:
    """What a handler works with inside the request's transaction."""

    services: Services
    client: WebClient
    session: Session
    req: Request
    is_admin: bool
    project: Project | None
    lang: str
    rest: str = ""
    prepared: Any = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def proj(self) -> Project:
        """The channel's project (handlers that need one are only called when there is one)."""
        assert self.project is not None
        return self.project

    @property
    def user(self) -> str:
        return self.req.who.user_id

    @property
    def now(self) -> datetime:
        return self.services.clock()

    @property
    def today(self) -> date:
        return local_today(self.services, self.proj)

    @property
    def common(self) -> dict[str, Any]:
        """The keyword arguments every service mutation takes."""
        return {"project": self.proj, "actor": self.user, "is_admin": self.is_admin}


def as_user(services: Services, client: WebClient, who: Who, work: Callable[[Session, bool], T]) -> T:
    """Run `work(session, is_admin)` in one transaction; on a role refusal, retry once if the user is a
    workspace admin (admins are pm of every project) so users.info is only asked when it matters."""
    try:
        return services.write(lambda session: work(session, False))
    except PermissionDenied:
        admin = profiles.lookup(services, client, team_id=who.team_id, user_id=who.user_id).is_admin
        if not admin:
            raise
        return services.write(lambda session: work(session, True))


def claim(session: Session, req: Request) -> bool:
    """Claim the request's delivery key; False when an earlier delivery already did the work."""
    return idempotency.claim(session, team_id=req.who.team_id, key=req.key)


def channel_project(session: Session, who: Who) -> Project | None:
    """The project bound to the channel the user acts in, if any."""
    return projects.project_for_channel(session, team_id=who.team_id, channel_id=str(who.channel_id))


def local_today(services: Services, project: Project) -> date:
    """Today in the project's timezone, by the app's clock."""
    return projects.local_date(project, services.clock())


def refusal(lang: str, err: ForemanError, usage: str | None = None) -> str:
    """The words for a domain refusal, with a usage example when one helps."""
    return error_text(lang, err, usage)


def read(
    session: Session, project: Project, text: str, now: datetime, command: str | None = None
) -> ParseResult:
    """The parser's reading of typed text in a project: every surface (slash commands, channel messages,
    standup answers, forms) reads through here, so each knows the roster (workers, crews, members' display
    names) and the open tasks (key, title)."""
    known = lookups.roster(session, project)
    return parse(
        text,
        now=now,
        tz=project.timezone,
        currency=project.currency,
        command=command,
        standard_hours=float(project.hours_per_day),
        known_workers=known.workers,
        known_crews=known.crews,
        known_members=known.members,
        open_tasks=known.open_tasks,
    )
