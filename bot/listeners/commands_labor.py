"""/log-labor: labor for self, others, named workers and crews; clock in/out; list, edit, void, undo,
approve; no text opens the form."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.app import Services
from bot.listeners.common import (
    Who,
    as_user,
    local_today,
    open_record_form,
    refusal,
    text_lang,
    who_from_command,
)
from bot.parsing import parse
from bot.parsing.record_commands import (
    Period,
    RecordSyntaxError,
    entry_id,
    labor_changes,
    normalize_mentions,
    period,
    split_id,
    subcommand,
    week_request,
)
from bot.services import access, idempotency, labor, projects
from bot.services.errors import ForemanError, InvalidInput
from bot.views import labor_views, modals_records
from bot.views.catalog import t

_MENTION = re.compile(r"<@([UW][A-Z0-9]+)>")


def period_label(lang: str, p: Period) -> str:
    if p.kind in ("today", "week"):
        return t(lang, f"labor.period.{p.kind}")
    if p.kind == "day":
        return t(lang, "labor.period.day", date=p.start.isoformat())
    return t(lang, "records.period.range", start=p.start.isoformat(), end=p.end.isoformat())


def _claim(session: Session, who: Who, body: dict[str, Any]) -> bool:
    return idempotency.claim(session, team_id=who.team_id, key=f"cmd:{body.get('trigger_id')}")


def register(app: App, services: Services) -> None:
    @app.command("/log-labor")
    def log_labor_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        who = who_from_command(body)
        text = normalize_mentions((body.get("text") or "").strip())
        seen = {"lang": text_lang(text)}
        sub = subcommand(text)
        if sub is not None and sub.name == "help":
            ack(response_type="ephemeral", text=t(seen["lang"], "labor.help"))
            return

        def work(session: Session, is_admin: bool) -> tuple[str, bool]:
            project = projects.require_project(session, team_id=who.team_id, channel_id=str(who.channel_id))
            lang = seen["lang"] = text_lang(text, project.language)
            now = services.clock()
            today = local_today(services, project)
            common: dict[str, Any] = {"project": project, "actor": who.user_id, "is_admin": is_admin}
            if sub is not None and sub.name == "list":
                span = period(sub.rest, now=now, tz=project.timezone, default="week")
                role = access.role_of(session, project=project, user_id=who.user_id, is_admin=is_admin)
                mine = None if role in ("pm", "foreman") else who.user_id
                rows = labor.entries_between(
                    session, project=project, start=span.start, end=span.end, user_id=mine
                )
                label = period_label(lang, span)
                return labor_views.list_text(
                    session, project, rows, lang=lang, actor=who.user_id, period=label
                ), False
            if not _claim(session, who, body):
                return t(lang, "request.duplicate"), False
            if sub is not None and sub.name == "edit":
                number, rest = split_id(sub.rest, "L")
                changes = labor_changes(rest, now=now, tz=project.timezone)
                if "rate" in changes and changes["rate"] is not None:
                    changes["rate"] = labor.Rate(*changes["rate"])
                entry = labor.edit_entry(session, **common, entry_id=number, changes=changes, today=today)
                return labor_views.edited_text(session, entry, lang=lang, actor=who.user_id), False
            if sub is not None and sub.name == "void":
                entry = labor.void_entry(session, **common, entry_id=entry_id(sub.rest, "L"))
                return labor_views.voided_text([entry], lang=lang), False
            if sub is not None and sub.name == "undo":
                rows = labor.undo_last(session, **common)
                return labor_views.voided_text(rows, lang=lang), False
            if sub is not None and sub.name == "approve":
                monday, force = week_request(sub.rest, now=now, tz=project.timezone)
                count = labor.approve_week(session, **common, week_start=monday, today=today, force=force)
                return labor_views.approved_text(monday, count, lang=lang), True
            if sub is not None and sub.name == "reopen":
                monday, _ = week_request(sub.rest or "this", now=now, tz=project.timezone)
                count = labor.reopen_week(session, **common, week_start=monday)
                return t(lang, "labor.reopened", week=monday.isoformat(), count=count), True
            workers, crews = projects.known_names(session, project)
            mentioned = _MENTION.findall(text)
            result = parse(
                text,
                now=now,
                tz=project.timezone,
                currency=project.currency,
                command="/log-labor",
                standard_hours=float(project.hours_per_day),
                known_workers=workers,
                known_crews=crews,
            )
            if result.intent in ("clock_in", "clock_out"):
                # The parser reads no mentions in clock statements; a foreman names whom they clock.
                result = parse(_MENTION.sub(" ", text), now=now, tz=project.timezone, command="/log-labor")
            if result.error:
                raise InvalidInput("parse.error", message=result.error)
            if result.intent in ("clock_in", "clock_out") and result.clock is not None and result.clock.at:
                target = mentioned[0] if mentioned else None
                if result.intent == "clock_in":
                    shift = labor.clock_in(
                        session,
                        **common,
                        at=result.clock.at,
                        user_id=target,
                        slack_channel=who.channel_id,
                        now=now,
                    )
                    return labor_views.clock_in_text(project, shift, lang=lang, actor=who.user_id), False
                entry = labor.clock_out(
                    session,
                    **common,
                    at=result.clock.at,
                    user_id=target,
                    slack_channel=who.channel_id,
                    now=now,
                )
                return labor_views.clock_out_text(
                    session, project, entry, lang=lang, actor=who.user_id
                ), False
            if result.intent != "labor" or result.labor is None or result.date is None:
                raise InvalidInput("labor.not_understood")
            rows = labor.log_labor(
                session,
                **common,
                intent=result.labor,
                work_date=result.date,
                today=today,
                slack_channel=who.channel_id,
            )
            long = labor.long_days(session, project, rows)
            logged = labor_views.logged_text(session, project, rows, lang=lang, actor=who.user_id)
            return logged + labor_views.long_day_warnings(long, lang=lang), False

        if not text:
            problem = open_record_form(
                services,
                client,
                who,
                body["trigger_id"],
                lambda project, today: modals_records.labor_modal(
                    project, channel=str(who.channel_id), today=today
                ),
            )
            ack(response_type="ephemeral", text=problem) if problem else ack()
            return
        try:
            reply, public = as_user(services, client, who, work)
        except RecordSyntaxError as exc:
            lang = seen["lang"]
            err = InvalidInput("records.bad_field", field=exc.field, value=exc.value)
            usage = t(lang, "usage.labor_edit") if sub is not None else t(lang, "usage.log_labor")
            ack(response_type="ephemeral", text=refusal(lang, err, usage))
            return
        except ForemanError as err:
            lang = seen["lang"]
            hint = t(lang, "usage.log_labor") if isinstance(err, InvalidInput) else None
            ack(response_type="ephemeral", text=refusal(lang, err, hint))
            return
        ack(response_type="in_channel" if public else "ephemeral", text=reply)
