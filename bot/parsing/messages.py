"""User-facing parser messages in English and Chinese, each with a usage example."""

from __future__ import annotations

from bot.parsing.result import Lang

_CATALOG: dict[str, dict[Lang, str]] = {
    "labor_no_hours": {
        "en": "How many hours? e.g. `/log-labor 8h yesterday`",
        "zh": "请说明工时，例如 `/log-labor 8小时 昨天`",
    },
    "labor_no_headcount": {
        "en": "How many people in {crew}? e.g. `/log-labor {crew} 5 workers 8h`",
        "zh": "{crew}有几个人？例如 `/log-labor {crew} 5人 8小时`",
    },
    "labor_bad_hours": {
        "en": "{hours} h per person is not possible; a day has 24 h. e.g. `/log-labor 7:30-17:00 lunch 1h`",
        "zh": "每人 {hours} 小时不可能，一天只有24小时。例如 `/log-labor 7:30-17:00 午休1小时`",
    },
    "labor_future": {
        "en": "{date} is in the future; labor can be logged for today or earlier, e.g. `/log-labor 8h yesterday`",
        "zh": "{date} 是未来日期，只能记录今天或之前的工时，例如 `/log-labor 8小时 昨天`",
    },
    "expense_no_amount": {
        "en": "How much? e.g. `/expense 1,250.50 material vendor Acme yesterday`",
        "zh": "请说明金额，例如 `/expense ¥3200 材料 钢筋 昨天`",
    },
    "expense_bad_amount": {
        "en": "The amount must be more than zero, e.g. `/expense $480 crane rental`",
        "zh": "金额必须大于零，例如 `/expense ¥3200 材料 昨天`",
    },
    "expense_future": {
        "en": "{date} is in the future; expenses can be logged for today or earlier, e.g. `/expense $480 crane rental yesterday`",
        "zh": "{date} 是未来日期，只能记录今天或之前的支出，例如 `/expense ¥3200 材料 昨天`",
    },
    "clock_future": {
        "en": "{date} is in the future, e.g. `/log-labor in 7:30`",
        "zh": "{date} 是未来日期，例如 `/log-labor 上班 7:30`",
    },
    "task_no_key": {
        "en": "Which task? e.g. `/task T-12 70%`",
        "zh": "请说明任务编号，例如 `/task T-12 70%`",
    },
    "task_no_update": {
        "en": "What changed on {task}? e.g. `/task {task} 70%`, `/task {task} done`, `/task {task} blocked waiting for rebar`",
        "zh": "{task} 有什么更新？例如 `/task {task} 70%`、`/task {task} 完成`、`/task {task} 受阻 等钢材`",
    },
    "unknown_part": {
        "en": "I did not understand {parts}, so nothing was saved. Please rephrase it, e.g. `{example}`",
        "zh": "没看懂{parts}，未保存。请换个说法，例如 `{example}`",
    },
    "negative": {
        "en": "{part} is negative; hours, amounts and progress cannot be below zero. Nothing was saved.",
        "zh": "{part} 是负数；工时、金额和进度不能小于零，未保存。",
    },
    "not_a_record": {
        "en": "That reads as a quote or a plan, not something spent or worked, so nothing was saved.",
        "zh": "这是报价或计划，不是实际发生的支出或工时，未保存。",
    },
    "task_which": {
        "en": "Which task did you mean? {options}",
        "zh": "是哪个任务？{options}",
    },
    "task_not_sure": {
        "en": "Did you mean {options}? Please name the task by its key, e.g. `/task {key} 70%`",
        "zh": "是指 {options} 吗？请用任务编号，例如 `/task {key} 70%`",
    },
    "task_bad_progress": {
        "en": "Progress must be between 0 and 100%, e.g. `/task {task} 70%`",
        "zh": "进度必须在0到100%之间，例如 `/task {task} 70%`",
    },
}


def message(key: str, lang: Lang, /, **values: object) -> str:
    """The catalog message for key in lang, with values filled in."""
    return _CATALOG[key][lang].format(**values)
