"""State and actions of the indicator explorer (指标模型); no widgets.

Browse the indicator models (definition, formula, measures, standards with their sources), see
an indicator's distribution over the schools and its correlation with the others in a year, and
try a new definition pasted as YAML (:mod:`.trial`): validate it, then compute it on the loaded
data without storing anything.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
from traitlets import Instance, Int, List, Unicode

from ...models.spec import ERROR
from ..base import AppModel
from ..jobs import Job
from .trial import EXAMPLE, Trial, check, evaluate_trial


def chinese_issue(message: str, key: str = "") -> str:
    """A checker's message with its English parts (a YAML parser's words) said in Chinese."""
    if message.startswith("YAML 语法错误"):
        column = re.search(r"column (\d+)", message)
        line = re.search(r"(\d+)", key or "")
        where = f"第 {line.group(1)} 行" if line else ""
        where += f"第 {column.group(1)} 列" if column else ""
        return f"YAML 语法错误：{where}附近格式不正确（括号、引号未配对或缩进有误）"
    return message


class ExplorerModel(AppModel):
    item = Unicode("")
    search = Unicode("")
    indicator = Unicode("")
    compare = Unicode("")
    year = Int(0)
    years = List()
    yaml_text = Unicode(EXAMPLE)
    yaml_issues = List()
    trial_job = Instance(Job)

    def __init__(self, ctx: Any = None, data: Any = None) -> None:  # noqa: ANN401
        super().__init__(ctx, data)
        self.trial_job = Job()
        self.years = sorted({int(y) for y in self.data.values["year"]})
        self.year = self.years[-1] if self.years else 0
        ids = self.indicator_ids()
        self.indicator = ids[0] if ids else ""
        self.compare = ids[1] if len(ids) > 1 else ""
        self.trial: Trial | None = None

    @property
    def models(self) -> Any:  # noqa: ANN401
        return self.ctx.models

    def items(self) -> list[str]:
        return sorted({i for ind in self.models.indicators.values() for i in ind.items})

    def indicator_ids(self) -> list[str]:
        text = self.search.strip().lower()
        return [i for i, ind in self.models.indicators.items()
                if (not self.item or self.item in ind.items)
                and (not text or text in i.lower() or text in ind.name_zh or text in ind.name_en.lower())]

    def name(self, indicator_id: str) -> str:
        ind = self.models.indicators.get(indicator_id)
        return indicator_id if ind is None else (ind.name_en if self.lang == "en" else ind.name_zh)

    def definition(self, indicator_id: str | None = None) -> dict:
        """The indicator as declared: texts, formula, the measures it reads, standards with sources."""
        from .words import AGGS, column_words, table_name, word

        ind, lang = self.models.indicators[indicator_id or self.indicator], self.lang
        measure_name = {m.id: (m.name_en if lang == "en" else m.name_zh) for m in self.models.measures.values()}
        if ind.kind == "ratio":
            formula = (f"{measure_name.get(ind.numerator, ind.numerator)} ÷ "
                       f"{measure_name.get(ind.denominator, ind.denominator)} × {ind.factor:g}")
        elif ind.kind == "derived":
            formula = ind.expr_text
        else:
            formula = f"{measure_name.get(ind.measure, ind.measure)} × {ind.factor:g}"
        measures = [{"id": m.id, "name": measure_name[m.id], "table": table_name(m.table or "", lang),
                     "agg": word(AGGS, m.agg, lang) if m.agg else (self.t("by_program") if m.python else "—"),
                     "filter": column_words(m.filter_text, m.table or "", lang),
                     "expr": column_words(m.expr_text, m.table or "", lang)}
                    for m in (self.models.measures.get(n) for n in ind.measures) if m is not None]
        standards = [{"level": s.level if s.verified else f"{self.t('reference')}（{s.level}）", "value": s.value,
                      "school_levels": "、".join(s.school_levels) or self.t("all"),
                      "categories": "、".join(s.categories) or self.t("all"), "layers": "、".join(s.layers),
                      "source": s.source, "verified": s.verified, "article": s.article,
                      "printed": s.printed} for s in ind.standards]
        return {"id": ind.id, "name_zh": ind.name_zh, "name_en": ind.name_en, "unit": ind.unit,
                "direction": ind.direction, "definition_zh": ind.definition_zh, "definition_en": ind.definition_en,
                "layers": list(ind.layers), "items": list(ind.items), "kind": ind.kind, "formula": formula,
                "missing": ind.missing, "period": f"{ind.year_convention}/{ind.period_kind}", "file": ind.file,
                "measures": measures, "standards": standards}

    def values(self, indicator_id: str | None = None) -> pd.DataFrame:
        """School-layer values of the schools in scope in the chosen year (with level and city)."""
        v = self.data.values
        v = v[(v["year"] == self.year) & (v["layer"] == "school") & (v["indicator_id"] == (indicator_id or
                                                                                           self.indicator))]
        return v.merge(self.data.schools.reindex(columns=["school_id", "name", "city"]), on="school_id", how="left")

    def correlations(self, top: int = 12) -> pd.DataFrame:
        """Rank correlation (Spearman) of the indicator with every other over the schools of the year."""
        v = self.data.values
        v = v[(v["year"] == self.year) & (v["layer"] == "school")]
        wide = v.pivot_table(index="school_id", columns="indicator_id", values="value", aggfunc="first")
        if self.indicator not in wide:
            return pd.DataFrame(columns=["indicator_id", "rho", "n"])
        ranks = wide.rank()
        me = ranks[self.indicator]
        rows = []
        for other in ranks.columns:
            if other == self.indicator:
                continue
            both = me.notna() & ranks[other].notna()
            if both.sum() >= 5 and ranks.loc[both, other].nunique() > 1 and me[both].nunique() > 1:
                rows.append({"indicator_id": other, "rho": float(np.corrcoef(me[both], ranks.loc[both, other])[0, 1]),
                             "n": int(both.sum())})
        out = pd.DataFrame(rows, columns=["indicator_id", "rho", "n"])
        return out.reindex(out["rho"].abs().sort_values(ascending=False).index).head(top).reset_index(drop=True)

    def pairs(self) -> pd.DataFrame:
        """The chosen indicator against ``compare``: one row per school (x, y, level)."""
        a, b = self.values(self.indicator), self.values(self.compare)
        return a[["school_id", "value", "school_level"]].merge(b[["school_id", "value"]], on="school_id",
                                                                suffixes=("_x", "_y"))

    # ---- trying a new definition ----------------------------------------------------------------
    def check_yaml(self, text: str | None = None) -> Trial | None:
        if text is not None:
            self.yaml_text = text
        trial = None
        with self.guarded():
            trial = check(self.yaml_text, self.models)
            self.trial = trial
            self.yaml_issues = [{"key": i.key, "level": i.level, "message_zh": chinese_issue(i.message_zh, i.key),
                                 "message_en": i.message_en} for i in trial.issues]
            if not trial.ok:  # the results of an earlier valid definition do not stay on screen
                self.trial_job.set_trait("result", None)
                self.trial_job.state = "idle"
            self.tell(self.t("yaml_ok") + f"：{', '.join(trial.new_ids)}" if trial.ok else self.t("yaml_bad"),
                      "ok" if trial.ok else "error")
        return trial

    def start_trial(self, text: str | None = None) -> bool:
        """Validate, then compute the new indicators for the year (in a thread); result: a values frame."""
        trial = self.check_yaml(text)
        if trial is None or not trial.ok:
            return False
        schools, year, engine = self.data.schools["school_id"].tolist(), self.year, self.ctx.engine

        def work(report: Any) -> pd.DataFrame:  # noqa: ANN401
            report(0.2, "计算 / computing")
            values = evaluate_trial(engine, trial, schools, [year])
            names = dict(zip(self.data.schools["school_id"], self.data.schools["name"]))
            return values.assign(name=values["school_id"].map(names))

        return self.trial_job.start(work)

    @property
    def yaml_errors(self) -> int:
        return sum(1 for i in self.yaml_issues if i["level"] == ERROR)
