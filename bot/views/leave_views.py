"""Leave (/ooo) replies, the digest's Away line and the "owner away" mark on nudges (pure)."""

from __future__ import annotations

from collections.abc import Iterable

from bot.services.leave import Away
from bot.views.catalog import t
from bot.views.format import day as fmt_day
from bot.views.format import day_count
from bot.views.mrkdwn import mention


def who(away: Away) -> str:
    """A person on leave as Slack shows them: a mention, or a named worker's name."""
    return mention(away.user_id) if away.user_id else (away.worker or "?")


def span(away: Away, lang: str) -> str:
    """The days of a leave: one day, or first – last."""
    if away.first == away.last:
        return fmt_day(away.first, lang)
    return t(lang, "ooo.span", first=fmt_day(away.first, lang), last=fmt_day(away.last, lang))


def added_text(away: Away, lang: str) -> str:
    reason = t(lang, "ooo.reason", reason=away.reason) if away.reason else ""
    return (
        t(
            lang,
            "ooo.added",
            who=who(away),
            span=span(away, lang),
            days=day_count((away.last - away.first).days + 1, lang),
        )
        + reason
    )


def cancelled_text(away: Away, lang: str) -> str:
    return t(lang, "ooo.cancelled", who=who(away), span=span(away, lang))


def list_text(leaves: list[Away], lang: str) -> str:
    if not leaves:
        return t(lang, "ooo.list_empty")
    lines = [t(lang, "ooo.list_header", n=len(leaves))]
    for x in leaves:
        reason = t(lang, "ooo.reason", reason=x.reason) if x.reason else ""
        lines.append(f"• {who(x)}: {span(x, lang)}{reason}")
    return "\n".join(lines)


def away_line(away: Iterable[Away], lang: str) -> str:
    """The digest's Away line: who is on leave today and until when."""
    people = ", ".join(t(lang, "ooo.digest_person", who=who(x), last=x.last.isoformat()) for x in away)
    return t(lang, "ooo.digest_away", people=people)


def owner_away_prefix(owner: str, lang: str) -> str:
    """The mark on a nudge sent to the pm because its owner is on leave."""
    return t(lang, "ooo.owner_away", owner=mention(owner))
