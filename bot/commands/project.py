"""/project: create and configure the channel's project; no text opens the form."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.commands.core import Ctx, Decision, Request
from bot.commands.router import Handler, Route, help_handler
from bot.parsing.project_command import (
    ProjectSpec,
    SpecError,
    parse_budget_line,
    parse_create,
    parse_fx,
    parse_past_or_future_date,
    parse_people,
    parse_rate_command,
    parse_role,
    parse_set,
)
from bot.parsing.record_commands import normalize_mentions
from bot.services import profiles, projects, rates
from bot.services.errors import ForemanError
from bot.views import modals_records, project_views
from storage.models import Project

WORDS = {
    "create": "create", "新建": "create", "创建": "create",
    "set": "set", "设置": "set",
    "budget": "budget", "预算": "budget",
    "role": "role", "角色": "role",
    "crew": "crew", "班组": "crew",
    "worker": "worker", "工人": "worker",
    "status": "status", "状态": "status",
    "rate": "rate", "单价": "rate", "工价": "rate",
    "fx": "fx", "汇率": "fx",
    "help": "help", "帮助": "help",
}  # fmt: skip


def _read_create(services: Services, client: WebClient, req: Request, rest: str, lang: str) -> ProjectSpec:
    """The create spec, defaulting the language to the one typed and the timezone to the user's."""
    spec = parse_create(rest, now=services.clock(), tz="UTC")
    spec.values.setdefault("language", lang)
    if "timezone" not in spec.values:
        user = profiles.lookup(services, client, team_id=req.who.team_id, user_id=req.who.user_id)
        spec.values["timezone"] = user.timezone or "UTC"
    return spec


def create_here(ctx: Ctx, spec: ProjectSpec) -> str:
    """Create the channel's project (from the command or the form); the announcement."""
    who = ctx.req.who
    project = projects.create_project(
        ctx.session,
        team_id=who.team_id,
        channel_id=str(who.channel_id),
        user_id=who.user_id,
        spec=spec,
        now=ctx.now,
    )
    return project_views.created_text(project, who.user_id)


def _create(ctx: Ctx) -> Decision:
    return Decision(create_here(ctx, ctx.prepared), public=True)


def _status(ctx: Ctx) -> str:
    return project_views.status_text(projects.status(ctx.session, project=ctx.proj), lang=ctx.lang)


def _settings(ctx: Ctx, values: dict[str, Any]) -> Decision:
    before = {k: getattr(ctx.proj, k) for k in values}
    projects.update_settings(ctx.session, **ctx.common, values=values)
    text = project_views.set_text(before, ctx.proj, lang=ctx.lang)
    return Decision(text + _lines_warning(ctx) if "budget" in values else text, public=True)


def _lines_warning(ctx: Ctx) -> str:
    """A warning when the budget lines add up to more than the total budget (contract §5), else ''."""
    over = projects.budget_lines_over_total(ctx.session, ctx.proj)
    return project_views.lines_warning(over, ctx.proj, lang=ctx.lang)


def _set(ctx: Ctx) -> Decision:
    return _settings(ctx, parse_set(ctx.rest, now=ctx.now, tz=ctx.proj.timezone))


def _budget(ctx: Ctx) -> Decision:
    category, amount, currency = parse_budget_line(ctx.rest)
    if category is None:
        return _settings(ctx, {"budget": amount} | ({"currency": currency} if currency else {}))
    line = projects.set_budget_line(ctx.session, **ctx.common, category=category, amount=amount)
    text = project_views.budget_line_text(line, ctx.proj, lang=ctx.lang)
    return Decision(text + _lines_warning(ctx), public=True)


def _role(ctx: Ctx) -> Decision:
    user, role = parse_role(ctx.rest)
    member = projects.set_role(ctx.session, **ctx.common, user_id=user, role=role)
    return Decision(project_views.role_text(member, ctx.proj, lang=ctx.lang), public=True)


def _rate(ctx: Ctx) -> Decision:
    """`/project rate <@user|role|crew|worker> <amount>/<hour|day> [from <date>]`: a dated pay rate."""
    spec = parse_rate_command(ctx.rest, now=ctx.now, tz=ctx.proj.timezone)
    row = rates.set_rate(
        ctx.session,
        **ctx.common,
        subject_kind=spec.subject_kind,
        subject=spec.subject,
        amount=spec.amount,
        unit=spec.unit,
        effective_from=spec.effective_from,
    )
    return Decision(project_views.rate_text(row, ctx.proj, lang=ctx.lang), public=True)


def _fx(ctx: Ctx) -> Decision:
    """`/project fx USD 7.12 [from <date>]`: what one unit of a foreign currency is worth, from a date."""
    spec = parse_fx(ctx.rest, now=ctx.now, tz=ctx.proj.timezone)
    row = rates.set_fx(
        ctx.session, **ctx.common, currency=spec.currency, rate=spec.rate, effective_from=spec.effective_from
    )
    return Decision(project_views.fx_text(row, ctx.proj, lang=ctx.lang), public=True)


def _people(kind: str) -> Handler:
    """`/project crew|worker <name> [rate …] [from <date>]`: a rate with a date is added beside the others;
    one without is the crew's or worker's own."""

    def handle(ctx: Ctx) -> Decision:
        spec = parse_people(ctx.rest, kind=kind)
        since = None
        if spec.rate_from is not None:
            since = parse_past_or_future_date(spec.rate_from, now=ctx.now, tz=ctx.proj.timezone)
            if since is None:
                raise SpecError("from", spec.rate_from)
        own_rate = spec.rate if since is None else None
        held: Any
        if kind == "crew":
            held = projects.upsert_crew(
                ctx.session, **ctx.common, name=spec.name, rate=own_rate, lead=spec.lead
            )
        else:
            held = projects.upsert_worker(
                ctx.session, **ctx.common, name=spec.name, rate=own_rate, crew=spec.crew
            )
        if since is not None and spec.rate is not None:
            rates.set_rate(
                ctx.session,
                **ctx.common,
                subject_kind=kind,
                subject=str(held.id),
                amount=spec.rate[0],
                unit=spec.rate[1],
                effective_from=since,
            )
            row = rates.latest_row(ctx.session, ctx.proj, kind, str(held.id))
            text = project_views.rate_text(row, ctx.proj, lang=ctx.lang, name=spec.name)
        elif kind == "crew":
            text = project_views.crew_text(held, ctx.proj, lang=ctx.lang)
        else:
            text = project_views.worker_text(held, spec.crew, ctx.proj, lang=ctx.lang)
        return Decision(text, public=True)

    return Handler(handle)


def form(services: Services, session: Session, req: Request, project: Project | None) -> Decision:
    """The create form when the channel has no project, else its settings form."""
    lang = project.language if project is not None else "en"
    return Decision(view=modals_records.project_modal(project, channel=str(req.who.channel_id), lang=lang))


def _usage(sub: str | None, err: ForemanError, syntax: bool) -> str | None:
    if not syntax:
        return None
    return "usage.project_create" if sub == "create" else "usage.project"


ROUTE = Route(
    command="/project",
    words=WORDS,
    handlers={
        "help": help_handler("project.help"),
        "create": Handler(_create, needs_project=False, prepare=_read_create),
        "status": Handler(_status),
        "set": Handler(_set),
        "budget": Handler(_budget),
        "role": Handler(_role),
        "crew": _people("crew"),
        "worker": _people("worker"),
        "rate": Handler(_rate),
        "fx": Handler(_fx),
        None: help_handler("project.help"),
    },
    usage=_usage,
    form=form,
    normalize=lambda text: normalize_mentions(text.strip()),
)
