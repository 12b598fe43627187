"""Trying a new indicator definition on the loaded data, without storing anything.

The pasted YAML is written to a private temporary folder and loaded together with the model
folders (so it may use every existing measure); its issues are reported, file by file and key by
key.  The new indicators, with only the measures and indicators they need, are then evaluated
for the current data versions of the schools in scope by the engine's own evaluation
(:func:`diagnostics.engine.compute.evaluate`): the same SQL and arithmetic as ``zhengai compute``,
but the values are returned, not written.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ...models import ModelSet, default_paths, load_models
from ...models.spec import ERROR, ModelIssue

TRIAL_FILE = "trial.yaml"


@dataclass
class Trial:
    """The outcome of checking a pasted definition: its issues and the models holding it."""

    issues: list[ModelIssue] = field(default_factory=list)
    models: ModelSet | None = None
    new_ids: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return bool(self.new_ids) and not any(i.level == ERROR for i in self.issues)


def check(text: str, known: ModelSet | None = None) -> Trial:
    """Load the model folders plus ``text`` (as one more file); keep the issues of that file.

    ``known``: the models already loaded (default: read them); an indicator of ``text`` is new
    when its id is not among them.
    """
    with tempfile.TemporaryDirectory(prefix="zhengai-trial-") as tmp:
        path = Path(tmp) / TRIAL_FILE
        path.write_text(text, encoding="utf-8")
        before = known if known is not None else load_models()[0]
        models, issues = load_models([*default_paths(), path])
        mine = [ModelIssue(TRIAL_FILE, i.key, i.message_zh, i.message_en, i.level) for i in issues
                if Path(i.file).name == TRIAL_FILE or str(path) in i.file]
        new_ids = tuple(i for i, ind in models.indicators.items()
                        if Path(ind.file).name == TRIAL_FILE and i not in before.indicators)
        if not new_ids and not mine:
            mine.append(ModelIssue(TRIAL_FILE, "indicators", "没有找到新的指标定义（indicators: 下的 id 须为新的）",
                                   "no new indicator found (an id under indicators: must be new)"))
        return Trial(mine, models, new_ids)


def subset(models: ModelSet, ids: tuple[str, ...]) -> ModelSet:
    """``ids`` with every indicator and measure they depend on (in the models' order)."""
    need: set[str] = set()
    stack = list(ids)
    while stack:
        name = stack.pop()
        if name in need or name not in models.indicators:
            continue
        need.add(name)
        stack.extend(models.indicators[name].inputs)
    indicators = {k: v for k, v in models.indicators.items() if k in need}
    measures = {m: models.measures[m] for ind in indicators.values() for m in ind.measures if m in models.measures}
    return ModelSet(measures, indicators, models.files, f"{models.version}-trial", models.registry)


def evaluate_trial(engine: object, trial: Trial, schools: list[str], years: list[int]) -> pd.DataFrame:
    """Values of the new indicators for the current data of ``schools`` in ``years`` (nothing stored)."""
    from ...engine.compute import evaluate
    from ...engine.persist import current_versions, school_info

    models = subset(trial.models, trial.new_ids)
    with engine.connect() as conn:  # type: ignore[attr-defined]
        todo = current_versions(conn, schools, years)
        if todo.empty:
            return pd.DataFrame(columns=["school_id", "year", "layer", "unit", "indicator_id", "value", "level"])
        values = evaluate(conn, models, todo, school_info(conn))
    return values[values["indicator_id"].isin(trial.new_ids)].reset_index(drop=True)


EXAMPLE = """indicators:
  - id: trial_senior_share
    name_zh: 高级职称专任教师比例（试算）
    name_en: share of senior-title full-time teachers (trial)
    definition_zh: 高级职称专任教师数 ÷ 专任教师数 × 100%
    definition_en: full-time teachers with a senior title ÷ full-time teachers × 100%
    unit: "%"
    direction: higher_is_better
    layers: [school]
    items: [教师队伍建设]
    period: {year: academic, kind: stock}
    ratio: {numerator: senior_title_teachers, denominator: fulltime_teachers, factor: 100}
    standards:
      - {level: 合格, value: 20, school_levels: [中职], source: "教职成〔2010〕12号《中等职业学校设置标准》",
         article: 第七条, printed: 具有高级专业技术职务人数不低于20%, verified: true}
"""
