"""Strings of the request edge: outages and private direct messages."""

EN = {
    "outage.command": (
        ":warning: Foreman can't reach its database right now — nothing was stored. Please try again in a minute."
    ),
    "outage.action": ":warning: Foreman can't reach its database right now — nothing was changed. Please try again.",
    "dm.help": (
        "I only read direct messages that answer today's standup prompt (reply to it, or answer here on the day "
        "it was sent); those answers appear in your project's channel digest. Nothing else you send here is "
        "stored or shown to anyone. To log work, use `/log-labor`, `/expense` or `/task` in the project's channel."
    ),
}

ZH = {
    "outage.command": ":warning: Foreman 暂时无法连接数据库——未保存任何内容。请稍后重试。",
    "outage.action": ":warning: Foreman 暂时无法连接数据库——未做任何更改。请重试。",
    "dm.help": (
        "我只读取回答当天站会提示的私信（回复提示，或在提示发出当天在这里回答）；这些回答会出现在项目频道的站会摘要中。"
        "你在这里发送的其他内容不会被保存，也不会展示给任何人。记录工作请在项目频道使用 `/log-labor`、`/expense` 或 `/task`。"
    ),
}
