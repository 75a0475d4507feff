"""Strings of /project beyond create: settings, budget lines, roles, crews, workers, status, help."""

EN = {
    "project.set_ok": ":gear: {changes}",
    "project.change": "{field} {before} → {after}",
    "project.field.name": "name",
    "project.field.code": "code",
    "project.field.budget": "budget",
    "project.field.currency": "currency",
    "project.field.timezone": "timezone",
    "project.field.language": "language",
    "project.field.standup_time": "standup",
    "project.field.workdays": "workdays",
    "project.field.holidays_country": "holidays",
    "project.field.start_date": "start",
    "project.field.end_date": "end",
    "project.field.hours_per_day": "hours per day",
    "project.field.overtime_multiplier": "overtime multiplier",
    "project.field.thresholds": "budget alert thresholds %",
    "project.field.stale_days": "stale after (workdays)",
    "project.field.tolerance": "behind-plan tolerance (points)",
    "project.field.meeting_every_weeks": "meeting every (weeks)",
    "project.field.meeting_weekday": "meeting day",
    "project.field.meeting_time": "meeting time",
    "project.field.prompts_enabled": "standup prompts",
    "project.field.prompt_minutes_before": "prompt minutes before standup",
    "project.field.grace_minutes": "catch-up grace (minutes)",
    "project.unchanged": "nothing changed",
    "project.budget_line_ok": ":moneybag: Budget for {category}: {amount}.",
    "project.role_ok": ":bust_in_silhouette: <@{user}> is now *{role}* in {project}.",
    "project.crew_ok": ":construction_worker: Crew *{name}*{rate}{lead}.",
    "project.worker_ok": ":construction_worker: Worker *{name}*{crew}{rate}.",
    "project.rate": ", rate {amount}/{unit}",
    "project.lead": ", lead <@{user}>",
    "project.in_crew": " in {crew}",
    "project.unit.day": "day",
    "project.unit.hour": "hour",
    "project.last_pm": "The project needs at least one pm; make someone else pm first.",
    "project.status": (
        "*{name}* (`{code}`) · {tz} · {language} · {currency}\n"
        "Budget {budget}{lines}\n"
        "Members: {members}\n"
        "Crews: {crews} · workers: {workers}\n"
        "Standup {standup} on {workdays}{holidays} · {hours} h/day, overtime ×{overtime}\n"
        "Meeting every {every} weeks on {weekday} at {meeting} · alerts at {thresholds}% · "
        "stale after {stale} workdays · tolerance {tolerance} points · standup prompts {prompts}\n"
        "Planned {start} → {end}"
    ),
    "project.status_line": "{category} {amount}",
    "project.no_members": "none",
    "project.on": "on",
    "project.off": "off",
    "project.holidays": ", holidays {country}",
    "usage.project": "`/project set standup 08:30` · `/project budget material 500000` · `/project role @ana foreman`",
    "project.help": (
        "*/project* — the channel's project\n"
        "• `create <name> [code <CODE>] [budget <amount> [<currency>]] [tz <IANA>] [standup <HH:MM>] "
        "[workdays Mon-Fri] [holidays CN] [lang en|zh] [start <date>] [end <date>]`\n"
        "• `set <field> <value>` — any field above, plus `meeting every 2 weeks Tue 10:00`, "
        "`thresholds 50,80,100`, `stale 3d`, `tolerance 15`, `hours 8`, `overtime 1.5`, `prompts on|off` (pm)\n"
        "• `budget <labor|material|equipment|subcontract|other> <amount>` (pm) · "
        "`role @user pm|tech|foreman|member` (pm)\n"
        "• `crew <name> [rate 300/day] [lead @user]` · `worker <name> [crew <name>] [rate 40/hour]` (foreman/pm)\n"
        "• `status` · `help` · `/project` alone opens a form"
    ),
}

ZH = {
    "project.set_ok": ":gear: {changes}",
    "project.change": "{field} {before} → {after}",
    "project.field.name": "名称",
    "project.field.code": "代码",
    "project.field.budget": "预算",
    "project.field.currency": "币种",
    "project.field.timezone": "时区",
    "project.field.language": "语言",
    "project.field.standup_time": "站会时间",
    "project.field.workdays": "工作日",
    "project.field.holidays_country": "节假日",
    "project.field.start_date": "开始",
    "project.field.end_date": "结束",
    "project.field.hours_per_day": "每日标准工时",
    "project.field.overtime_multiplier": "加班倍数",
    "project.field.thresholds": "预算预警阈值 %",
    "project.field.stale_days": "无更新提醒（工作日）",
    "project.field.tolerance": "进度容差（点）",
    "project.field.meeting_every_weeks": "联席会议间隔（周）",
    "project.field.meeting_weekday": "会议日",
    "project.field.meeting_time": "会议时间",
    "project.field.prompts_enabled": "站会提醒",
    "project.field.prompt_minutes_before": "站会前提醒（分钟）",
    "project.field.grace_minutes": "补发宽限（分钟）",
    "project.unchanged": "没有变化",
    "project.budget_line_ok": ":moneybag: {category}预算：{amount}。",
    "project.role_ok": ":bust_in_silhouette: <@{user}> 现在是 {project} 的 *{role}*。",
    "project.crew_ok": ":construction_worker: 班组 *{name}*{rate}{lead}。",
    "project.worker_ok": ":construction_worker: 工人 *{name}*{crew}{rate}。",
    "project.rate": "，单价 {amount}/{unit}",
    "project.lead": "，班组长 <@{user}>",
    "project.in_crew": "（{crew}）",
    "project.unit.day": "工日",
    "project.unit.hour": "小时",
    "project.last_pm": "项目至少需要一名项目经理；请先指定另一位项目经理。",
    "project.status": (
        "*{name}*（`{code}`）· {tz} · {language} · {currency}\n"
        "预算 {budget}{lines}\n"
        "成员：{members}\n"
        "班组：{crews} · 工人：{workers}\n"
        "站会 {standup}，工作日 {workdays}{holidays} · 每天 {hours} 小时，加班 ×{overtime}\n"
        "联席会议每 {every} 周{weekday} {meeting} · 预算预警 {thresholds}% · "
        "{stale} 个工作日无更新提醒 · 进度容差 {tolerance} 点 · 站会提醒 {prompts}\n"
        "计划 {start} → {end}"
    ),
    "project.status_line": "{category} {amount}",
    "project.no_members": "无",
    "project.on": "开",
    "project.off": "关",
    "project.holidays": "，节假日 {country}",
    "usage.project": "`/project 设置 站会 08:30` · `/project 预算 材料 500000` · `/project 角色 @张工 班组长`",
    "project.help": (
        "*/project* — 本频道的项目\n"
        "• `create <名称> [code <代码>] [budget <金额> [<币种>]] [tz <时区>] [standup <HH:MM>] "
        "[workdays Mon-Fri] [holidays CN] [lang en|zh] [start <日期>] [end <日期>]`\n"
        "• `设置 <字段> <值>` — 上述任一字段，以及 `会议 每2周 周二 10:00`、`阈值 50,80,100`、`停滞 3d`、"
        "`容差 15`、`工时 8`、`加班 1.5`、`提醒 开|关`（项目经理）\n"
        "• `预算 <人工|材料|设备|分包|其他> <金额>`（项目经理）· `角色 @用户 项目经理|技术|班组长|成员`（项目经理）\n"
        "• `班组 <名称> [单价 300/天] [组长 @用户]` · `工人 <姓名> [班组 <名称>] [单价 40/小时]`（班组长/项目经理）\n"
        "• `状态` · `帮助` · 只输入 `/project` 会打开表单"
    ),
}
