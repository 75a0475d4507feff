"""Strings of the foundation: errors, usage, projects, labor replies."""

EN = {
    "error.generic": "Sorry, something went wrong; nothing was stored. Please try again.",
    "error.invalid": "I couldn't understand that; nothing was stored.",
    "error.no_project": "This channel has no project yet. Create one with `/project create <name> budget <amount>`.",
    "error.permission": "You need the *{role}* role in this project to do that (you are *{have}*). Ask the project's pm.",
    "error.not_found": "No {what} `{id}` in this project.",
    "error.conflict": "That clashes with what is already stored.",
    "error.locked": "The week of {week} is approved and locked; ask a pm to reopen it.",
    "usage.prefix": "Example:",
    "usage.project_create": "`/project create Tower A code TWA budget 1,200,000 CNY tz Asia/Shanghai standup 08:30`",
    "usage.log_labor": "`/log-labor 8h yesterday` · `/log-labor 钢筋班 5人 8小时 昨天`",
    "request.duplicate": "Already recorded — this request was delivered twice and stored once.",
    "parse.error": "{message}",
    "project.exists": "This channel already has a project. See `/project status`.",
    "project.code_taken": "The code `{code}` is already used by another project in this workspace.",
    "project.bad_field": "I couldn't read the {field} `{value}`; nothing was stored.",
    "project.created": (
        ":building_construction: Project *{name}* (`{code}`) is set up in this channel by {user}. "
        "Budget {budget}, timezone {tz}, daily standup at {standup}. "
        "Log work with `/log-labor 8h`, spend with `/expense`, tasks with `/task`."
    ),
    "project.help": (
        "*/project* — `create <name> [code <CODE>] [budget <amount> [<currency>]] [tz <IANA>] [standup <HH:MM>] "
        "[workdays Mon-Fri] [holidays CN] [lang en|zh] [start <date>] [end <date>]`"
    ),
    "labor.not_understood": "I couldn't find the hours in that.",
    "labor.bad_hours": "{hours} hours a person is not possible in one day.",
    "labor.you": "you",
    "labor.people": "people",
    "labor.rate_missing": "rate missing",
    "labor.overtime": " + {hours} h overtime",
    "labor.logged": ":white_check_mark: Logged in {project}:",
    "labor.line": "• `{id}` {who}, {date}: {hours} h each, {man_hours} man-h{overtime}, cost {cost}",
    "task.unknown": 'No task `{key}` in this project. Create it with `/task add {key} "title"`.',
}

ZH = {
    "error.generic": "抱歉，出了点问题，未保存任何内容。请重试。",
    "error.invalid": "没看懂这条内容，未保存任何记录。",
    "error.no_project": "本频道还没有项目。用 `/project create <名称> budget <金额>` 创建一个。",
    "error.permission": "此操作需要本项目的 *{role}* 角色（你是 *{have}*）。请联系项目经理。",
    "error.not_found": "本项目中没有{what} `{id}`。",
    "error.conflict": "与已保存的内容冲突。",
    "error.locked": "{week} 这一周已审批锁定；如需修改请联系项目经理解锁。",
    "usage.prefix": "示例：",
    "usage.project_create": "`/project create 一号楼 code TWA budget 1,200,000 CNY tz Asia/Shanghai standup 08:30`",
    "usage.log_labor": "`/log-labor 8小时 昨天` · `/log-labor 钢筋班 5人 8小时 昨天`",
    "request.duplicate": "已记录——该请求重复送达，只保存了一次。",
    "parse.error": "{message}",
    "project.exists": "本频道已有项目。查看：`/project status`。",
    "project.code_taken": "代码 `{code}` 已被本工作区的其他项目使用。",
    "project.bad_field": "无法识别 {field} `{value}`，未保存任何内容。",
    "project.created": (
        ":building_construction: {user} 在本频道创建了项目 *{name}*（`{code}`）。"
        "预算 {budget}，时区 {tz}，每日站会 {standup}。"
        "记工用 `/log-labor 8小时`，记账用 `/expense`，任务用 `/task`。"
    ),
    "project.help": (
        "*/project* — `create <名称> [code <代码>] [budget <金额> [<币种>]] [tz <时区>] [standup <HH:MM>] "
        "[workdays Mon-Fri] [holidays CN] [lang en|zh] [start <日期>] [end <日期>]`"
    ),
    "labor.not_understood": "没有找到工时。",
    "labor.bad_hours": "每人一天 {hours} 小时不可能。",
    "labor.you": "你",
    "labor.people": "人员",
    "labor.rate_missing": "缺少单价",
    "labor.overtime": " + 加班 {hours} 小时",
    "labor.logged": ":white_check_mark: 已记入 {project}：",
    "labor.line": "• `{id}` {who}，{date}：每人 {hours} 小时，共 {man_hours} 工时{overtime}，费用 {cost}",
    "task.unknown": '本项目中没有任务 `{key}`。用 `/task add {key} "标题"` 创建。',
}
