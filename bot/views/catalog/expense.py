"""Strings of /expense: confirmations, lists, refusals and help."""

EN = {
    "expense.cat.labor": "labor",
    "expense.cat.material": "material",
    "expense.cat.equipment": "equipment",
    "expense.cat.subcontract": "subcontract",
    "expense.cat.other": "other",
    "expense.logged": ":receipt: Expense recorded in {project}:",
    "expense.line": "• `{id}` {date}: {amount}, {category}{sep}{extras}",
    "expense.vendor": "vendor {vendor}",
    "expense.task": "task {task}",
    "expense.receipt": "<{url}|receipt>",
    "expense.other_currency": "Stored in {currency} as given; the project's currency is {project_currency}.",
    "expense.voided": ":wastebasket: Voided `{id}` ({amount}).",
    "expense.edited": ":pencil2: Updated:",
    "expense.list_empty": "No expenses {period}.",
    "expense.list_header": "*Expenses in {project}, {period}* ({count}):",
    "expense.list_total": "Total: {total}",
    "expense.period.week": "this week",
    "expense.period.month": "this month",
    "expense.bad_amount": "The amount must be a number above zero; nothing was stored.",
    "expense.sub_cent": "`{amount}` has more than two decimals; money is kept to the cent. Nothing was stored.",
    "expense.future": "{date} is in the future; expenses can be logged for today or earlier.",
    "expense.bad_category": "Unknown category `{category}`; use labor, material, equipment, subcontract or other.",
    "expense.not_found": "No expense `{id}` in this project.",
    "expense.already_void": "`{id}` is already voided.",
    "expense.nothing_to_undo": "You have no expense to undo in this project.",
    "expense.bad_edit": "I can't change {fields}; you can change amount, currency, category, vendor, date, task, note, receipt.",
    "expense.nothing_to_edit": "What should change? e.g. `/expense edit E-7 amount 320 vendor Acme`",
    "usage.expense": "`/expense 1,250.50 material vendor Acme yesterday` · `/expense ¥3200 材料 钢筋 昨天`",
    "expense.help": (
        "*/expense* — record money spent\n"
        "• `/expense <amount> [<currency>] [<category>] [vendor <name>|@<name>] [<date>] [task T-12] "
        "[receipt <url>] [-- note]`\n"
        "   e.g. `/expense 1,250.50 material vendor Acme yesterday`, `/expense $480 crane rental`\n"
        "• `/expense list [week|month]` · `/expense edit E-7 amount 320 category equipment` · "
        "`/expense undo` · `/expense void E-7`\n"
        "Categories: labor, material, equipment, subcontract, other. `/expense` alone opens a form."
    ),
}

ZH = {
    "expense.cat.labor": "人工",
    "expense.cat.material": "材料",
    "expense.cat.equipment": "设备",
    "expense.cat.subcontract": "分包",
    "expense.cat.other": "其他",
    "expense.logged": ":receipt: 已记入 {project} 的支出：",
    "expense.line": "• `{id}` {date}：{amount}，{category}{sep}{extras}",
    "expense.vendor": "供应商 {vendor}",
    "expense.task": "任务 {task}",
    "expense.receipt": "<{url}|票据>",
    "expense.other_currency": "按所给币种 {currency} 保存；项目币种为 {project_currency}。",
    "expense.voided": ":wastebasket: 已作废 `{id}`（{amount}）。",
    "expense.edited": ":pencil2: 已修改：",
    "expense.list_empty": "{period}没有支出。",
    "expense.list_header": "*{project} {period}的支出*（{count} 笔）：",
    "expense.list_total": "合计：{total}",
    "expense.period.week": "本周",
    "expense.period.month": "本月",
    "expense.bad_amount": "金额必须是大于零的数字；未保存任何内容。",
    "expense.sub_cent": "`{amount}` 超过两位小数；金额精确到分。未记录。",
    "expense.future": "{date} 是未来日期，只能记录今天或之前的支出。",
    "expense.bad_category": "未知类别 `{category}`；可用：人工、材料、设备、分包、其他。",
    "expense.not_found": "本项目中没有支出 `{id}`。",
    "expense.already_void": "`{id}` 已作废。",
    "expense.nothing_to_undo": "你在本项目中没有可撤销的支出。",
    "expense.bad_edit": "无法修改 {fields}；可修改：金额、币种、类别、供应商、日期、任务、备注、票据。",
    "expense.nothing_to_edit": "要改什么？例如 `/expense 修改 E-7 金额 320 供应商 华新`",
    "usage.expense": "`/expense ¥3200 材料 钢筋 昨天` · `/expense 1,250.50 material vendor Acme yesterday`",
    "expense.help": (
        "*/expense* — 记录支出\n"
        "• `/expense <金额> [<币种>] [<类别>] [供应商 <名称>|@<名称>] [<日期>] [任务 T-12] [票据 <链接>] [-- 备注]`\n"
        "   例如 `/expense ¥3200 材料 钢筋 昨天`、`/expense 1,250.50 material vendor 华新水泥 yesterday`\n"
        "• `/expense 列表 [本周|本月]` · `/expense 修改 E-7 金额 320 类别 设备` · "
        "`/expense 撤销` · `/expense 作废 E-7`\n"
        "类别：人工、材料、设备、分包、其他。只输入 `/expense` 会打开表单。"
    ),
}
