"""The target chain (目标链) and the standard chain (标准链) of a school.

A *target* is what a school aims at for an indicator in a year; a *school
standard* (校标) is a threshold the school sets for itself, stricter than the
national one.  Targets arrive through the contract's ``targets`` table (import)
and can be overridden in the dashboards; standards are set there.  An active
override replaces the imported value of the same key; clearing it brings the
imported value back.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from .errors import InvalidChange

TARGET, STANDARD = "target", "standard"
QUALIFIED = "合格"  # the national standard's level a school standard must not fall below
KINDS = {TARGET: "目标 / target", STANDARD: "校标 / school standard"}
LAYERS = ("school", "program", "course", "teacher", "student")
KEY = ["school_id", "year", "layer", "unit", "indicator_id"]
LONG_COLUMNS = [*KEY, "kind", "value", "source", "imported_value", "set_by", "note", "override_id",
                "version", "active"]
WIDE_COLUMNS = [*KEY, TARGET, STANDARD]


def unit_for(layer: str, program_code: str | None = None, teacher_key: str | None = None) -> str:
    """The unit of a value at a layer, as the engine stores it: '' for the school, else the code/key."""
    if layer == "program":
        return str(program_code)
    if layer == "teacher":
        return str(teacher_key)
    return ""


def check_key(layer: str, kind: str) -> None:
    if layer not in LAYERS:
        raise InvalidChange(f"未知层面 {layer!r}，应为 {', '.join(LAYERS)}",
                            f"unknown layer {layer!r}; one of {', '.join(LAYERS)}")
    if kind not in KINDS:
        raise InvalidChange(f"未知类型 {kind!r}，应为 target 或 standard",
                            f"unknown kind {kind!r}; target or standard")


def check_stricter(value: float, indicator: object, school_level: str, category: str, layer: str,
                   year: int, founded: int | None = None) -> None:
    """A school standard may only be stricter than the national 合格 standard that applies to the school."""
    higher = indicator.direction != "lower_is_better"
    for std in indicator.standards:  # only a verified 合格 standard binds (a reference value decides nothing)
        if std.level != QUALIFIED or not std.sets_level or not std.applies(school_level, category, layer, year,
                                                                            founded):
            continue
        op = std.op or (">=" if higher else "<=")
        if (op == ">=" and value < std.value) or (op == "<=" and value > std.value):
            raise InvalidChange(
                f"校标 {value:g} 宽于国家合格标准 {std.value:g}（{std.source}），校标只能更严",
                f"a school standard of {value:g} is laxer than the national standard {std.value:g} "
                f"({std.source}); a school standard may only be stricter")


def imported_targets(rows: pd.DataFrame, resolve: Callable[[str], str] = str) -> pd.DataFrame:
    """The contract's ``targets`` rows as (key, kind='target', value) rows.

    ``resolve`` turns an indicator's Chinese name into its id (the contract accepts either).
    """
    if rows.empty:
        return pd.DataFrame(columns=[*KEY, "kind", "value", "set_by", "note"])
    program = rows.get("program_code", pd.Series("", index=rows.index)).fillna("").astype(str)
    teacher = rows.get("teacher_key", pd.Series("", index=rows.index)).fillna("").astype(str)
    layer = np.where(teacher != "", "teacher", np.where(program != "", "program", "school"))
    out = pd.DataFrame({
        "school_id": rows["school_id"].astype(str),
        "year": rows["year"].astype(int),
        "layer": layer,
        "indicator_id": rows["indicator_id"].astype(str).map(resolve),
        "kind": TARGET,
        "value": rows["target"].astype(float),
        "set_by": rows.get("set_by"),
        "note": rows.get("note"),
    })
    out["unit"] = [unit_for(lay, p, t) for lay, p, t in zip(layer, program, teacher)]
    return out[[*KEY, "kind", "value", "set_by", "note"]]


def effective(imported: pd.DataFrame, overrides: pd.DataFrame) -> pd.DataFrame:
    """One row per (key, kind): the active override if any, else the imported value."""
    on = [*KEY, "kind"]
    imp = imported.rename(columns={"value": "imported_value"})
    ovr = overrides.rename(columns={"id": "override_id", "value": "override_value",
                                    "updated_by": "override_by", "note": "override_note"})
    ovr = ovr[[*on, "override_id", "override_value", "override_by", "override_note", "version", "active"]]
    merged = imp.merge(ovr, on=on, how="outer")
    active = merged["active"].fillna(False).astype(bool)
    merged["value"] = np.where(active, merged["override_value"], merged["imported_value"])
    merged["source"] = np.where(active, "override", "import")
    merged["set_by"] = merged["override_by"].where(active, merged.get("set_by"))
    merged["note"] = merged["override_note"].where(active, merged.get("note"))
    merged["active"] = active
    merged = merged[merged["value"].notna()].astype({"override_id": "Int64", "version": "Int64"})
    return merged[LONG_COLUMNS].sort_values(on, kind="stable").reset_index(drop=True)


def widen(long: pd.DataFrame) -> pd.DataFrame:
    """Effective targets and school standards side by side, one row per key (for the warning engine)."""
    if long.empty:
        return pd.DataFrame(columns=WIDE_COLUMNS)
    wide = long.pivot_table(index=KEY, columns="kind", values="value", aggfunc="first").reset_index()
    for kind in KINDS:
        if kind not in wide:
            wide[kind] = np.nan
    wide.columns.name = None
    return wide[WIDE_COLUMNS]
