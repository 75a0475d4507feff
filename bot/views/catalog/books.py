"""Messages about the books (issue 11): rates, exchange rates, currencies, budget lines, limits."""

EN = {
    "project.field.overtime_after": "overtime after (hours a day)",
    "books.rate_ok": ":moneybag: Rate for {who}: {amount}/{unit} {since}. Costs already stored are not changed.",
    "books.since_always": "for every date",
    "books.since": "from {date}",
    "books.role_default": "role *{role}* (default)",
    "books.fx_ok": ":currency_exchange: 1 {currency} = {rate} {project_currency} {since}.",
    "books.fx_same": "{currency} is the project's own currency; no exchange rate is needed.",
    "books.currency_locked": (
        "The project's currency is {currency} and records already exist, so it cannot change to {new}. "
        "Record amounts in {new} as they are and set `/project fx {new} <rate>` to count them."
    ),
    "books.lines_over_total": (
        ":warning: Budget lines add up to {lines}, more than the total budget {total} (by {over})."
    ),
    "books.not_counted": "{count} items in {currency} are not counted — set `/project fx {currency} <rate>`.",
    "books.converted": "{amount} (= {converted})",
}

ZH = {
    "project.field.overtime_after": "加班起算（每日小时）",
    "books.rate_ok": ":moneybag: {who} 的单价：{amount}/{unit}，{since}。已记录的费用不变。",
    "books.since_always": "适用于所有日期",
    "books.since": "自 {date} 起",
    "books.role_default": "角色 *{role}*（默认）",
    "books.fx_ok": ":currency_exchange: 1 {currency} = {rate} {project_currency}，{since}。",
    "books.fx_same": "{currency} 就是项目币种，不需要汇率。",
    "books.currency_locked": (
        "项目币种是 {currency}，且已有记录，不能改为 {new}。{new} 金额可照常记录，"
        "用 `/project 汇率 {new} <汇率>` 计入。"
    ),
    "books.lines_over_total": ":warning: 预算科目合计 {lines}，超过总预算 {total}（超出 {over}）。",
    "books.not_counted": "有 {count} 笔 {currency} 记录未计入 — 请设置 `/project 汇率 {currency} <汇率>`。",
    "books.converted": "{amount}（= {converted}）",
}
