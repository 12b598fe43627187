"""Where a report's numbers come from: the record every report carries on its closing appendix."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Provenance:
    """Where the numbers come from: data version, indicator model, compute run, generation time."""

    generated_at: datetime
    data_version: str  # e.g. "v2（导入批次 #3，2025-01-05 10:12）"
    model_version: str = ""
    run_id: int | None = None
    stale: bool = False  # the values were computed from an older data version than the current one

    @property
    def generated_text(self) -> str:
        return self.generated_at.strftime("%Y-%m-%d %H:%M")

    @property
    def date_text(self) -> str:
        """The date of the report as a filed document writes it: 2025 年 3 月 1 日."""
        d = self.generated_at
        return f"{d.year} 年 {d.month} 月 {d.day} 日"

    @property
    def footer(self) -> str:
        """Where the numbers come from, in one line (the closing appendix and the data sheet only)."""
        parts = [f"状态数据 {self.data_version}"]
        if self.model_version:
            parts.append(f"指标模型 {self.model_version[:8]}")
        if self.run_id is not None:
            parts.append(f"计算批次 #{self.run_id}")
        return " · ".join(parts) + f" · 生成于 {self.generated_text}"
