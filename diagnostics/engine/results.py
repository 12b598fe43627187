"""``ResultSet``: computed values that explain themselves.

>>> rs = compute(engine, models)                          # doctest: +SKIP
>>> rs.to_frame().columns.tolist()                         # doctest: +SKIP
['school_id', 'year', 'layer', 'unit', 'indicator_id', 'value', 'numerator', 'denominator', 'n', 'level']
>>> rs.pivot(by="school")                                  # doctest: +SKIP  (school × indicator)
>>> rs.details()                                           # doctest: +SKIP  (+ thresholds, score, target, gap)
"""

from __future__ import annotations

import html
from concurrent.futures import Future

import pandas as pd

from ..models.spec import ModelSet
from .arith import VALUE_COLUMNS
from .standards import higher_is_better, ratio_score, target_gaps, thresholds

FRAME_COLUMNS = [*VALUE_COLUMNS, "level"]
HEADERS_ZH = {"school_id": "学校", "year": "年度", "layer": "层次", "unit": "单元", "indicator_id": "指标",
              "value": "值", "numerator": "分子", "denominator": "分母", "n": "n", "level": "等级"}
HTML_ROWS = 40


class ResultSet:
    """Indicator values with the models, schools and targets needed to explain them.

    ``values`` holds the columns of :data:`FRAME_COLUMNS` (and possibly provenance:
    ``run_id, model_version, data_version_id``).
    """

    def __init__(self, values: pd.DataFrame, models: ModelSet, schools: pd.DataFrame | None = None,
                 targets: pd.DataFrame | None = None, run_id: int | None = None,
                 stored: Future | None = None) -> None:
        self.values = values
        self.stored = stored  # the write of a background compute (see compute(background=True))
        self.models = models
        self.schools = schools if schools is not None else pd.DataFrame(
            columns=["school_id", "name", "level", "category"])
        self.targets = targets
        self.run_id = run_id

    def wait_stored(self) -> None:
        """Block until the values are committed to the store (at once unless computed in the
        background); raise what the write raised."""
        if self.stored is not None:
            self.stored.result()

    # ------------------------------------------------------------------ frames
    def to_frame(self) -> pd.DataFrame:
        """One row per value: ``school_id, year, layer, unit, indicator_id, value, numerator, denominator, n, level``."""
        return self.values[FRAME_COLUMNS].copy()

    def details(self) -> pd.DataFrame:
        """Values with the indicator's name and unit, the thresholds that apply (with their
        source and verified mark), the ratio-method score, the target and the gap to it."""
        values = self.to_frame()
        th = thresholds(values, self.models, self.schools)
        ind = self.models.indicators
        higher = higher_is_better(values, self.models)
        weight = values["indicator_id"].map(lambda i: ind[i].weight if i in ind else 1.0).astype(float)
        out = values.assign(
            name_zh=values["indicator_id"].map(lambda i: ind[i].name_zh if i in ind else i),
            indicator_unit=values["indicator_id"].map(lambda i: ind[i].unit if i in ind else ""),
            direction=values["indicator_id"].map(lambda i: ind[i].direction if i in ind else ""),
        )
        out = pd.concat([out, th], axis=1)
        out["weight"] = weight
        out["score"] = ratio_score(values["value"], th["qualified"], th["restriction"], weight, higher)
        targets = self.targets if self.targets is not None else pd.DataFrame(
            columns=["school_id", "year", "indicator_id", "program_code", "teacher_key", "target"])
        gaps = target_gaps(values, targets, self.models, th["default_target"])
        return pd.concat([out.drop(columns=["default_target"]), gaps], axis=1)

    def pivot(self, by: str = "school", layer: str = "school", year: int | None = None,
              school: str | None = None, labels: str = "id") -> pd.DataFrame:
        """A table of values: ``by="school"`` gives school × indicator for one year
        (default: the latest), ``by="year"`` gives year × indicator for one school
        (default: the only school).  ``labels="zh"`` heads the columns with Chinese names."""
        frame = self.to_frame()
        frame = frame[frame["layer"] == layer]
        if by == "school":
            year = year if year is not None else (int(frame["year"].max()) if len(frame) else None)
            frame = frame[frame["year"] == year]
            rows = "school_id" if layer == "school" else ["school_id", "unit"]
        elif by == "year":
            if school is None:
                found = frame["school_id"].unique()
                if len(found) > 1:
                    raise ValueError(f"请指定学校（共 {len(found)} 所） / choose a school: {len(found)} in the set")
                school = found[0] if len(found) else None
            frame = frame[frame["school_id"] == school]
            rows = "year" if layer == "school" else ["year", "unit"]
        else:
            raise ValueError(f"by 应为 school 或 year / by must be 'school' or 'year', not {by!r}")
        table = frame.pivot_table(index=rows, columns="indicator_id", values="value", aggfunc="first")
        order = [i for i in self.models.indicators if i in table.columns]
        table = table[order + [c for c in table.columns if c not in order]]
        table.columns.name = None
        if labels == "zh":
            table = table.rename(columns=self.label)
        return table

    def label(self, indicator_id: str) -> str:
        """The Chinese name of an indicator, with its unit unless dimensionless."""
        ind = self.models.indicators.get(indicator_id)
        if ind is None:
            return indicator_id
        return ind.name_zh if ind.unit in ("", "1") else f"{ind.name_zh}（{ind.unit}）"

    def cards(self) -> pd.DataFrame:
        """Yellow and red cards of 教发〔2004〕2号 (see :func:`diagnostics.engine.cards`)."""
        from .cards import cards

        return cards(self)

    # ----------------------------------------------------------------- display
    def __len__(self) -> int:
        return len(self.values)

    def __repr__(self) -> str:
        years = sorted(self.values["year"].unique()) if len(self) else []
        span = f"{years[0]}–{years[-1]}" if years else "—"
        return (f"ResultSet({len(self)} values, {self.values['school_id'].nunique() if len(self) else 0} "
                f"schools, years {span}, model {self.models.version}, run {self.run_id})")

    def _repr_html_(self) -> str:
        caption = html.escape(f"指标结果 / indicator values — {self!r}")
        if not len(self):
            return f"<div><p>{caption}</p><p>无数据 / no values</p></div>"
        several = self.values["school_id"].nunique() > 1
        table = self.pivot(by="school" if several else "year", labels="zh")
        table.index.name = HEADERS_ZH["school_id"] if several else HEADERS_ZH["year"]
        shown = table.head(HTML_ROWS)
        more = "" if len(table) <= HTML_ROWS else f"<p>… {len(table) - HTML_ROWS} more rows</p>"
        body = shown.to_html(escape=True, float_format=lambda v: f"{v:,.4g}", na_rep="—")
        return f"<div><p>{caption}</p>{body}{more}</div>"
