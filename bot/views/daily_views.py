"""The daily construction log as Slack blocks, plain-text sections (for PDF and XLSX), the Edit form and
the App Home lines; pure functions of the log's data."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.views.catalog import t
from bot.views.format import day as fmt_day
from bot.views.format import hours, money, people_count
from bot.views.mrkdwn import mention

if TYPE_CHECKING:
    from bot.services.daily_log import DailyLogData, Person

Blocks = list[dict[str, Any]]
CONFIRM_ACTION = "daily_confirm"
EDIT_ACTION = "daily_edit"
EDIT_CALLBACK = "daily_edit_form"
FORM_SECTIONS = ("weather", "safety", "quality", "visit", "delivery", "note")
# Section order of the common 施工日志 layout.
ORDER = (
    "weather",
    "manpower",
    "work",
    "materials",
    "safety",
    "quality",
    "visit",
    "problems",
    "photos",
    "note",
)


def _plain(text: str) -> str:
    return text


def button_value(project_id: int, day: date) -> str:
    return f"{project_id}|{day.isoformat()}"


def read_button_value(value: str) -> tuple[int, date] | None:
    """(project id, day) from a Confirm/Edit button or form metadata, None when it is not ours."""
    pid, _, raw = value.partition("|")
    try:
        return int(pid), date.fromisoformat(raw)
    except ValueError:
        return None


def _person(person: Person, data: DailyLogData, slack: bool) -> str:
    if person.user_id:
        return mention(person.user_id) if slack else data.names.get(person.user_id, person.user_id)
    return person.name or ""


def _user(user_id: str, data: DailyLogData, slack: bool) -> str:
    return mention(user_id) if slack else data.names.get(user_id, user_id)


def _lines(data: DailyLogData, lang: str, *, slack: bool, late: bool) -> dict[str, list[str]]:
    """Each section's lines (of the confirmed log, or of its addendum when `late`)."""
    # User text is escaped once, on the way out (bot/views/mrkdwn.py).
    esc: Callable[[str], str] = _plain

    def fmt(msg: str, **params: Any) -> str:
        text = t(lang, msg, **params)
        return text if slack else text.replace("`", "")

    out: dict[str, list[str]] = {name: [] for name in ORDER}
    out["weather"] = [fmt("daily.line", text=esc(x.text)) for x in data.section("weather", late=late)]
    crews = [c for c in data.crews if c.late == late]
    people = [p for p in data.people if p.late == late]
    if not late and (crews or people):
        out["manpower"].append(
            fmt(
                "daily.manpower_total",
                people=people_count(data.headcount, lang),
                man_hours=hours(data.man_hours),
            )
        )
    for c in crews:
        name = esc(c.name) if c.name else t(lang, "daily.crew_unnamed")
        out["manpower"].append(
            fmt("daily.crew", name=name, people=people_count(c.headcount, lang), man_hours=hours(c.man_hours))
        )
    for p in people:
        crew = f" ({esc(p.crew)})" if p.crew and lang != "zh" else f"（{esc(p.crew)}）" if p.crew else ""
        out["manpower"].append(
            fmt("daily.person", name=_person(p.person, data, slack), crew=crew, man_hours=hours(p.man_hours))
        )
    for w in (w for w in data.work if w.late == late):
        before = w.before if w.before is not None else 0
        msg = "daily.work_done" if w.completed else "daily.work_progress"
        out["work"].append(fmt(msg, tkey=w.key, title=esc(w.title), before=before, after=w.after or 0))
    for s in (s for s in data.spend if s.late == late):
        desc = " · ".join(esc(x) for x in (s.vendor, s.note) if x)
        out["materials"].append(
            fmt(
                "daily.spend",
                ref=s.ref,
                amount=money(s.amount, s.currency),
                category=t(lang, f"expense.cat.{s.category}"),
                desc=f" — {desc}" if desc else "",
            )
        )
    out["materials"].extend(
        fmt("daily.delivery", text=esc(x.text)) for x in data.section("delivery", late=late)
    )
    for name in ("safety", "quality", "visit", "note"):
        out[name] = [fmt("daily.line", text=esc(x.text)) for x in data.section(name, late=late)]
    for pr in (p for p in data.problems if p.late == late):
        msg = "daily.blocker" if pr.kind == "blocker" else "daily.risk"
        sep = "：" if lang == "zh" else ": "
        text = f"{pr.text}{sep}{pr.detail}" if pr.detail else pr.text
        out["problems"].append(fmt(msg, ref=pr.ref, text=esc(text)))
    for ph in (p for p in data.photos if p.late == late):
        caption = esc(ph.caption) if ph.caption else t(lang, "daily.photo_no_caption")
        out["photos"].append(fmt("daily.photo", name=esc(ph.name), caption=caption))
    if not slack:
        out = {k: [line.removeprefix("• ") for line in v] for k, v in out.items()}
    return out


def section_title(name: str, lang: str) -> str:
    return t(lang, f"daily.sec.{name}")


def sections(data: DailyLogData, lang: str, *, slack: bool = False) -> list[tuple[str, list[str]]]:
    """(title, lines) per section in the 施工日志 order; empty sections have no lines."""
    lines = _lines(data, lang, slack=slack, late=False)
    return [(section_title(name, lang), lines[name]) for name in ORDER]


def addendum(data: DailyLogData, lang: str, *, slack: bool = False) -> list[str]:
    """What was recorded after confirmation, each line prefixed with its section."""
    lines = _lines(data, lang, slack=slack, late=True)
    return [
        f"{section_title(name, lang)}: {line}" if lang != "zh" else f"{section_title(name, lang)}：{line}"
        for name in ORDER
        for line in lines[name]
    ]


def _at(instant: datetime | None, tz: str) -> str:
    return instant.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M") if instant else ""


def signoff(data: DailyLogData, lang: str, *, slack: bool = False) -> tuple[str, str]:
    """The recorded-by and confirmed-by lines."""
    users = ", ".join(_user(u, data, slack) for u in data.recorded_by) or t(lang, "daily.none")
    recorded = t(lang, "daily.recorded_by", users=users)
    if data.confirmed and data.confirmed_by:
        who = _user(data.confirmed_by, data, slack)
        confirmed = t(lang, "daily.confirmed_by", user=f"{who} {_at(data.confirmed_at, data.timezone)}")
    else:
        confirmed = t(lang, "daily.not_confirmed")
    return recorded, confirmed


def status_name(status: str, lang: str) -> str:
    return t(lang, f"daily.status.{status}")


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:3000]}]}


def log_message(data: DailyLogData, lang: str, *, buttons: bool = True) -> tuple[str, Blocks]:
    """The channel post (and the /daily reply) of a day's log, with Confirm and Edit while it is a draft."""
    title = t(lang, "daily.title", name=data.name, code=data.code, day=fmt_day(data.day, lang))
    blocks: Blocks = [_section(title)]
    if data.confirmed and data.confirmed_by:
        status = t(
            lang,
            "daily.confirmed_line",
            user=mention(data.confirmed_by),
            at=_at(data.confirmed_at, data.timezone),
        )
    else:
        status = t(lang, "daily.status_line", status=status_name(data.status, lang))
    blocks.append(_context(status))
    text_lines = [title]
    for name, lines in sections(data, lang, slack=True):
        body = "\n".join(lines) if lines else t(lang, "daily.none")
        blocks.append(_section(f"*{name}*\n{body}"))
        text_lines.append(f"{name}: {' / '.join(lines) or t(lang, 'daily.none')}")
    late = addendum(data, lang, slack=True)
    if late:
        body = "\n".join(f"• {line.replace('• ', '')}" for line in late)
        blocks.append(_section(f"*{t(lang, 'daily.sec.addendum')}*\n{body}"))
        text_lines.append(t(lang, "daily.sec.addendum"))
    recorded, confirmed = signoff(data, lang, slack=True)
    blocks.append(_context(f"{recorded}\n{confirmed}"))
    if buttons:
        value = button_value(data.project_id, data.day)
        elements: list[dict[str, Any]] = []
        if not data.confirmed:
            elements.append(
                {
                    "type": "button",
                    "action_id": CONFIRM_ACTION,
                    "style": "primary",
                    "text": {"type": "plain_text", "text": t(lang, "daily.confirm")},
                    "value": value,
                }
            )
        elements.append(
            {
                "type": "button",
                "action_id": EDIT_ACTION,
                "text": {"type": "plain_text", "text": t(lang, "daily.edit")},
                "value": value,
            }
        )
        blocks.append({"type": "actions", "block_id": f"daily_{value}", "elements": elements})
    return "\n".join(text_lines)[:3000], blocks[:50]


def edit_modal(data: DailyLogData, lang: str, *, channel: str) -> dict[str, Any]:
    """The Edit form: one multi-line input per free-text section, filled with its current lines; the
    metadata names the log (project and day), the project's channel and the form's language."""
    blocks: Blocks = [_context(t(lang, "daily.form.hint"))]
    for name in FORM_SECTIONS:
        current = "\n".join(x.text for x in data.lines if x.section == name)
        element: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "multiline": True}
        if current:
            element["initial_value"] = current[:3000]
        blocks.append(
            {
                "type": "input",
                "block_id": f"daily_{name}",
                "optional": True,
                "label": {"type": "plain_text", "text": t(lang, f"daily.sec.{name}")},
                "element": element,
            }
        )
    return {
        "type": "modal",
        "callback_id": EDIT_CALLBACK,
        "private_metadata": json.dumps(
            {"value": button_value(data.project_id, data.day), "c": channel, "l": lang}
        ),
        "title": {"type": "plain_text", "text": t(lang, "daily.form.title", day=data.day.strftime("%m-%d"))},
        "submit": {"type": "plain_text", "text": t(lang, "daily.form.submit")},
        "blocks": blocks,
    }


def form_texts(values: dict[str, Any]) -> dict[str, str]:
    """The section texts a submitted Edit form holds (its values by block id; a cleared input is empty)."""
    return {name: str(values.get(f"daily_{name}") or "") for name in FORM_SECTIONS}


def home_block(rows: list[tuple[str, list[tuple[date, str]]]], lang: str) -> list[dict[str, Any]]:
    """App Home: each project's logs of the last 7 days with their status."""
    lines = [t(lang, "daily.home.title")]
    for code, days in rows:
        listed = ", ".join(f"{d.strftime('%m-%d')} {status_name(s, lang)}" for d, s in days)
        lines.append(t(lang, "daily.home.line", code=code, days=listed or t(lang, "daily.home.none")))
    return [_section("\n".join(lines))]


def add_to_home(view: dict[str, Any], rows: list[tuple[str, list[tuple[date, str]]]], lang: str) -> None:
    """Put the daily-log lines into a Home view, before its closing "updated" line (100 blocks at most)."""
    if not rows:
        return
    blocks = view["blocks"]
    at = len(blocks) - 1 if blocks and blocks[-1].get("type") == "context" else len(blocks)
    view["blocks"] = [*blocks[:at], {"type": "divider"}, *home_block(rows, lang), *blocks[at:]][:100]
