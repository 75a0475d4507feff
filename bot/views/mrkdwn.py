"""The one layer where Foreman's text meets Slack: escaping user text and Slack's Block Kit limits.

Views work with raw strings. Markup Foreman means (a mention of a user it names, `<@U…>` in a catalog
template) is written with private-use placeholders instead of `<` and `>`; on the way out (`outgoing`,
applied to every Web API call, ack and response by bot/listeners/safety.py and the scheduler's client)
everything else is escaped (`&`, `<`, `>`), so a task titled `<!channel>` is shown, never obeyed. The
same pass truncates, visibly, whatever would break one of Slack's Block Kit limits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

OPEN = "\ue000"
CLOSE = "\ue001"
# Only these may become markup: a user, user group or channel Foreman itself named.
_MEANT = re.compile(OPEN + r"([@#][UWC][A-Z0-9]+|!subteam\^[A-Z0-9]+)" + CLOSE)
_BARE_AMP = re.compile(r"&(?!(?:amp|lt|gt);)")
ELLIPSIS = "…"

MAX_BLOCKS = {"message": 50, "modal": 100, "home": 100}
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_VALUE = 2000
MAX_TEXT = 40000
MAX_CONTEXT_ELEMENT = 3000
MAX_PLAIN_LABEL = 2000


def mention(user_id: str) -> str:
    """A mention Foreman means (rendered as `<@U…>` on the way out)."""
    return f"{OPEN}@{user_id}{CLOSE}"


def channel_link(channel_id: str) -> str:
    """A channel link Foreman means (rendered as `<#C…>` on the way out)."""
    return f"{OPEN}#{channel_id}{CLOSE}"


def template(text: str) -> str:
    """A trusted catalog template: its `<…>` markup becomes placeholders that survive escaping."""
    return text.replace("<", OPEN).replace(">", CLOSE)


def escape(text: str) -> str:
    """Slack's mrkdwn escaping of `&`, `<`, `>`; idempotent, so text escaped once is never doubled."""
    return _BARE_AMP.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")


def to_mrkdwn(text: str) -> str:
    """Text as Slack reads it: everything escaped except the markup Foreman meant."""
    safe = escape(text)
    safe = _MEANT.sub(lambda m: f"<{m.group(1)}>", safe)
    return safe.replace(OPEN, "&lt;").replace(CLOSE, "&gt;")


def to_plain(text: str) -> str:
    """Text for a plain_text field (never parsed for mentions): placeholders become the visible form."""
    return _MEANT.sub(lambda m: m.group(1), text).replace(OPEN, "<").replace(CLOSE, ">")


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, the cut shown with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


# --- Block Kit: escape by field type, truncate to Slack's limits -------------------------------------


def _text_obj(obj: dict[str, Any], limit: int) -> dict[str, Any]:
    out = dict(obj)
    raw = str(obj.get("text", ""))
    if obj.get("type") == "mrkdwn":
        out["text"] = _clip_mrkdwn(to_mrkdwn(raw), limit)
    else:
        out["text"] = clip(to_plain(raw), limit)
    return out


def _clip_mrkdwn(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    # Never leave half an entity or half a mention behind.
    amp, lt = cut.rfind("&"), cut.rfind("<")
    if amp > cut.rfind(";"):
        cut = cut[:amp]
    if lt > cut.rfind(">"):
        cut = cut[:lt]
    return cut + ELLIPSIS


def _element(el: dict[str, Any], ids: set[str]) -> dict[str, Any]:
    out = dict(el)
    if "text" in el and isinstance(el["text"], dict):
        limit = MAX_BUTTON_TEXT if el.get("type") == "button" else MAX_PLAIN_LABEL
        out["text"] = _text_obj(el["text"], limit)
    elif el.get("type") in ("mrkdwn", "plain_text"):
        out = _text_obj(el, MAX_CONTEXT_ELEMENT)
    if isinstance(el.get("value"), str):
        out["value"] = el["value"][:MAX_VALUE]
    if "placeholder" in el and isinstance(el["placeholder"], dict):
        out["placeholder"] = _text_obj(el["placeholder"], 150)
    for key in ("options", "initial_option"):
        if isinstance(el.get(key), list):
            out[key] = [_option(o) for o in el[key]]
        elif isinstance(el.get(key), dict):
            out[key] = _option(el[key])
    action_id = el.get("action_id")
    if isinstance(action_id, str):
        unique, n = action_id[:255], 2
        while unique in ids:
            unique, n = f"{action_id[:250]}:{n}", n + 1
        ids.add(unique)
        out["action_id"] = unique
    return out


def _option(option: dict[str, Any]) -> dict[str, Any]:
    out = dict(option)
    if isinstance(option.get("text"), dict):
        out["text"] = _text_obj(option["text"], 75)
    if isinstance(option.get("value"), str):
        out["value"] = option["value"][:150]
    return out


def _block(block: dict[str, Any], ids: set[str]) -> dict[str, Any]:
    out = dict(block)
    kind = block.get("type")
    if isinstance(block.get("text"), dict):
        limit = MAX_HEADER if kind == "header" else MAX_SECTION
        out["text"] = _text_obj(block["text"], limit)
    if isinstance(block.get("fields"), list):
        out["fields"] = [_text_obj(f, 2000) for f in block["fields"][:10]]
    if isinstance(block.get("label"), dict):
        out["label"] = _text_obj(block["label"], MAX_PLAIN_LABEL)
    if isinstance(block.get("hint"), dict):
        out["hint"] = _text_obj(block["hint"], MAX_PLAIN_LABEL)
    if isinstance(block.get("elements"), list):
        limit = 10 if kind == "context" else 25
        out["elements"] = [_element(e, ids) for e in block["elements"][:limit]]
    if isinstance(block.get("accessory"), dict):
        out["accessory"] = _element(block["accessory"], ids)
    if isinstance(block.get("element"), dict):
        out["element"] = _element(block["element"], ids)
    return out


def blocks(items: list[dict[str, Any]], surface: str = "message") -> list[dict[str, Any]]:
    """Blocks ready for Slack: escaped, within every limit; a cut list ends with a visible note."""
    limit = MAX_BLOCKS[surface]
    kept = items if len(items) <= limit else items[: limit - 1]
    out = [_block(b, set()) for b in kept]  # action ids are unique within their block
    if len(items) > limit:
        note = f"{ELLIPSIS} +{len(items) - len(kept)}"
        out.append({"type": "context", "elements": [{"type": "mrkdwn", "text": note}]})
    return out


def view(payload: dict[str, Any]) -> dict[str, Any]:
    """A modal or Home view ready for Slack."""
    out = dict(payload)
    surface = "home" if payload.get("type") == "home" else "modal"
    for key in ("title", "submit", "close"):
        if isinstance(payload.get(key), dict):
            out[key] = _text_obj(payload[key], 24)
    if isinstance(payload.get("blocks"), list):
        out["blocks"] = blocks(payload["blocks"], surface)
    if isinstance(payload.get("private_metadata"), str):
        out["private_metadata"] = payload["private_metadata"][:3000]
    return out


def _json_or(value: Any, change: Callable[[Any], Any]) -> Any:
    if isinstance(value, str):
        try:
            return json.dumps(change(json.loads(value)), ensure_ascii=False)
        except ValueError:
            return value
    return change(value)


def outgoing(args: dict[str, Any]) -> dict[str, Any]:
    """The arguments of one Web API call, ack or response, made safe to send."""
    out = dict(args)
    for key in ("text", "initial_comment"):
        if isinstance(args.get(key), str):
            out[key] = _clip_mrkdwn(to_mrkdwn(args[key]), MAX_TEXT)
    if args.get("blocks") is not None:
        out["blocks"] = _json_or(args["blocks"], lambda b: blocks(list(b)))
    if args.get("view") is not None:
        out["view"] = _json_or(args["view"], view)
    if isinstance(args.get("errors"), dict):
        out["errors"] = {k: to_plain(str(v)) for k, v in args["errors"].items()}
    if isinstance(args.get("file_uploads"), list):
        out["file_uploads"] = [
            {**f, "title": to_plain(str(f["title"]))} if f.get("title") else f for f in args["file_uploads"]
        ]
    if isinstance(args.get("title"), str):
        out["title"] = to_plain(args["title"])
    return out


# --- What Slack refuses (the test FakeSlack answers invalid_blocks for these) -----------------------


def problems(method: str, args: dict[str, Any]) -> list[str]:
    """Why Slack would refuse these blocks or this view (empty when it would accept them)."""
    found: list[str] = []
    raw_blocks = args.get("blocks")
    surface = "message"
    if args.get("view") is not None and method.startswith("views."):
        v = args["view"]
        v = json.loads(v) if isinstance(v, str) else v
        raw_blocks = v.get("blocks") or []
        surface = "home" if v.get("type") == "home" else "modal"
        for key in ("title", "submit", "close"):
            if isinstance(v.get(key), dict) and len(str(v[key].get("text", ""))) > 24:
                found.append(f"view {key} longer than 24")
    if raw_blocks is None:
        return found
    items = json.loads(raw_blocks) if isinstance(raw_blocks, str) else raw_blocks
    if len(items) > MAX_BLOCKS[surface]:
        found.append(f"{len(items)} blocks (max {MAX_BLOCKS[surface]})")
    for i, block in enumerate(items):
        ids: set[str] = set()
        where = f"block {i} ({block.get('type')})"
        text = block.get("text") if isinstance(block.get("text"), dict) else None
        if text is not None:
            limit = MAX_HEADER if block.get("type") == "header" else MAX_SECTION
            if len(str(text.get("text", ""))) > limit:
                found.append(f"{where}: text longer than {limit}")
            if block.get("type") == "header" and text.get("type") != "plain_text":
                found.append(f"{where}: header text must be plain_text")
        if block.get("type") == "section" and text is not None and not str(text.get("text", "")):
            found.append(f"{where}: empty text")
        elements = list(block.get("elements") or [])
        elements += [block[k] for k in ("accessory", "element") if isinstance(block.get(k), dict)]
        for el in elements:
            if el.get("type") == "button":
                if len(str((el.get("text") or {}).get("text", ""))) > MAX_BUTTON_TEXT:
                    found.append(f"{where}: button text longer than {MAX_BUTTON_TEXT}")
                if len(str(el.get("value", ""))) > MAX_VALUE:
                    found.append(f"{where}: button value longer than {MAX_VALUE}")
            if block.get("type") == "context" and len(str(el.get("text", ""))) > MAX_CONTEXT_ELEMENT:
                found.append(f"{where}: context element longer than {MAX_CONTEXT_ELEMENT}")
            action_id = el.get("action_id")
            if action_id is not None:
                if action_id in ids:
                    found.append(f"{where}: duplicate action_id {action_id!r}")
                ids.add(action_id)
    return found
