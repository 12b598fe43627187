"""The detector registry: built-in detectors plus plug-ins of the entry-point group ``zhengai.detectors``.

A plug-in is a class on the scikit-learn outlier contract (:mod:`.detectors.base`), announced in its
package's metadata::

    [project.entry-points."zhengai.detectors"]
    my_detector = "my_package.module:MyDetector"

A plug-in that cannot be imported, or is not a detector, does not break the registry: it is left
out and listed in :func:`failures` with the reason, in Chinese and English.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points

from .detectors.benford import BenfordFirstDigit
from .detectors.multivariate import StandardisedIsolationForest, StandardisedLOF
from .detectors.robust import ModifiedZScore, ZScore
from .detectors.trend import TrendRatio

GROUP = "zhengai.detectors"
BUILTIN: dict[str, type] = {
    "modified_z": ModifiedZScore,
    "zscore": ZScore,
    "trend_ratio": TrendRatio,
    "isolation_forest": StandardisedIsolationForest,
    "lof": StandardisedLOF,
    "benford": BenfordFirstDigit,
}
CONTRACT = ("fit", "score_samples", "decision_function", "predict", "get_params", "set_params")


@dataclass(frozen=True)
class PluginFailure:
    name: str
    target: str
    error: str

    def __str__(self) -> str:
        return f"检测器插件 {self.name} ({self.target}) 未加载 / detector plug-in not loaded: {self.error}"


_cache: tuple[dict[str, type], list[PluginFailure]] | None = None


def _load() -> tuple[dict[str, type], list[PluginFailure]]:
    found = dict(BUILTIN)
    failed: list[PluginFailure] = []
    for ep in entry_points(group=GROUP):
        try:
            obj = ep.load()
            missing = [m for m in CONTRACT if not callable(getattr(obj, m, None))]
            if not isinstance(obj, type) or missing:
                raise TypeError(f"not a detector class (missing {', '.join(missing) or 'a class'})")
        except Exception as exc:  # noqa: BLE001 - a broken plug-in must not break the others
            failed.append(PluginFailure(ep.name, ep.value, f"{type(exc).__name__}: {exc}"))
            continue
        if ep.name in BUILTIN:
            failed.append(PluginFailure(ep.name, ep.value, "name taken by a built-in detector"))
            continue
        found[ep.name] = obj
    return found, failed


def detectors(reload: bool = False) -> dict[str, type]:
    """Every usable detector class by name (built-ins first, then plug-ins)."""
    global _cache
    if _cache is None or reload:
        _cache = _load()
    return dict(_cache[0])


def failures() -> list[PluginFailure]:
    """Plug-ins that could not be loaded, with the reason."""
    detectors()
    return list(_cache[1]) if _cache else []


def make(name: str, **params: object) -> object:
    """A new, unfitted detector ``name`` with ``params``."""
    found = detectors()
    if name not in found:
        raise KeyError(f"未知的检测器 / unknown detector {name!r}; available: {', '.join(sorted(found))}")
    return found[name](**params)
