"""Block Kit to terminal text, for the console."""

from __future__ import annotations

from typing import Any


def _text(obj: Any) -> str:
    if isinstance(obj, dict):
        return str(obj.get("text", ""))
    return str(obj or "")


def blocks_to_lines(
    blocks: list[dict[str, Any]], buttons: list[dict[str, Any]], *, context: dict[str, Any]
) -> list[str]:
    """Readable lines for blocks; buttons are numbered and remembered for `:click N`."""
    lines: list[str] = []
    for block in blocks or []:
        kind = block.get("type")
        if kind in ("section", "header"):
            if block.get("text"):
                lines.append(_text(block["text"]))
            for field in block.get("fields") or []:
                lines.append("  " + _text(field))
            accessory = block.get("accessory")
            if accessory and accessory.get("type") == "button":
                lines.append(_button(accessory, buttons, context))
        elif kind == "context":
            lines.append("  " + " ".join(_text(e) for e in block.get("elements", [])))
        elif kind == "divider":
            lines.append("  ────────")
        elif kind == "actions":
            row = [
                _button(e, buttons, context) for e in block.get("elements", []) if e.get("type") == "button"
            ]
            if row:
                lines.append("  " + "  ".join(row))
        elif kind == "image":
            lines.append(f"  [image: {block.get('alt_text', '')}]")
        elif kind == "input":
            lines.append(f"  [{_text(block.get('label'))}: …]")
    return lines


def _button(element: dict[str, Any], buttons: list[dict[str, Any]], context: dict[str, Any]) -> str:
    buttons.append({"action_id": element.get("action_id"), "value": element.get("value", "")} | context)
    return f"[{len(buttons)}] {_text(element.get('text'))}"
