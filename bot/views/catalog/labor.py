"""Strings of /log-labor beyond the first slice: clock, list, edit, void, undo, approval, help."""

EN = {
    "labor.future": "{date} is in the future; labor can be logged for today or earlier.",
    "labor.not_found": "No labor entry `{id}` in this project.",
    "labor.batch_not_found": "Those entries no longer exist or are already voided.",
    "labor.already_void": "`{id}` is already voided.",
    "labor.nothing_to_undo": "You have no labor entry to undo in this project.",
    "labor.bad_edit": "I can't change {fields}; you can change hours, date, task, note, rate, ot.",
    "labor.nothing_to_edit": "What should change? e.g. `/log-labor edit L-12 hours 6 date yesterday`",
    "labor.bad_headcount": "A headcount of {headcount} is not possible.",
    "labor.week_already_approved": "The week of {week} is already approved.",
    "labor.voided": ":wastebasket: Voided {ids}.",
    "labor.edited": ":pencil2: Updated:",
    "labor.approved": ":lock: Week of {week} approved and locked (entries locked: {count}).",
    "labor.list_empty": "No labor logged {period}.",
    "labor.list_header": "*Labor in {project}, {period}* ({count}):",
    "labor.list_total": "Total: {man_hours} man-h{overtime}, cost {cost}{missing}",
    "labor.list_missing": " (+ {count} with rate missing)",
    "labor.period.today": "today",
    "labor.period.week": "this week",
    "labor.period.day": "on {date}",
    "clock.in_ok": ":arrow_forward: Clocked in at {time}{who}. Clock out with `/log-labor out`.",
    "clock.for": " for <@{user}>",
    "clock.out_ok": ":stop_button: Clocked out; shift turned into labor:",
    "clock.already_in": "Already clocked in since {since}; clock out first with `/log-labor out`.",
    "clock.not_in": "You are not clocked in, so there is nothing to clock out of. Clock in with `/log-labor in`.",
    "clock.before_in": "The clock-out time is before the clock-in ({since}).",
    "clock.too_long": "The shift open since {since} would be {hours} h; log it with `/log-labor <hours> <date>` instead.",
    "clock.naive_time": "That time has no timezone.",
    "usage.labor_edit": "`/log-labor edit L-12 hours 6 date yesterday task T-3 -- fixed`",
    "labor.help": (
        "*/log-labor* — record work\n"
        "• yourself: `/log-labor 8h`, `/log-labor 7:30-17:00 lunch 1h yesterday`, `/log-labor 8h ot 2h task T-12 -- pour`\n"
        "• others (foreman/pm): `/log-labor @ana @ben 6h`, `/log-labor 张三 李四 1工日 rate 300/day`, "
        "`/log-labor rebar crew x5 8h`, `/log-labor 3 workers 2 days`\n"
        "• clock: `/log-labor in 7:30`, `/log-labor out`\n"
        "• `/log-labor list [today|week|<date>]` · `/log-labor edit L-12 hours 6` · `/log-labor undo` · "
        "`/log-labor void L-12` · `/log-labor approve week [<date>]` (pm)\n"
        "Entries can be changed by their author or a pm until a pm approves the week. "
        "`/log-labor` alone opens a form."
    ),
}

ZH = {
    "labor.future": "{date} 是未来日期，只能记录今天或之前的工时。",
    "labor.not_found": "本项目中没有工时记录 `{id}`。",
    "labor.batch_not_found": "这些记录已不存在或已作废。",
    "labor.already_void": "`{id}` 已作废。",
    "labor.nothing_to_undo": "你在本项目中没有可撤销的工时记录。",
    "labor.bad_edit": "无法修改 {fields}；可修改：工时、日期、任务、备注、单价、加班。",
    "labor.nothing_to_edit": "要改什么？例如 `/log-labor 修改 L-12 工时 6 日期 昨天`",
    "labor.bad_headcount": "人数 {headcount} 不可能。",
    "labor.week_already_approved": "{week} 这一周已经审批过了。",
    "labor.voided": ":wastebasket: 已作废 {ids}。",
    "labor.edited": ":pencil2: 已修改：",
    "labor.approved": ":lock: {week} 这一周已审批锁定：{count} 条记录。",
    "labor.list_empty": "{period}没有工时记录。",
    "labor.list_header": "*{project} {period}的工时*（{count} 条）：",
    "labor.list_total": "合计：{man_hours} 工时{overtime}，费用 {cost}{missing}",
    "labor.list_missing": "（另有 {count} 条缺少单价）",
    "labor.period.today": "今天",
    "labor.period.week": "本周",
    "labor.period.day": "{date}",
    "clock.in_ok": ":arrow_forward: {who}已于 {time} 上班打卡。下班用 `/log-labor 下班`。",
    "clock.for": "<@{user}> ",
    "clock.out_ok": ":stop_button: 已下班打卡，本班次已记为工时：",
    "clock.already_in": "自 {since} 起已在班；请先用 `/log-labor 下班` 打卡下班。",
    "clock.not_in": "你还没有上班打卡，无法下班打卡。上班请用 `/log-labor 上班`。",
    "clock.before_in": "下班时间早于上班时间（{since}）。",
    "clock.too_long": "自 {since} 起的班次将长达 {hours} 小时；请改用 `/log-labor <工时> <日期>` 记录。",
    "clock.naive_time": "该时间没有时区。",
    "usage.labor_edit": "`/log-labor 修改 L-12 工时 6 日期 昨天 任务 T-3 -- 更正`",
    "labor.help": (
        "*/log-labor* — 记录工时\n"
        "• 自己：`/log-labor 8小时`、`/log-labor 7:30-17:00 午休1小时 昨天`、`/log-labor 8小时 加班2小时 任务 T-12 -- 浇筑`\n"
        "• 他人（班组长/项目经理）：`/log-labor @张工 @李工 6小时`、`/log-labor 张三 李四 1工日 rate 300/day`、"
        "`/log-labor 钢筋班 5人 8小时 昨天`、`/log-labor 3 workers 2 days`\n"
        "• 打卡：`/log-labor 上班 7:30`、`/log-labor 下班`\n"
        "• `/log-labor 列表 [今天|本周|<日期>]` · `/log-labor 修改 L-12 工时 6` · `/log-labor 撤销` · "
        "`/log-labor 作废 L-12` · `/log-labor 审批 本周 [<日期>]`（项目经理）\n"
        "记录可由录入人或项目经理修改，直到项目经理审批该周。只输入 `/log-labor` 会打开表单。"
    ),
}
