"""Survey instruments (问卷) declared in YAML, one file each, like the indicators.

Files are searched in ``surveys/`` at the repository root and in the folders of
``ZHENGAI_SURVEYS_PATH`` (separated by ``os.pathsep``).  Each file declares one instrument: its name
(毕业生, 用人单位, 在校生, 家长), the contract's ``surveys.survey`` code its answers feed, the indicator
that reads them, its scales (choices, and which of them count as satisfied) and its questions, each
naming the ``surveys`` item its answers feed.  The shape is checked by the indicators' checker: an
unknown key is an error, with the nearest known key suggested.

>>> inst = instrument("毕业生")
>>> inst.feeds, inst.questions[0].item, inst.scale_of(inst.questions[0]).satisfied
('毕业生', '母校总体满意度', ('非常满意', '满意'))
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..contract.tables import SURVEYS
from ..models.schema import Key, ShapeChecker
from ..models.spec import ModelIssue
from ..workflow.errors import InvalidChange

ENV_PATH = "ZHENGAI_SURVEYS_PATH"
REPO_SURVEYS = Path(__file__).resolve().parents[2] / "surveys"

SCALE = {
    "id": Key("id", True),
    "choices_zh": Key("list", True),
    "choices_en": Key("list", True),
    "satisfied": Key("list", True),
}
QUESTION = {
    "id": Key("id", True),
    "text_zh": Key("str", True),
    "text_en": Key("str", True),
    "scale": Key("id", True),
    "item": Key("str", True),
    "required": Key("bool"),
}
FILE = {
    "id": Key("id", True),
    "name_zh": Key("str", True),
    "name_en": Key("str", True),
    "survey": Key("str", True, SURVEYS),
    "indicator": Key("id"),
    "title_zh": Key("str", True),
    "title_en": Key("str", True),
    "intro_zh": Key("str"),
    "intro_en": Key("str"),
    "scales": Key("maplist", True, spec=SCALE),
    "questions": Key("maplist", True, spec=QUESTION),
}


@dataclass(frozen=True)
class Scale:
    id: str
    choices_zh: tuple[str, ...]
    choices_en: tuple[str, ...]
    satisfied: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    id: str
    text_zh: str
    text_en: str
    scale: str
    item: str  # the ``surveys.item`` its answers feed
    required: bool = True


@dataclass(frozen=True)
class Instrument:
    """One questionnaire: what it asks and which ``surveys`` rows its answers become."""

    id: str
    name_zh: str
    name_en: str
    feeds: str  # the contract's ``surveys.survey`` code
    indicator: str | None
    title_zh: str
    title_en: str
    intro_zh: str
    intro_en: str
    scales: tuple[Scale, ...]
    questions: tuple[Question, ...]
    file: str = ""

    def scale_of(self, question: Question) -> Scale:
        return next(s for s in self.scales if s.id == question.scale)

    @property
    def items(self) -> tuple[str, ...]:
        return tuple(q.item for q in self.questions)


def search_path() -> list[Path]:
    extra = [Path(p).expanduser() for p in os.environ.get(ENV_PATH, "").split(os.pathsep) if p.strip()]
    return [REPO_SURVEYS, *extra]


def parse(text: str, file: str = "<text>") -> tuple[Instrument | None, list[ModelIssue]]:
    """An instrument from YAML text, and every problem found (the instrument is None if any is an error)."""
    chk = ShapeChecker(file)
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        chk.issue("", f"YAML 无法解析：{exc}", f"not valid YAML: {exc}")
        return None, chk.issues
    clean = chk.mapping(raw, FILE, "")
    scales = [_scale(chk, s, where) for s, where in clean.get("scales", [])]
    located = [(Question(**{"required": True, **q}), where) for q, where in clean.get("questions", [])
               if set(QUESTION) - {"required"} <= set(q)]
    _semantics(chk, [s for s in scales if s], located)
    questions = [q for q, _ in located]
    if chk.issues or not set(FILE) - {"indicator", "intro_zh", "intro_en"} <= set(clean):
        return None, chk.issues
    return Instrument(clean["id"], clean["name_zh"], clean["name_en"], clean["survey"], clean.get("indicator"),
                      clean["title_zh"], clean["title_en"], clean.get("intro_zh", ""), clean.get("intro_en", ""),
                      tuple(s for s in scales if s), tuple(questions), file), chk.issues


def _scale(chk: ShapeChecker, raw: dict, where: str) -> Scale | None:
    if not set(SCALE) <= set(raw):
        return None
    zh, en, good = tuple(raw["choices_zh"]), tuple(raw["choices_en"]), tuple(raw["satisfied"])
    if len(zh) != len(en):
        chk.issue(f"{where}.choices_en", "中英文选项个数不同", "choices_zh and choices_en differ in length")
    if len(set(zh)) != len(zh):
        chk.issue(f"{where}.choices_zh", "选项重复", "a choice is repeated")
    unknown = [c for c in good if c not in zh]
    if unknown:
        chk.issue(f"{where}.satisfied", f"“满意”选项 {'、'.join(unknown)} 不在 choices_zh 中",
                  f"satisfied choices {', '.join(unknown)} are not among choices_zh")
    return Scale(raw["id"], zh, en, good)


def _semantics(chk: ShapeChecker, scales: list[Scale], located: list[tuple[Question, str]]) -> None:
    known = {s.id for s in scales}
    seen_ids: set[str] = set()
    seen_items: set[str] = set()
    for q, where in located:
        if q.scale not in known:
            chk.issue(f"{where}.scale", f"未定义的量表 {q.scale}", f"undefined scale {q.scale}")
        if q.id in seen_ids:
            chk.issue(f"{where}.id", f"题目标识 {q.id} 重复", f"question id {q.id} is repeated")
        if q.item in seen_items:
            chk.issue(f"{where}.item", f"调查题目 {q.item} 已由另一题填报", f"item {q.item} is fed by another question")
        if len(q.item) > 64:
            chk.issue(f"{where}.item", "调查题目过长（超过64个字符）", "item longer than 64 characters")
        seen_ids.add(q.id)
        seen_items.add(q.item)


def load_file(path: Path) -> Instrument:
    """One instrument file; an :class:`InvalidChange` listing every problem if it is not sound."""
    return _load(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=64)
def _load(path: str, _mtime_ns: int) -> Instrument:
    """Parsed once per version of the file (each request of the form site looks its instrument up)."""
    inst, issues = parse(Path(path).read_text(encoding="utf-8"), path)
    if inst is None:
        text = "\n".join(str(i) for i in issues)
        raise InvalidChange(f"问卷定义有误：\n{text}", f"invalid survey instrument:\n{text}")
    return inst


def instruments() -> dict[str, Instrument]:
    """Every instrument on the search path by its Chinese name (a later folder overrides an earlier one)."""
    found: dict[str, Instrument] = {}
    for folder in search_path():
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            inst = load_file(path)
            found[inst.name_zh] = inst
    return found


def instrument(name: str) -> Instrument:
    """The instrument named ``name`` (Chinese name or id)."""
    known = instruments()
    for inst in known.values():
        if name in (inst.name_zh, inst.id):
            return inst
    raise InvalidChange(f"没有问卷 {name}（可选：{'、'.join(known)}）",
                        f"no survey instrument {name} (known: {', '.join(i.id for i in known.values())})")
