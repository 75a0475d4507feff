"""Replies about risks: registered, updated, closed, the register."""

from __future__ import annotations

from collections.abc import Sequence

from bot.services.risks import score
from bot.views.catalog import t
from bot.views.format import risk_id
from bot.views.mrkdwn import mention
from bot.views.rows import Project, Risk


def _params(risk: Risk, lang: str) -> dict[str, object]:
    return {
        "risk": risk_id(risk.number),
        "title": risk.title,
        "kind": t(lang, f"risk.kind.{risk.kind}"),
        "p": risk.probability,
        "i": risk.impact,
        "score": score(risk),
        "status": t(lang, f"risk.status.{risk.status}"),
        "owner": t(lang, "risk.owner_part", owner=mention(risk.owner_user_id)) if risk.owner_user_id else "",
        "mitigation": t(lang, "risk.mitigation_part", text=risk.mitigation) if risk.mitigation else "",
    }


def added_text(risk: Risk, *, lang: str) -> str:
    return t(lang, "risk.added", **_params(risk, lang))


def updated_text(risk: Risk, *, lang: str) -> str:
    if risk.status == "closed":
        return t(lang, "risk.closed", **_params(risk, lang))
    return t(lang, "risk.updated", **_params(risk, lang))


def list_text(project: Project, risks: Sequence[Risk], *, lang: str) -> str:
    """`/risk list`: open risks, highest score first."""
    if not risks:
        return t(lang, "risk.list_empty")
    lines = [t(lang, "risk.list_line", **_params(risk, lang)) for risk in risks]
    return t(lang, "risk.list_header", project=project.code, count=len(risks)) + "\n" + "\n".join(lines)
