"""Finding, reading and checking model files.

Model files are searched in ``indicators/`` at the repository root and in the
folders of ``ZHENGAI_INDICATORS_PATH`` (separated by ``os.pathsep``).  Every
``*.yaml`` / ``*.yml`` file below a folder is read; ``README`` files and
folders starting with ``.`` or ``_`` are skipped.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import yaml

from .bounds import file_too_big, too_many_nodes
from .registry import MeasureRegistry, default_registry
from .schema import check_file
from .semantic import SemanticChecker
from .spec import ERROR, WARNING, Indicator, Measure, ModelIssue, ModelSet

ENV_PATH = "ZHENGAI_INDICATORS_PATH"
REPO_INDICATORS = Path(__file__).resolve().parents[2] / "indicators"


def default_paths() -> list[Path]:
    """``indicators/`` at the repository root, then the folders of ``ZHENGAI_INDICATORS_PATH``."""
    extra = [Path(p).expanduser() for p in os.environ.get(ENV_PATH, "").split(os.pathsep) if p.strip()]
    return [REPO_INDICATORS, *extra]


def model_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[ModelIssue]]:
    files: list[Path] = []
    issues: list[ModelIssue] = []
    for raw in paths:
        path = Path(raw)
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
                           and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts))
            files.extend(found)
        else:
            issues.append(ModelIssue(str(path), "", "模型路径不存在", "model path does not exist"))
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, issues


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A YAML loader that notes duplicate keys instead of silently keeping the last (libyaml's parser
    where PyYAML has it: reading the library is then ten times faster)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int]] = []

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                self.duplicates.append((key, key_node.start_mark.line + 1))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_yaml(path: Path) -> tuple[object, list[ModelIssue]]:
    """The data of one model file, bounded before any work (:mod:`.bounds`), and its reading issues."""
    refused = file_too_big(path)
    if refused:
        return None, [refused]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [ModelIssue(str(path), "", f"无法读取文件: {exc}", f"cannot read the file: {exc}")]
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        refused = too_many_nodes(node, str(path))
        if refused:
            return None, [refused]
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else ""
        problem = f"{getattr(exc, 'problem', None) or exc}" + (f" (column {mark.column + 1})" if mark else "")
        return None, [ModelIssue(str(path), where, f"YAML 语法错误: {problem}", f"YAML syntax error: {problem}")]
    finally:
        loader.dispose()
    issues = [ModelIssue(str(path), f"line {line}", f"重复的键 {key}", f"duplicate key {key}")
              for key, line in loader.duplicates]
    return data, issues


def files_version(files: Iterable[Path]) -> str:
    """A hash of the model files' names and contents: the model version of computed values."""
    digest = hashlib.sha256()
    for path in sorted(files, key=lambda p: (p.name, str(p))):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _located_in(issue: ModelIssue, obj: Measure | Indicator) -> bool:
    return (issue.level == ERROR and issue.file == obj.file
            and (issue.key == obj.key or issue.key.startswith((obj.key + ".", obj.key + "["))))


def load_models(paths: Iterable[str | Path] | None = None,
                registry: MeasureRegistry | None = None) -> tuple[ModelSet, list[ModelIssue]]:
    """Read and check every model file; return the sound models and every issue found.

    Measures and indicators with an error are left out of the :class:`ModelSet`,
    and so are the indicators that depend on them (each with a warning).
    """
    registry = registry if registry is not None else default_registry()
    files, issues = model_files(default_paths() if paths is None else paths)
    issues += [ModelIssue(f"entry point {name}", "zhengai.measures", f"度量插件加载失败: {why}",
                          f"measure plug-in failed to load: {why}", WARNING)
               for name, why in registry.failures.items()]
    measures: list[Measure] = []
    indicators: list[Indicator] = []
    for path in files:
        data, read_issues = read_yaml(path)
        issues += read_issues
        if read_issues and data is None:
            continue
        ms, inds, shape_issues = check_file(data, str(path))
        measures += ms
        indicators += inds
        issues += shape_issues
    checker = SemanticChecker(measures, indicators, registry)
    order = checker.run()
    issues += checker.issues
    good_measures = {k: m for k, m in checker.measures.items() if not any(_located_in(i, m) for i in issues)}
    good: dict[str, Indicator] = {}
    for name in order:
        ind = checker.indicators[name]
        if any(_located_in(i, ind) for i in issues):
            continue
        missing = [d for d in (*ind.measures, *ind.inputs)
                   if d not in good_measures and d not in good and (d in checker.measures or d in checker.indicators)]
        if missing:
            issues.append(ModelIssue(ind.file, ind.key, f"已跳过：依赖有错误的 {'、'.join(missing)}",
                                     f"skipped: depends on {', '.join(missing)}, which has errors", WARNING))
            continue
        good[name] = ind
    models = ModelSet(measures=good_measures,
                      indicators=good, files=tuple(files), version=files_version(files), registry=registry)
    return models, issues


def validate_paths(paths: Iterable[str | Path] | None = None,
                   registry: MeasureRegistry | None = None) -> list[ModelIssue]:
    """Every issue of the model files under ``paths`` (default: the search path)."""
    return load_models(paths, registry)[1]
