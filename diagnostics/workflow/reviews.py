"""Expert reviews (专家复核): conclusions and the consolidated view of several reviewers."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import yaml

from .errors import InvalidChange

CONCLUSIONS_FILE = Path(__file__).with_name("review_conclusions.yaml")
EDITABLE = frozenset({"score", "comment", "conclusion"})
CONSOLIDATED_COLUMNS = ["school_id", "year", "item", "reviewers", "score_mean", "score_min", "score_max",
                        "score_spread", "conclusions", "consensus", "agreed"]


@cache
def conclusions() -> dict[str, str]:
    """Conclusion code -> bilingual label, best first (from ``review_conclusions.yaml``)."""
    data = yaml.safe_load(CONCLUSIONS_FILE.read_text(encoding="utf-8"))
    return {c["code"]: f"{c['zh']} / {c['en']}" for c in data["conclusions"]}


def check_review(changes: dict) -> dict:
    """Validate a review's conclusion and score."""
    code = changes.get("conclusion")
    if code is not None and code not in conclusions():
        raise InvalidChange(f"未知复核结论 {code!r}，应为 {', '.join(conclusions())}",
                            f"unknown conclusion {code!r}; one of {', '.join(conclusions())}")
    score = changes.get("score")
    if score is not None and not 0 <= float(score) <= 100:
        raise InvalidChange(f"分数 {score} 应在 0–100 之间", f"score {score} must be within 0–100")
    return changes


def _consensus(codes: pd.Series) -> str | None:
    """The most frequent conclusion; a tie goes to the worse one (the cautious reading)."""
    counts = codes.dropna().value_counts()
    if counts.empty:
        return None
    top = counts[counts == counts.max()].index
    order = list(conclusions())
    return max(top, key=order.index)


def consolidate(reviews: pd.DataFrame) -> pd.DataFrame:
    """One row per school, year and diagnosis item: how many reviewers, scores, conclusions, consensus."""
    if reviews.empty:
        return pd.DataFrame(columns=CONSOLIDATED_COLUMNS)
    rows = []
    for (school, year, item), grp in reviews.groupby(["school_id", "year", "item"], sort=True):
        scores = pd.to_numeric(grp["score"], errors="coerce").dropna()
        codes = grp["conclusion"]
        counts = codes.dropna().value_counts()
        rows.append({
            "school_id": school, "year": int(year), "item": item, "reviewers": int(grp["reviewer"].nunique()),
            "score_mean": scores.mean() if len(scores) else None,
            "score_min": scores.min() if len(scores) else None,
            "score_max": scores.max() if len(scores) else None,
            "score_spread": (scores.max() - scores.min()) if len(scores) else None,
            "conclusions": ", ".join(f"{conclusions()[c].split(' / ')[0]}×{n}" for c, n in counts.items()),
            "consensus": _consensus(codes),
            "agreed": bool(codes.notna().all() and codes.nunique() == 1),
        })
    return pd.DataFrame(rows, columns=CONSOLIDATED_COLUMNS)
