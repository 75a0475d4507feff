"""Plain-text replies to commands and messages."""

from __future__ import annotations

from bot.services.errors import ForemanError, PermissionDenied
from bot.views.catalog import t
from bot.views.project_views import role_name

_FIELDS_ZH = {
    "hours": "工时", "overtime": "加班", "date": "日期", "amount": "金额", "currency": "币种", "name": "名称",
    "user": "成员", "role": "角色", "period": "时段", "text": "内容", "task": "任务", "rate": "单价",
    "headcount": "人数", "category": "类别", "vendor": "供应商", "receipt": "票据", "note": "备注",
    "budget": "预算", "lead": "组长", "crew": "班组", "from": "起始日期", "due": "截止日期", "weight": "权重",
    "owner": "负责人", "title": "标题", "status": "状态", "progress": "进度", "probability": "概率",
    "impact": "影响", "worker": "工人", "time": "时间", "month": "月份",
}  # fmt: skip


def error_text(lang: str, err: ForemanError, usage: str | None = None) -> str:
    """A refusal in the user's language, with a usage example when given."""
    params = dict(err.params)
    if isinstance(err, PermissionDenied):
        # Roles travel as their codes (`foreman / tech`); the reader sees them in their language (班组长).
        params["role"] = " / ".join(role_name(r, lang) for r in str(params.get("role", "pm")).split(" / "))
        params["have"] = role_name(str(params.get("have", "member")), lang)
    if lang == "zh" and "field" in params:
        # Fields travel as their codes (`hours`); a Chinese reply names them in Chinese (工时).
        params["field"] = _FIELDS_ZH.get(str(params["field"]), params["field"])
    try:
        text = t(lang, err.key, **params)
    except KeyError:
        text = t(lang, "error.generic")
    if usage:
        text += "\n" + t(lang, "usage.prefix") + " " + usage
    return text
