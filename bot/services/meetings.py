"""The joint tech–management meeting: when it is, its agenda from the data, and the answers in its thread.

Meetings fall every `meeting_every_weeks` weeks on `meeting_weekday`, weeks counted from the week of the
project's start date (or of its creation). The prompt goes out at `meeting_time` two workdays before the
meeting day; a reminder goes out at `meeting_time` on the workday before when the technical assessment or
the pm's risk-plan update is still missing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlmodel import Session, col, select

from bot.domain.funds import Position
from bot.services import wages
from bot.services.digest import parse_hhmm
from bot.services.status import ProjectStatus, TaskInfo, calendar_for, statuses
from storage.models import Meeting, Member, Project

PROMPT_WORKDAYS_BEFORE = 2
# Risks at or above this score without a mitigation need a decision.
DECISION_SCORE = 12
# SPI or CPI below this needs a recovery decision.
DECISION_RATIO = Decimal("0.9")
# A task blocked longer than this many workdays needs someone to unblock it.
DECISION_BLOCKED_WORKDAYS = 2
# A budget line spent past this share needs a decision before it overruns.
DECISION_LINE_PCT = Decimal(80)


def period_key(meeting_day: date) -> str:
    """The ISO week of a meeting, e.g. 2026-W48."""
    year, week, _ = meeting_day.isocalendar()
    return f"{year}-W{week:02d}"


def _anchor(project: Project) -> date:
    start = project.start_date or calendar_for(project).local_date(project.created_at)
    return start - timedelta(days=start.weekday())


def meeting_days(project: Project, around: date, weeks_before: int = 1, weeks_after: int = 3) -> list[date]:
    """Meeting days in the weeks around a date."""
    every = max(1, project.meeting_every_weeks)
    anchor = _anchor(project)
    monday = around - timedelta(days=around.weekday())
    out = []
    for offset in range(-weeks_before, weeks_after + 1):
        week = monday + timedelta(weeks=offset)
        index = (week - anchor).days // 7
        if index >= 0 and index % every == 0:
            out.append(week + timedelta(days=project.meeting_weekday % 7))
    return out


def prompt_instant(project: Project, meeting_day: date) -> datetime:
    """When the prompt for a meeting goes out."""
    cal = calendar_for(project)
    return cal.at_local(
        cal.add_workdays(meeting_day, -PROMPT_WORKDAYS_BEFORE), parse_hhmm(project.meeting_time)
    )


def reminder_instant(project: Project, meeting_day: date) -> datetime:
    """When the reminder for a meeting goes out (if an answer is missing)."""
    cal = calendar_for(project)
    return cal.at_local(cal.previous_workday(meeting_day), parse_hhmm(project.meeting_time))


@dataclass(frozen=True)
class Decision:
    """Something the meeting has to decide, found in the data, and the role who decides it."""

    what: str  # overdue | spi | cpi | blocked | risk | line | eac | wages
    subject: str = ""  # a task or risk key, a budget category, a month, or a figure
    role: str = "pm"
    figure: Decimal | None = None


@dataclass(frozen=True)
class Agenda:
    """What the meeting prompt lists: schedule, cost, risks, decisions, and whom it asks."""

    meeting_day: date
    status: ProjectStatus
    techs: tuple[str, ...]
    pms: tuple[str, ...]
    decisions: tuple[Decision, ...]
    blocked_long: tuple[TaskInfo, ...]
    funds: Position | None = None  # once the project has any /funds record


def _overdue(project: Project, st: ProjectStatus, funds: Position | None) -> list[Decision]:
    return [Decision("overdue", t.key) for t in st.overdue]


def _ratios(project: Project, st: ProjectStatus, funds: Position | None) -> list[Decision]:
    ev = st.earned
    return [
        Decision(name, figure=value)
        for name, value in (("spi", ev.spi), ("cpi", ev.cpi))
        if value is not None and value < DECISION_RATIO
    ]


def _blocked(project: Project, st: ProjectStatus, funds: Position | None) -> list[Decision]:
    # A block of unknown age is listed: nothing says it is a short one.
    cal = calendar_for(project)
    out = []
    for t in st.blocked:
        since = t.blocked_since
        if since is None or cal.workdays_between(cal.local_date(since), st.on) > DECISION_BLOCKED_WORKDAYS:
            out.append(Decision("blocked", t.key))
    return out


def _risks(project: Project, st: ProjectStatus, funds: Position | None) -> list[Decision]:
    return [
        Decision("risk", r.key, "tech" if r.kind == "tech" else "pm")
        for r in st.open_risks
        if r.score >= DECISION_SCORE and not r.mitigated
    ]


def _lines(project: Project, st: ProjectStatus, funds: Position | None) -> list[Decision]:
    return [
        Decision("line", line.category, figure=line.pct)
        for line in st.budget_lines
        if line.pct is not None and line.pct > DECISION_LINE_PCT
    ]


def _eac(project: Project, st: ProjectStatus, funds: Position | None) -> list[Decision]:
    return [Decision("eac")] if st.earned.eac is not None and st.earned.eac > st.bac else []


def _wages(project: Project, st: ProjectStatus, funds: Position | None) -> list[Decision]:
    # Last month's wages are still owed while the site holds money: the pm decides when to pay.
    if funds is None or not funds.wages_owed_with_funds:
        return []
    return [Decision("wages", funds.owed_month, figure=funds.owed)]


# Each rule reads the status (and the funds, when the project keeps them) and names what needs deciding;
# add a rule to add a kind of decision.
DECISION_RULES: tuple[Callable[[Project, ProjectStatus, Position | None], list[Decision]], ...] = (
    _overdue,
    _ratios,
    _blocked,
    _risks,
    _lines,
    _eac,
    _wages,
)


def decisions_for(project: Project, st: ProjectStatus, funds: Position | None = None) -> tuple[Decision, ...]:
    """What the joint meeting must decide, from the project's status and funds."""
    return tuple(d for rule in DECISION_RULES for d in rule(project, st, funds))


def leads_by_project(session: Session, project_ids: Sequence[int]) -> dict[int, tuple[list[str], list[str]]]:
    """(tech leads, pms) of each project."""
    out: dict[int, tuple[list[str], list[str]]] = {pid: ([], []) for pid in project_ids}
    if project_ids:
        for m in session.exec(
            select(Member)
            .where(col(Member.project_id).in_(project_ids), col(Member.role).in_(("tech", "pm")))
            .order_by(col(Member.id))
        ).all():
            out[m.project_id][0 if m.role == "tech" else 1].append(m.user_id)
    return out


def agendas(
    session: Session, projects: Sequence[Project], days: dict[int, date], meeting_day: dict[int, date]
) -> dict[int, Agenda]:
    """Agendas of many projects (status as of `days`)."""
    status_by = statuses(session, projects, days)
    leads = leads_by_project(session, [p.pk for p in projects])
    money = wages.positions(session, projects, days)
    out = {}
    for project in projects:
        st = status_by[project.pk]
        techs, pms = leads[project.pk]
        out[project.pk] = Agenda(
            meeting_day=meeting_day[project.pk],
            status=st,
            techs=tuple(techs),
            pms=tuple(pms),
            decisions=decisions_for(project, st, money.get(project.pk)),
            blocked_long=st.blocked,
            funds=money.get(project.pk),
        )
    return out


def create_meeting(
    session: Session, *, project: Project, meeting_day: date, channel: str, ts: str
) -> Meeting:
    """The meeting row of a posted prompt (its thread is where answers go)."""
    meeting = Meeting(
        team_id=project.team_id,
        project_id=project.pk,
        period_key=period_key(meeting_day),
        meeting_on=meeting_day,
        slack_channel=channel,
        slack_ts=ts,
    )
    session.add(meeting)
    session.flush()
    return meeting


def meetings_missing_answers(session: Session, keys: set[tuple[int, str]]) -> dict[tuple[int, str], Meeting]:
    """Meetings (project id, period key) still waiting for the tech or the pm answer."""
    if not keys:
        return {}
    rows = session.exec(
        select(Meeting).where(
            col(Meeting.project_id).in_({pid for pid, _ in keys}),
            col(Meeting.period_key).in_({k for _, k in keys}),
        )
    ).all()
    return {
        (m.project_id, m.period_key): m
        for m in rows
        if (m.project_id, m.period_key) in keys and (m.tech_assessment is None or m.pm_update is None)
    }


def meeting_for_thread(session: Session, *, team_id: str, channel: str, thread_ts: str) -> Meeting | None:
    """The meeting whose prompt started this thread."""
    return session.exec(
        select(Meeting).where(
            Meeting.team_id == team_id, Meeting.slack_channel == channel, Meeting.slack_ts == thread_ts
        )
    ).first()


def record_reply(
    session: Session, *, meeting: Meeting, user_id: str, role: str, text: str, now: datetime
) -> str | None:
    """Keep a thread reply as the technical assessment (tech) or the risk-plan update (pm)."""
    if role == "tech":
        meeting.tech_assessment = (
            text if meeting.tech_assessment is None else f"{meeting.tech_assessment}\n{text}"
        )
        meeting.tech_user_id, meeting.tech_at = user_id, now
    elif role == "pm":
        meeting.pm_update = text if meeting.pm_update is None else f"{meeting.pm_update}\n{text}"
        meeting.pm_user_id, meeting.pm_at = user_id, now
    else:
        return None
    session.add(meeting)
    session.flush()
    return role
