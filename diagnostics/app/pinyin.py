"""Chinese names in the order Chinese readers look them up: by pinyin (白河 before 江州 before 云岭).

>>> sorted(["云岭农业学校", "江州职业学院", "白河财经学校"], key=pinyin_key)
['白河财经学校', '江州职业学院', '云岭农业学校']
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=4096)
def pinyin_key(text: object) -> str:
    """A sort key: the text's pinyin without tones (other characters as they are), then the text itself."""
    value = "" if text is None else str(text)
    return " ".join(lazy_pinyin(value, style=Style.NORMAL, errors="default")).lower() + "\x00" + value
