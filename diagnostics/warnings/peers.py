"""One comparison group per school: the table's 同类中位数, the warning text and the report all use it.

The group is the school's level and category (IPEDS: same level and type, ``shared/domain.md`` §7) when at
least ``peer.group_min_size`` schools share them; otherwise the whole level — a group of fewer schools
would let a reader work out one other school's exact value, and its median says little.  A school that
chose its own comparison schools (``zhengai peers``) is compared with them by the peer method; its
displayed group stays this one.

>>> import pandas as pd
>>> s = pd.DataFrame({"school_id": list("ABCDEFG"), "level": ["高职"] * 7,
...                   "category": ["工科"] * 5 + ["财经", "医学"]})
>>> peer_groups(s, 5)[["school_id", "peer_group"]].values.tolist()[4:]
[['E', '高职·工科'], ['F', '高职'], ['G', '高职']]
"""

from __future__ import annotations

import pandas as pd

GROUP_COLUMNS = ["school_id", "peer_group", "peer_label_zh", "peer_label_en", "peer_size"]


def peer_groups(schools: pd.DataFrame, min_size: int) -> pd.DataFrame:
    """``school_id, peer_group, peer_label_zh, peer_label_en, peer_size`` for every school of ``schools``
    (columns ``school_id, level, category``)."""
    if schools.empty:
        return pd.DataFrame(columns=GROUP_COLUMNS)
    s = schools[["school_id", "level", "category"]].assign(school_id=lambda f: f["school_id"].astype(str))
    size = s.groupby(["level", "category"])["school_id"].transform("size")
    level_size = s.groupby("level")["school_id"].transform("size")
    own = size >= min_size
    out = s.assign(peer_group=(s["level"] + "·" + s["category"]).where(own, s["level"]),
                   peer_size=size.where(own, level_size).astype(int))
    out["peer_label_zh"] = [
        f"全省同类院校（{lv}·{cat}，{n} 所）" if o else f"全省{lv}院校（同类院校不足 {min_size} 所，按同层次比较，{n} 所）"
        for lv, cat, n, o in zip(out["level"], out["category"], out["peer_size"], own)]
    out["peer_label_en"] = [
        f"similar schools in the province ({lv} {cat}, {n})" if o
        else f"{lv} schools in the province (fewer than {min_size} of the same type; {n})"
        for lv, cat, n, o in zip(out["level"], out["category"], out["peer_size"], own)]
    return out[GROUP_COLUMNS].reset_index(drop=True)
