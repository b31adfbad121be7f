"""CJK Radicals Supplement (U+2E80–U+2EF3) → the unified ideograph each one stands for.

PDF fonts often map a glyph to its radical code point, so the text layer says ``⻑`` where
the page shows ``長``. NFKC folds the Kangxi Radicals block (U+2F00–U+2FD5) but only two
characters of this block (⺟, ⻳), so the rest must be listed.

Source: Unicode's EquivalentUnifiedIdeograph.txt, plus the NamesList.txt cross-reference
where a radical has exactly one. Fourteen radicals are left out on purpose because
Unicode cross-references more than one ideograph for them (⺇ ⺈ ⺍ ⺑ ⺜ ⺧ ⺩ ⺪ ⺮ ⺲ ⺷ ⺸ ⻊
⻕); picking one by how it looks could silently change a word, so they stay as printed.
"""

from __future__ import annotations

SUPPLEMENT_TO_IDEOGRAPH: dict[str, str] = {
    "\u2E80": "冫",  # ⺀ repeat
    "\u2E81": "厂",  # ⺁ cliff
    "\u2E82": "乛",  # ⺂ second one
    "\u2E83": "乚",  # ⺃ second two
    "\u2E84": "乙",  # ⺄ second three
    "\u2E85": "亻",  # ⺅ person
    "\u2E86": "冂",  # ⺆ box
    "\u2E89": "刂",  # ⺉ knife two
    "\u2E8A": "卜",  # ⺊ divination
    "\u2E8B": "㔾",  # ⺋ seal
    "\u2E8C": "小",  # ⺌ small one
    "\u2E8E": "兀",  # ⺎ lame one
    "\u2E8F": "尣",  # ⺏ lame two
    "\u2E90": "尢",  # ⺐ lame three
    "\u2E92": "巳",  # ⺒ snake
    "\u2E93": "幺",  # ⺓ thread
    "\u2E94": "彑",  # ⺔ snout one
    "\u2E95": "彐",  # ⺕ snout two
    "\u2E96": "忄",  # ⺖ heart one
    "\u2E97": "㣺",  # ⺗ heart two
    "\u2E98": "扌",  # ⺘ hand
    "\u2E99": "攵",  # ⺙ rap
    "\u2E9B": "旡",  # ⺛ choke
    "\u2E9D": "月",  # ⺝ moon
    "\u2E9E": "歺",  # ⺞ death
    "\u2E9F": "母",  # ⺟ mother
    "\u2EA0": "民",  # ⺠ civilian
    "\u2EA1": "氵",  # ⺡ water one
    "\u2EA2": "氺",  # ⺢ water two
    "\u2EA3": "灬",  # ⺣ fire
    "\u2EA4": "爫",  # ⺤ paw one
    "\u2EA5": "爫",  # ⺥ paw two
    "\u2EA6": "丬",  # ⺦ simplified half tree trunk
    "\u2EA8": "犭",  # ⺨ dog
    "\u2EAB": "罒",  # ⺫ eye
    "\u2EAC": "示",  # ⺬ spirit one
    "\u2EAD": "礻",  # ⺭ spirit two
    "\u2EAF": "糹",  # ⺯ silk
    "\u2EB0": "纟",  # ⺰ c-simplified silk
    "\u2EB1": "罓",  # ⺱ net one
    "\u2EB3": "㓁",  # ⺳ net three
    "\u2EB4": "㓁",  # ⺴ net four
    "\u2EB5": "𦉫",  # ⺵ mesh
    "\u2EB6": "羊",  # ⺶ sheep
    "\u2EB9": "耂",  # ⺹ old
    "\u2EBA": "肀",  # ⺺ brush one
    "\u2EBB": "聿",  # ⺻ brush two
    "\u2EBC": "月",  # ⺼ meat
    "\u2EBD": "臼",  # ⺽ mortar
    "\u2EBE": "艹",  # ⺾ grass one
    "\u2EBF": "艹",  # ⺿ grass two
    "\u2EC0": "艹",  # ⻀ grass three
    "\u2EC1": "虎",  # ⻁ tiger
    "\u2EC2": "衤",  # ⻂ clothes
    "\u2EC3": "覀",  # ⻃ west one
    "\u2EC4": "西",  # ⻄ west two
    "\u2EC5": "见",  # ⻅ c-simplified see
    "\u2EC6": "角",  # ⻆ simplified horn
    "\u2EC7": "𧢲",  # ⻇ horn
    "\u2EC8": "讠",  # ⻈ c-simplified speech
    "\u2EC9": "贝",  # ⻉ c-simplified shell
    "\u2ECB": "车",  # ⻋ c-simplified cart
    "\u2ECC": "辶",  # ⻌ simplified walk
    "\u2ECD": "辶",  # ⻍ walk one
    "\u2ECE": "辶",  # ⻎ walk two
    "\u2ECF": "阝",  # ⻏ city
    "\u2ED0": "钅",  # ⻐ c-simplified gold
    "\u2ED1": "長",  # ⻑ long one
    "\u2ED2": "镸",  # ⻒ long two
    "\u2ED3": "长",  # ⻓ c-simplified long
    "\u2ED4": "门",  # ⻔ c-simplified gate
    "\u2ED6": "阝",  # ⻖ mound two
    "\u2ED7": "雨",  # ⻗ rain
    "\u2ED8": "青",  # ⻘ blue
    "\u2ED9": "韦",  # ⻙ c-simplified tanned leather
    "\u2EDA": "页",  # ⻚ c-simplified leaf
    "\u2EDB": "风",  # ⻛ c-simplified wind
    "\u2EDC": "飞",  # ⻜ c-simplified fly
    "\u2EDD": "食",  # ⻝ eat one
    "\u2EDE": "𩙿",  # ⻞ eat two
    "\u2EDF": "飠",  # ⻟ eat three
    "\u2EE0": "饣",  # ⻠ c-simplified eat
    "\u2EE1": "𩠐",  # ⻡ head
    "\u2EE2": "马",  # ⻢ c-simplified horse
    "\u2EE3": "骨",  # ⻣ bone
    "\u2EE4": "鬼",  # ⻤ ghost
    "\u2EE5": "鱼",  # ⻥ c-simplified fish
    "\u2EE6": "鸟",  # ⻦ c-simplified bird
    "\u2EE7": "卤",  # ⻧ c-simplified salt
    "\u2EE8": "麦",  # ⻨ simplified wheat
    "\u2EE9": "黄",  # ⻩ simplified yellow
    "\u2EEA": "黾",  # ⻪ c-simplified frog
    "\u2EEB": "斉",  # ⻫ j-simplified even
    "\u2EEC": "齐",  # ⻬ c-simplified even
    "\u2EED": "歯",  # ⻭ j-simplified tooth
    "\u2EEE": "齿",  # ⻮ c-simplified tooth
    "\u2EEF": "竜",  # ⻯ j-simplified dragon
    "\u2EF0": "龙",  # ⻰ c-simplified dragon
    "\u2EF1": "龜",  # ⻱ turtle
    "\u2EF2": "亀",  # ⻲ j-simplified turtle
    "\u2EF3": "龟",  # ⻳ c-simplified turtle
}
