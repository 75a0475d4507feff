"""Messages about the books (issue 11): rates, exchange rates, currencies, budget lines, limits."""

EN = {
    "labor.overlap": "{who} already has {span} on {date}; shifts of one person cannot overlap. Nothing was stored.",
    "labor.week_not_over": (
        "The week of {week} is not over yet. `approve week` approves the last completed week; to approve "
        "this one now, say `/log-labor approve week {week} force`."
    ),
    "labor.week_open_shifts": (
        "The week of {week} has open shifts ({shifts}); clock them out first, then approve."
    ),
    "labor.week_not_approved": "The week of {week} is not approved; nothing to reopen.",
    "labor.reopened": ":unlock: Week of {week} reopened ({count} entries can be changed again); recorded in the audit log.",
    "clock.future": "{at} is in the future; clock times are recorded when they happen. Nothing was stored.",
    "labor.over_day": (
        "{who} would have {hours} h on {date} (all entries, overtime included); one person's day holds at most "
        "24 h. Nothing was stored."
    ),
    "labor.long_day": ":warning: {who} has {hours} h on {date}, more than 12 h.",
    "labor.headcount_names": (
        "{headcount} people but {named} named ({names}): is it {headcount} people without names, or only the "
        "people named? Log one or the other. Nothing was stored."
    ),
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
    "books.fx_shown": "{amount} (≈ {converted} at {rate})",
    "books.fx_missing": "{amount} (not counted — set `/project fx {currency} …`)",
}

ZH = {
    "labor.overlap": "{who} 在 {date} 已有 {span} 的记录；同一人的班次不能重叠。未记录。",
    "labor.week_not_over": "{week} 这一周还没结束。`审批 周` 审批上一个完整的周；要现在审批本周，请用 `/log-labor 审批 周 {week} 强制`。",
    "labor.week_open_shifts": "{week} 这一周还有未下班的班次（{shifts}）；请先下班，再审批。",
    "labor.week_not_approved": "{week} 这一周未审批，无需重开。",
    "labor.reopened": ":unlock: {week} 这一周已重开（{count} 条记录可再修改），已记入审计日志。",
    "clock.future": "{at} 是将来的时间；上下班时间只能在发生时记录。未记录。",
    "labor.over_day": "{who} 在 {date} 将有 {hours} 小时（含加班，所有记录）；每人每天最多 24 小时。未记录。",
    "labor.long_day": ":warning: {who} 在 {date} 共 {hours} 小时，超过 12 小时。",
    "labor.headcount_names": (
        "写了 {headcount} 人，但只点名了 {named} 人（{names}）：是 {headcount} 人不点名，还是只记点名的人？"
        "请二选一。未记录。"
    ),
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
    "books.fx_shown": "{amount}（≈ {converted}，汇率 {rate}）",
    "books.fx_missing": "{amount}（未计入 — 请设置 `/project 汇率 {currency} …`）",
}
