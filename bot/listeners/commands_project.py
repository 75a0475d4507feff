"""/project: create and configure the channel's project; no text opens the form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.listeners.common import Who, as_user, refusal, text_lang, who_from_command
from bot.parsing.project_command import (
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
from bot.services import idempotency, profiles, projects, rates
from bot.services.errors import ForemanError, InvalidInput
from bot.views import modals_records, project_views
from bot.views.catalog import t

SUBCOMMANDS = {
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


def _claim(session: Session, who: Who, body: dict[str, Any]) -> bool:
    return idempotency.claim(session, team_id=who.team_id, key=f"cmd:{body.get('trigger_id')}")


def register(app: App, services: Services) -> None:
    @app.command("/project")
    def project_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        who = who_from_command(body)
        text = normalize_mentions((body.get("text") or "").strip())
        head, _, rest = text.partition(" ")
        sub = SUBCOMMANDS.get(head.lower())
        rest = rest.strip()
        seen = {"lang": text_lang(text)}
        if not text:
            open_project_form(services, client, who, body)
            ack()
            return
        if sub is None or sub == "help":
            ack(response_type="ephemeral", text=t(seen["lang"], "project.help"))
            return
        if sub == "create":
            _create(services, ack, client, who, body, rest, seen["lang"])
            return

        def work(session: Session, is_admin: bool) -> tuple[str, bool]:
            project = projects.require_project(session, team_id=who.team_id, channel_id=str(who.channel_id))
            lang = seen["lang"] = text_lang(text, project.language)
            common: dict[str, Any] = {"project": project, "actor": who.user_id, "is_admin": is_admin}
            if sub == "status":
                return project_views.status_text(projects.status(session, project=project), lang=lang), False
            if not _claim(session, who, body):
                return t(lang, "request.duplicate"), False
            if sub == "set":
                values = parse_set(rest, now=services.clock(), tz=project.timezone)
                before = {k: getattr(project, k) for k in values}
                projects.update_settings(session, **common, values=values)
                return project_views.set_text(before, project, lang=lang), True
            if sub == "budget":
                category, amount, currency = parse_budget_line(rest)
                if category is None:
                    total: dict[str, Any] = {"budget": amount} | ({"currency": currency} if currency else {})
                    before = {k: getattr(project, k) for k in total}
                    projects.update_settings(session, **common, values=total)
                    over = projects.budget_lines_over_total(session, project)
                    warn = project_views.lines_warning(over, project, lang=lang)
                    return project_views.set_text(before, project, lang=lang) + warn, True
                line = projects.set_budget_line(session, **common, category=category, amount=amount)
                warn = project_views.lines_warning(
                    projects.budget_lines_over_total(session, project), project, lang=lang
                )
                return project_views.budget_line_text(line, project, lang=lang) + warn, True
            if sub == "role":
                user, role = parse_role(rest)
                member = projects.set_role(session, **common, user_id=user, role=role)
                return project_views.role_text(member, project, lang=lang), True
            if sub == "rate":
                rate = parse_rate_command(rest, now=services.clock(), tz=project.timezone)
                row = rates.set_rate(
                    session,
                    **common,
                    subject_kind=rate.subject_kind,
                    subject=rate.subject,
                    amount=rate.amount,
                    unit=rate.unit,
                    effective_from=rate.effective_from,
                )
                return project_views.rate_text(row, project, lang=lang), True
            if sub == "fx":
                fx = parse_fx(rest, now=services.clock(), tz=project.timezone)
                row_fx = rates.set_fx(
                    session, **common, currency=fx.currency, rate=fx.rate, effective_from=fx.effective_from
                )
                return project_views.fx_text(row_fx, project, lang=lang), True
            kind = "crew" if sub == "crew" else "worker"
            spec = parse_people(rest, kind=kind)
            since = None
            if spec.rate_from is not None:
                since = parse_past_or_future_date(spec.rate_from, now=services.clock(), tz=project.timezone)
                if since is None:
                    raise SpecError("from", spec.rate_from)
            # A dated rate is added beside the others; an undated one is the crew's or worker's own.
            own_rate = spec.rate if since is None else None
            if kind == "crew":
                held: Any = projects.upsert_crew(
                    session, **common, name=spec.name, rate=own_rate, lead=spec.lead
                )
            else:
                held = projects.upsert_worker(
                    session, **common, name=spec.name, rate=own_rate, crew=spec.crew
                )
            if since is not None and spec.rate is not None:
                rates.set_rate(
                    session,
                    **common,
                    subject_kind=kind,
                    subject=str(held.id),
                    amount=spec.rate[0],
                    unit=spec.rate[1],
                    effective_from=since,
                )
                return project_views.rate_text(
                    rates.latest_row(session, project, kind, str(held.id)), project, lang=lang, name=spec.name
                ), True
            if kind == "crew":
                return project_views.crew_text(held, project, lang=lang), True
            return project_views.worker_text(held, spec.crew, project, lang=lang), True

        try:
            reply, public = as_user(services, client, who, work)
        except SpecError as exc:
            lang = seen["lang"]
            err = InvalidInput("project.bad_field", field=exc.field, value=exc.value)
            ack(response_type="ephemeral", text=refusal(lang, err, t(lang, "usage.project")))
            return
        except ForemanError as err:
            ack(response_type="ephemeral", text=refusal(seen["lang"], err))
            return
        ack(response_type="in_channel" if public else "ephemeral", text=reply)


def _create(
    services: Services, ack: Ack, client: WebClient, who: Who, body: dict[str, Any], rest: str, lang: str
) -> None:
    try:
        spec = parse_create(rest, now=services.clock(), tz="UTC")
    except SpecError as exc:
        err = InvalidInput("project.bad_field", field=exc.field, value=exc.value)
        ack(response_type="ephemeral", text=refusal(lang, err, t(lang, "usage.project_create")))
        return
    spec.values.setdefault("language", lang)
    if "timezone" not in spec.values:
        with services.unit_of_work() as session:
            user = profiles.profile(session, client, team_id=who.team_id, user_id=who.user_id)
            spec.values["timezone"] = user.timezone or "UTC"

    def create(session: Session, is_admin: bool) -> Any:
        if not _claim(session, who, body):
            return None
        return projects.create_project(
            session,
            team_id=who.team_id,
            channel_id=str(who.channel_id),
            user_id=who.user_id,
            spec=spec,
            now=services.clock(),
        )

    try:
        project = as_user(services, client, who, create)
    except ForemanError as err:
        ack(response_type="ephemeral", text=refusal(lang, err))
        return
    if project is None:
        ack(response_type="ephemeral", text=t(lang, "request.duplicate"))
        return
    ack(response_type="in_channel", text=project_views.created_text(project, who.user_id))


def open_project_form(services: Services, client: WebClient, who: Who, body: dict[str, Any]) -> None:
    """Open the create form when the channel has no project, else its settings form."""
    with services.unit_of_work() as session:
        project = projects.project_for_channel(session, team_id=who.team_id, channel_id=str(who.channel_id))
        lang = project.language if project is not None else "en"
        view = modals_records.project_modal(project, channel=str(who.channel_id), lang=lang)
    client.views_open(trigger_id=body["trigger_id"], view=view)
