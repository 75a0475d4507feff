"""Strings of /ooo (leave, 请假): replies, refusals, help, the digest's Away line and nudge mark."""

EN = {
    "ooo.added": ":palm_tree: {who} is away {span} ({days}, both included): no standup prompts, nudges go to the pm.",
    "ooo.reason": " — {reason}",
    "ooo.span": "{first} – {last}",
    "ooo.cancelled": ":back: Leave of {who} ({span}) cancelled; days already past stay recorded.",
    "ooo.list_header": "*Leave* — current and coming ({n}):",
    "ooo.list_empty": "Nobody is away or planning leave. Record one with `/ooo 12/1-12/5 -- family`.",
    "ooo.digest_away": "*Away*: {people}",
    "ooo.digest_person": "{who} (until {last})",
    "ooo.owner_away": "_Owner away: {owner} is on leave; this nudge comes to you instead._ ",
    "ooo.no_dates": "Which days? e.g. `/ooo 12/1-12/5 -- family` or `/ooo tomorrow`.",
    "ooo.bad_date": "I couldn't read the date `{value}`; nothing was stored. e.g. `/ooo 12/1-12/5`.",
    "ooo.backwards": "The leave ends ({last}) before it starts ({first}); nothing was stored.",
    "ooo.too_long": "A leave can be at most {days} days; record longer absences in parts.",
    "ooo.too_old": "Leave more than {days} days in the past cannot be recorded.",
    "ooo.one_person": "One person per `/ooo`, please: yourself, one @mention or one named worker.",
    "ooo.no_worker": "No worker named `{name}` in this project (add one with `/project worker {name}`); nothing was stored.",
    "ooo.overlap": "That overlaps a leave already recorded ({first} – {last}); cancel it first with `/ooo cancel {first}`.",
    "ooo.none_to_cancel": "No current or coming leave to cancel. See `/ooo list`.",
    "usage.ooo": "`/ooo 12/1-12/5 -- family` · `/ooo @ana tomorrow` · `/ooo list` · `/ooo cancel`",
    "ooo.help": (
        "*/ooo* — leave (请假), both dates included\n"
        "• `/ooo 12/1-12/5 [-- reason]` · `/ooo tomorrow` · `/ooo 请假 12月1日-12月5日 -- 回老家`\n"
        "• `/ooo @ana 12/3` or `/ooo 张三 12/3` (pm or foreman) · `/ooo list` · `/ooo cancel [<date>]`\n"
        'While away: no standup prompts, nudges go to the pm marked "owner away", not listed as not logged, '
        "and the digest lists who is away."
    ),
}

ZH = {
    "ooo.added": ":palm_tree: {who} 请假 {span}（共 {days} 天，含首尾）：期间不发站会提醒，提醒改发项目经理。",
    "ooo.reason": " — {reason}",
    "ooo.span": "{first} 至 {last}",
    "ooo.cancelled": ":back: 已取消 {who} 的请假（{span}）；已过去的日子仍保留记录。",
    "ooo.list_header": "*请假* — 当前及计划中（{n}）：",
    "ooo.list_empty": "目前没有人请假。用 `/ooo 请假 12月1日-12月5日 -- 回老家` 登记。",
    "ooo.digest_away": "*请假*：{people}",
    "ooo.digest_person": "{who}（至 {last}）",
    "ooo.owner_away": "_负责人请假：{owner} 正在休假，此提醒转给你。_ ",
    "ooo.no_dates": "请假哪几天？例如 `/ooo 请假 12月1日-12月5日` 或 `/ooo 明天`。",
    "ooo.bad_date": "没看懂日期 `{value}`，未保存。例如 `/ooo 请假 12月1日-12月5日`。",
    "ooo.backwards": "结束日期（{last}）早于开始日期（{first}），未保存。",
    "ooo.too_long": "一次请假最多 {days} 天；更长的请分段登记。",
    "ooo.too_old": "不能登记 {days} 天以前的请假。",
    "ooo.one_person": "每条 `/ooo` 只登记一个人：自己、一个 @成员 或一个工人姓名。",
    "ooo.no_worker": "本项目没有名为 `{name}` 的工人（先用 `/project worker {name}` 添加），未保存。",
    "ooo.overlap": "与已登记的请假（{first} 至 {last}）重叠；请先用 `/ooo 取消 {first}` 取消。",
    "ooo.none_to_cancel": "没有当前或计划中的请假可取消。见 `/ooo list`。",
    "usage.ooo": "`/ooo 请假 12月1日-12月5日 -- 回老家` · `/ooo @张工 明天` · `/ooo list` · `/ooo 取消`",
    "ooo.help": (
        "*/ooo* — 请假（含首尾两天）\n"
        "• `/ooo 请假 12月1日-12月5日 -- 回老家` · `/ooo 明天` · `/ooo 12/1-12/5 -- family`\n"
        "• `/ooo @张工 12月3日` 或 `/ooo 张三 12月3日`（项目经理或工长）· `/ooo list` · `/ooo 取消 [日期]`\n"
        '请假期间：不发站会提醒，风险提醒转给项目经理并注明"负责人请假"，不列入"未记工"，站会摘要列出请假人员。'
    ),
}
