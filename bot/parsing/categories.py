"""What an expense bought: a description from the words around the amount, and its category from a
keyword table in both languages (模板/木方/plywood → material, 吊车/crane → equipment …).

Pure: text in, words out. The statement's other parts (amount, date, vendor, task, receipt, note) are
cut out by the expense parser before these functions see the rest.
"""

from __future__ import annotations

import re

# Words that name what was bought, per category; the first category with a matching word wins.
KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("subcontract", ("subcontract", "subcontractor", "分包", "外包")),
    ("equipment", (
        "crane", "excavator", "rental", "rent", "forklift", "scaffold", "scaffolding", "generator", "pump truck",
        "concrete pump", "loader", "bulldozer", "compactor", "mixer", "hoist", "tools", "drill",
        "吊车", "塔吊", "汽车吊", "挖机", "挖掘机", "租赁", "租", "叉车", "脚手架", "发电机", "泵车", "装载机",
        "铲车", "压路机", "搅拌机", "升降机", "工具", "电钻", "机械", "台班",
    )),
    ("labor", ("wages", "wage", "payroll", "day labor", "工资", "工钱", "劳务", "点工")),
    ("material", (
        "plywood", "formwork", "timber", "lumber", "cement", "rebar", "concrete", "sand", "brick", "bricks",
        "steel", "gravel", "paint", "pipe", "pipes", "tiles", "tile", "glass", "wire", "cable", "nails",
        "bolts", "blocks", "waterproofing", "insulation", "gypsum", "drywall", "mortar",
        "模板", "木方", "胶合板", "多层板", "水泥", "钢筋", "混凝土", "商砼", "砂", "沙", "砖", "木材", "钢材",
        "石子", "碎石", "钢管", "扣件", "油漆", "涂料", "管材", "瓷砖", "玻璃", "电线", "电缆", "钉子", "螺栓",
        "砌块", "防水", "保温", "石膏", "砂浆",
    )),
)  # fmt: skip

# Category names themselves and the verbs of spending are not a description.
_NOT_DESCRIPTION = re.compile(
    r"(?<![A-Za-z])(?:material|materials|equipment|labor|labour|subcontract|other|bought|buy|paid|pay|spent|"
    r"spend|for|on|of|the|a|an|and)(?![A-Za-z])"
    r"|材料|设备|人工|分包|其他|买了|买|购买|采购|花了|花费|花|付了|付款|付|支付|用于|费用|一共|共计|共|元|块钱|块",
    re.IGNORECASE,
)
_KEYWORD_RE = {
    name: re.compile(
        "|".join(rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])" if w.isascii() else re.escape(w) for w in words),
        re.IGNORECASE,
    )
    for name, words in KEYWORDS
}
# Slack markup (mentions, channel links, `<!channel>`, links) names people or places, not what was bought.
_MARKUP = re.compile(r"<[^<>]*>")
_SPACES = re.compile(r"[\s,，。.;；:：、]+")


def category_for(*texts: str | None) -> str | None:
    """The category a keyword in the texts names (first text first), else None."""
    for text in texts:
        if not text:
            continue
        for name, _words in KEYWORDS:
            if _KEYWORD_RE[name].search(text):
                return name
    return None


def describe(rest: str) -> str | None:
    """What was bought, from the words left around the amount: `买水泥花了` → `水泥`, `crane rental` → itself."""
    text = _NOT_DESCRIPTION.sub(" ", _MARKUP.sub(" ", rest))
    words = _SPACES.sub(" ", text).strip()
    return words[:200] or None
