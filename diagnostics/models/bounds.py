"""Bounds on a model file before it is read: its size and the size of its YAML once aliases expand.

A few hundred bytes of YAML anchors and aliases (``&a [*b, *b, …]``, each level nine times the one
below) describe a document of billions of nodes — "billion laughs".  PyYAML shares the aliased
objects, but every check that walks the document walks each copy, and the messages it writes fill
the memory.  So a file over :data:`MAX_BYTES`, or whose node graph would expand to more than
:data:`MAX_NODES` nodes, is refused with a located, bilingual issue before it is built.
"""

from __future__ import annotations

import os
from pathlib import Path

import yaml

from .spec import ModelIssue

MAX_BYTES = 1_000_000  # the whole library is some 75 kB, its largest file 14 kB
MAX_NODES = 200_000  # expanded nodes of one file (the largest library file has a few thousand)


def file_too_big(path: Path) -> ModelIssue | None:
    """An issue when ``path`` is over :data:`MAX_BYTES` (checked from its size, before reading)."""
    try:
        size = os.stat(path).st_size
    except OSError:
        return None  # reading says why
    if size <= MAX_BYTES:
        return None
    return ModelIssue(str(path), "", f"文件过大（{size:,} 字节，上限 {MAX_BYTES:,} 字节），未读取",
                      f"file too large ({size:,} bytes, at most {MAX_BYTES:,}): not read")


def expanded_size(node: yaml.Node | None, limit: int = MAX_NODES) -> int:
    """How many nodes ``node`` stands for once every alias is expanded (counting stops past ``limit``)."""
    sizes: dict[int, int] = {}

    def size(n: yaml.Node) -> int:
        key = id(n)
        if key in sizes:
            return sizes[key]
        sizes[key] = limit + 1  # a node met again while being counted is a recursive alias
        if isinstance(n, yaml.MappingNode):
            total = 1 + sum(size(k) + size(v) for k, v in n.value)
        elif isinstance(n, yaml.SequenceNode):
            total = 1 + sum(size(v) for v in n.value)
        else:
            total = 1
        sizes[key] = min(total, limit + 1)
        return sizes[key]

    if node is None:
        return 0
    try:
        return size(node)
    except RecursionError:
        return limit + 1


def too_many_nodes(node: yaml.Node | None, where: str) -> ModelIssue | None:
    """An issue when the document ``node`` expands to more than :data:`MAX_NODES` nodes."""
    n = expanded_size(node)
    if n <= MAX_NODES:
        return None
    line = f"line {node.start_mark.line + 1}" if node is not None and node.start_mark else ""
    return ModelIssue(where, line, f"YAML 展开后节点过多（超过 {MAX_NODES:,} 个，多为别名 *… 的层层引用），未读取",
                      f"YAML expands to too many nodes (more than {MAX_NODES:,}, usually aliases *… nested "
                      "in aliases): not read")
