"""Thresholds of the warning methods, read from a YAML file where each value carries its source.

The code knows the *names* and *types* of the thresholds (:data:`SCHEMA`); their values and sources
live in ``thresholds.yaml`` (or a province's own file).  The loader checks the file against the
schema and reports every problem at once: an unknown (misspelt) key, a missing key, a value of the
wrong type, a value without a source.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PATH = Path(__file__).with_name("thresholds.yaml")
ENV_VAR = "ZHENGAI_WARNINGS_CONFIG"

SEV = "severity"
_SEVERITY_KEYS = {"standard": ["severity_below_qualified", "severity_below_restricted",
                               "severity_yellow_card", "severity_red_card"],
                  "target": ["severity", "severity_default"], "trend": ["decline_severity", "good_direction_severity"],
                  "peer": ["good_direction_severity"], "multivariate": ["severity"],
                  "uncertainty": ["severity_below", "severity_uncertain"],
                  "integrity": ["severity_bad_format", "severity_bad_check", "severity_bad_birth_date",
                                "severity_sex_mismatch", "severity_birth_date_mismatch", "severity_missing",
                                "severity_duplicate_registration", "severity_duplicate_record"],
                  "completeness": ["severity_missing_table", "severity_low_share", "severity_missing_program"],
                  "benford": ["severity"], "rules": ["severity_high", "severity_medium", "severity_low"]}
SCHEMA: dict[str, dict[str, Any]] = {
    "standard": {"context_group": list},
    "target": {},
    "trend": {"detector": str, "tolerance": float, "red_tolerance": float, "history_years": int,
              "min_history": int, "declines": int, "decline_min_total": float, "layers": list,
              "min_n": int, "min_change_points": float, "red_change_points": float, "confidence": float,
              "poisson_alpha": float, "unusual_z": float, "unusual_min_group": int},
    "peer": {"detector": str, "yellow": float, "red": float, "group_by": list, "group_min_size": int,
             "min_gap_points": float, "min_ratio": float,
             "program_group_by": list,
             "min_group": int, "layers": list, "min_n": int, "log_scale": bool, "pool_below": int},
    "multivariate": {"detector": str, "group_by": list, "min_units": int, "min_indicators": int,
                     "top_drivers": int, "driver_min_z": float, "random_state": int},
    "uncertainty": {"n_floor": int, "confidence": float, "materiality": float, "benchmark_indicators": list,
                    "benchmark_layers": list, "group_column": str, "outcome_items": list,
                    "unusual_gap_z": float},
    "integrity": {"enrolled_status": str},
    "completeness": {"min_share": float, "required_tables": list},
    "benford": {"detector": str, "min_figures": int, "min_value": float, "alpha": float,
                "mad_nonconformity": float, "tables": dict},
    "rules": {},
}
for _section, _keys in _SEVERITY_KEYS.items():
    SCHEMA[_section].update(dict.fromkeys(_keys, SEV))


class ConfigError(ValueError):
    """Every problem of a thresholds file, each with its key."""

    def __init__(self, path: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(f"阈值配置有误 / invalid thresholds file {path}:\n  " + "\n  ".join(problems))


def _type_ok(kind: Any, value: Any) -> bool:
    if kind == SEV:
        return value in ("red", "yellow", "info")
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


@dataclass(frozen=True)
class Thresholds:
    """Checked threshold values and their sources, addressed as ``"section.key"``.

    >>> t = load_thresholds()
    >>> t.value("peer.yellow"), t.source("peer.yellow").startswith("domain.md §7")
    (3.5, True)
    """

    values: dict[str, Any]
    sources: dict[str, str]
    path: str = field(default=str(DEFAULT_PATH))

    def value(self, key: str) -> Any:
        return self.values[key]

    def source(self, key: str) -> str:
        return self.sources[key]

    def section(self, name: str) -> dict[str, Any]:
        prefix = name + "."
        return {k[len(prefix):]: v for k, v in self.values.items() if k.startswith(prefix)}

    def with_values(self, **changes: Any) -> Thresholds:
        """A copy with some values replaced (keys as ``section__key``), for tests and what-ifs."""
        values = dict(self.values)
        for key, value in changes.items():
            dotted = key.replace("__", ".")
            if dotted not in values:
                raise KeyError(dotted)
            values[dotted] = value
        return Thresholds(values, self.sources, self.path)


def parse_thresholds(data: Any, path: str = "<memory>") -> Thresholds:
    """Check a parsed YAML document against :data:`SCHEMA`; raise :class:`ConfigError` with all problems."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    if not isinstance(data, dict):
        raise ConfigError(path, ["文件应为映射 / the file must be a mapping of sections"])
    for section in sorted(set(data) - set(SCHEMA)):
        problems.append(f"{section}: 未知的部分 / unknown section")
    for section, keys in SCHEMA.items():
        given = data.get(section) or {}
        if not isinstance(given, dict):
            problems.append(f"{section}: 应为映射 / must be a mapping")
            continue
        for key in sorted(set(given) - set(keys)):
            problems.append(f"{section}.{key}: 未知的键（拼写错误？）/ unknown key (misspelt?)")
        for key, kind in keys.items():
            name = f"{section}.{key}"
            leaf = given.get(key)
            if leaf is None:
                problems.append(f"{name}: 缺失 / missing")
                continue
            if not isinstance(leaf, dict) or set(leaf) != {"value", "source"}:
                problems.append(f"{name}: 应写成 {{value: …, source: …}} / must be {{value: …, source: …}}")
                continue
            if not isinstance(leaf["source"], str) or not leaf["source"].strip():
                problems.append(f"{name}: 缺少来源 / source missing")
            if not _type_ok(kind, leaf["value"]):
                problems.append(f"{name}: 值 {leaf['value']!r} 类型不对 / wrong type, expected "
                                f"{kind if kind == SEV else kind.__name__}")
            values[name] = float(leaf["value"]) if kind is float and _type_ok(kind, leaf["value"]) \
                else leaf["value"]
            sources[name] = leaf["source"]
    if problems:
        raise ConfigError(path, problems)
    return Thresholds(values, sources, path)


def load_thresholds(path: str | Path | None = None) -> Thresholds:
    """Thresholds from ``path``, ``$ZHENGAI_WARNINGS_CONFIG`` or the packaged ``thresholds.yaml``."""
    path = Path(path or os.environ.get(ENV_VAR) or DEFAULT_PATH)
    with open(path, encoding="utf-8") as fh:
        return parse_thresholds(yaml.safe_load(fh), str(path))
