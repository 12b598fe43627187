"""Indicator libraries for tests.

``verified_restrictions()``: the library as a province would have it after reading the 专科 限制招生
table of 教发〔2004〕2号 in its published text — the reference values of the basic indicators' 限制招生
rows marked verified (with an article and the value as printed).  The shipped library keeps them as
reference values (indicators/SOURCES.md), so cards can only be tested with this copy.
"""

from __future__ import annotations

import functools
import re
import shutil
import tempfile
from pathlib import Path

from diagnostics.models import MeasureRegistry, load_models
from diagnostics.models.loader import REPO_INDICATORS


@functools.cache
def verified_restrictions() -> object:
    copy = Path(tempfile.mkdtemp(prefix="zhengai_models_")) / "indicators"
    shutil.copytree(REPO_INDICATORS, copy)
    path = copy / "basic_conditions.yaml"
    text = re.sub(r"(level: 限制招生, value: ([\d.]+),(?:[^}]|\n)*?)verified: false",
                  r'\1article: 附件 限制招生表, printed: "\2", verified: true', path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    models, issues = load_models([copy], registry=MeasureRegistry())
    assert not [i for i in issues if i.level == "error"], issues
    return models
