"""Grammar of `/risk`: add, list, close, update and help (pure).

Levels: a number 1-5, or low/低 = 2, medium/中 = 3, high/高 = 4 (5 stays for "critical"/"极高").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.parsing.common import normalize
from bot.parsing.numbers import spaced, to_simplified

_I = re.IGNORECASE
_QUOTED_RE = re.compile(r"[\"“”「『](.+?)[\"“”」』]")
_MITIGATION_RE = re.compile(r"(?:^|\s)(?:--|——|—)\s*(.*)$", re.DOTALL)
_KEY_RE = re.compile(r"^R-?(\d{1,6})$", _I)
_MENTION_RE = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
LEVELS = {
    "1": 1, "2": 2, "3": 3, "4": 4, "5": 5,
    "very low": 1, "low": 2, "medium": 3, "med": 3, "high": 4, "very high": 5, "critical": 5,
    "极低": 1, "低": 2, "中": 3, "中等": 3, "高": 4, "极高": 5,
}  # fmt: skip
KINDS = {"tech": "tech", "technical": "tech", "技术": "tech", "management": "management", "mgmt": "management",
         "管理": "management"}  # fmt: skip
STATUSES = {
    "open": "open", "打开": "open", "开放": "open", "重新打开": "open",
    "mitigating": "mitigating", "缓解中": "mitigating", "处理中": "mitigating",
    "accepted": "accepted", "接受": "accepted", "已接受": "accepted",
    "closed": "closed", "close": "closed", "关闭": "closed", "已关闭": "closed",
}  # fmt: skip
_FIELD_WORDS = {
    "p": "probability", "prob": "probability", "probability": "probability", "概率": "probability",
    "机率": "probability",  # 機率, as Taiwan says it
    "可能性": "probability", "i": "impact", "impact": "impact", "影响": "impact",
    "owner": "owner", "负责人": "owner", "status": "status", "状态": "status",
}  # fmt: skip
_ADD_WORDS = {"add", "new", "create", "添加", "新建", "新增", "登记"}
_LIST_WORDS = {"list", "ls", "列表", "查看", "清单"}
_CLOSE_WORDS = {"close", "关闭"}
_UPDATE_WORDS = {"update", "set", "edit", "更新", "修改"}
_HELP_WORDS = {"help", "帮助", "?", "？"}
# The sub-command each leading word names, for the router.
WORDS = {
    **dict.fromkeys(_ADD_WORDS, "add"),
    **dict.fromkeys(_LIST_WORDS, "list"),
    **dict.fromkeys(_CLOSE_WORDS, "close"),
    **dict.fromkeys(_UPDATE_WORDS, "update"),
    **dict.fromkeys(_HELP_WORDS, "help"),
}
# Chinese field words may be glued to their value ("概率高"); split them off first.
_GLUED_RE = re.compile(r"(概率|机率|可能性|影响|负责人|状态)(?=\S)")


class RiskCommandError(ValueError):
    """Risk text that cannot be completed; `key` names a catalog string."""

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{key} {params}")


@dataclass
class RiskCommand:
    """One `/risk` subcommand: add | list | close | update | help."""

    action: str
    number: int | None = None
    values: dict[str, object] = field(default_factory=dict)


def level(raw: str) -> int | None:
    """A probability or impact level 1-5 from a number or a word."""
    return LEVELS.get(raw.strip().lower())


def _number(raw: str) -> int:
    m = _KEY_RE.match(raw.strip())
    if m is None:
        raise RiskCommandError("risk.no_key")
    return int(m.group(1))


def _fields(text: str, *, allow_title: bool) -> dict[str, object]:
    """Read fields (kind, p, i, owner, status, -- mitigation, and for add an unquoted title)."""
    values: dict[str, object] = {}
    m = _MITIGATION_RE.search(text)
    if m is not None:
        mitigation = m.group(1).strip()
        if mitigation:
            values["mitigation"] = mitigation
        text = text[: m.start()]
    quoted = _QUOTED_RE.search(text)
    if quoted is not None:
        if not allow_title:
            raise RiskCommandError("risk.bad_field", value=quoted.group(0))
        values["title"] = quoted.group(1).strip()
        text = text[: quoted.start()] + " " + text[quoted.end() :]
    tokens = spaced(_GLUED_RE, text).split()
    leftover: list[str] = []
    i = 0
    while i < len(tokens):
        word = to_simplified(tokens[i].lower().rstrip(":："))  # 機率, 影響, 負責人, 技術: the same words
        if word in KINDS:
            values["kind"] = KINDS[word]
            i += 1
            continue
        name = _FIELD_WORDS.get(word)
        if name is None:
            leftover.append(tokens[i])
            i += 1
            continue
        if i + 1 >= len(tokens):
            raise RiskCommandError("risk.bad_field", value=tokens[i])
        typed = tokens[i]  # the field's word as the user wrote it (影响, impact), for the refusal
        raw = tokens[i + 1]
        # Two-word levels: "very high".
        if raw.lower() == "very" and i + 2 < len(tokens):
            raw = f"very {tokens[i + 2]}"
            i += 1
        i += 2
        if name in ("probability", "impact"):
            found = level(to_simplified(raw))
            if found is None:
                raise RiskCommandError("risk.bad_level", field=typed, value=raw)
            values[name] = found
        elif name == "owner":
            mention = _MENTION_RE.match(raw)
            if mention is None:
                raise RiskCommandError("risk.bad_owner", value=raw)
            values["owner"] = mention.group(1)
        else:
            status = STATUSES.get(raw.lower())
            if status is None:
                raise RiskCommandError("risk.bad_status", value=raw)
            values["status"] = status
    if leftover:
        if not allow_title or "title" in values:
            raise RiskCommandError("risk.bad_field", value=" ".join(leftover))
        values["title"] = " ".join(leftover)
    return values


def parse_risk_command(text: str) -> RiskCommand:
    """Read `/risk` text into a command, or raise RiskCommandError."""
    clean = normalize(text)
    word, _, rest = clean.partition(" ")
    lowered = word.lower()
    if not clean or lowered in _HELP_WORDS:
        return RiskCommand("help")
    if lowered in _LIST_WORDS:
        return RiskCommand("list")
    if lowered in _ADD_WORDS:
        values = _fields(rest, allow_title=True)
        title = str(values.get("title") or "")
        if not title:
            raise RiskCommandError("risk.no_title")
        if len(title) > 300:
            raise RiskCommandError("risk.long_title")
        return RiskCommand("add", values=values)
    if lowered in _CLOSE_WORDS:
        key, _, extra = rest.strip().partition(" ")
        values = _fields(extra, allow_title=False) if extra.strip() else {}
        return RiskCommand("close", number=_number(key), values=values)
    if lowered in _UPDATE_WORDS:
        key, _, extra = rest.strip().partition(" ")
        values = _fields(extra, allow_title=False)
        if not values:
            raise RiskCommandError("risk.no_change", risk=f"R-{_number(key)}")
        return RiskCommand("update", number=_number(key), values=values)
    raise RiskCommandError("risk.unknown_command", value=word)
