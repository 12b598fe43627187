"""Pseudonymised output for researchers: school ids and names become stable codes.

A code is ``SCH-`` and the first 10 hex digits of HMAC-SHA256 over the school
id, keyed with the deployment's secret (the one that hashes ID numbers), so it
is the same in every session of a deployment and cannot be reversed without
the key.  Any school name inside free text is replaced by the code as well.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd
from pandas.api.types import is_object_dtype, is_string_dtype

NAME_COLUMNS = ("name", "school_name")


def school_code(school_id: str, key: bytes) -> str:
    digest = hmac.new(key, f"school:{school_id}".encode(), hashlib.sha256).hexdigest()
    return f"SCH-{digest[:10].upper()}"


class Pseudonymiser:
    """Replaces school ids and names by codes in frames, rows and text."""

    def __init__(self, names: Mapping[str, str], key: bytes) -> None:
        self._key = key
        self.codes = {sid: school_code(sid, key) for sid in names}
        self.name_codes = {name: self.codes[sid] for sid, name in names.items() if name}
        ordered = sorted(self.name_codes, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def text(self, value: str) -> str:
        if self._pattern is None:
            return value
        return self._pattern.sub(lambda m: self.name_codes[m.group(0)], value)

    def _cell(self, value: Any) -> Any:  # noqa: ANN401
        return self.text(value) if isinstance(value, str) else value

    def _school_id(self, value: Any) -> Any:  # noqa: ANN401
        if value is None or (isinstance(value, float) and value != value):
            return value
        return self.codes.get(str(value)) or school_code(str(value), self._key)

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        for col in out.columns:
            if col == "school_id":
                out[col] = out[col].map(self._school_id)
            elif col in NAME_COLUMNS and "school_id" in frame.columns:
                out[col] = frame["school_id"].map(self._school_id)
            elif is_object_dtype(out[col]) or is_string_dtype(out[col]):
                out[col] = out[col].map(self._cell)
        return out

    def row(self, row: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in row.items():
            if key == "school_id":
                out[key] = self._school_id(value)
            elif key in NAME_COLUMNS and "school_id" in row:
                out[key] = self._school_id(row["school_id"])
            else:
                out[key] = self._cell(value)
        return out
