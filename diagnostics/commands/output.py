"""Printing frames in the formats the CLI offers: table, csv, json."""

from __future__ import annotations

import json
import sys

import pandas as pd

from ..io.cells import write_csv

FORMATS = ("table", "csv", "json")


def emit(frame: pd.DataFrame, fmt: str, stream=None) -> None:  # noqa: ANN001
    """Write ``frame`` to ``stream`` (stdout) as an aligned table, CSV or JSON records."""
    stream = stream or sys.stdout
    if fmt == "csv":
        write_csv(frame, stream, lineterminator="\n")  # text a spreadsheet would evaluate gets a leading '
    elif fmt == "json":
        records = json.loads(frame.to_json(orient="records", force_ascii=False, double_precision=15))
        json.dump(records, stream, ensure_ascii=False, indent=1)
        stream.write("\n")
    else:
        if frame.empty:
            stream.write("（无结果 / no rows）\n")
            return
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                               "display.max_colwidth", 60):
            stream.write(frame.to_string(index=False, float_format=lambda v: f"{v:.6g}") + "\n")
