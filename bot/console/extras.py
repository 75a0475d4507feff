"""Console helpers: `@name` mentions of named console users, and saving Foreman's uploads to disk."""

from __future__ import annotations

import re
from pathlib import Path

from bot.console.fake_slack import FakeSlack

FILES_DIR = Path("foreman-files")
_AT_RE = re.compile(r"(?<![\w<@|])@([\w\u4e00-\u9fff.\-]+)")
_SAFE_RE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def mentions(text: str, names: dict[str, str], *, command: bool) -> str:
    """`@ana` → a Slack mention of the console user named ana (as Slack escapes it in commands: `<@U2|ana>`,
    in messages: `<@U2>`); unknown names stay as typed."""

    def swap(m: re.Match[str]) -> str:
        name = m.group(1).rstrip(".")
        user = names.get(name.lower())
        if user is None:
            return m.group(0)
        tail = m.group(1)[len(name) :]
        return (f"<@{user}|{name}>" if command else f"<@{user}>") + tail

    return _AT_RE.sub(swap, text)


def save_uploads(fake: FakeSlack, file_ids: list[str], folder: Path = FILES_DIR) -> list[Path]:
    """Write the uploaded files' bytes under `folder` (never overwriting an earlier file); their paths."""
    names = {
        str(c.response.get("file_id")): str(c.args.get("filename") or c.response.get("file_id"))
        for c in fake.calls_to("files.getUploadURLExternal")
    }
    saved = []
    for file_id in file_ids:
        data = fake.uploads.get(file_id)
        if data is None:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        name = _SAFE_RE.sub("_", names.get(file_id, file_id)).strip("._") or file_id
        path = folder / name
        stem, suffix, n = path.stem, path.suffix, 2
        while path.exists():
            path = folder / f"{stem}-{n}{suffix}"
            n += 1
        path.write_bytes(data)
        saved.append(path)
    return saved
