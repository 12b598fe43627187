"""Regenerate the committed sample province in ``data/sample/``.

Run from the repository root::

    .venv/bin/python data/make_sample.py

It is the same as ``zhengai sample data/sample --schools 18 --years 5 --seed 2024 --scale 0.3``.
The files are byte-identical on every run (same seed, same arguments).
"""

from __future__ import annotations

from pathlib import Path

from diagnostics.sample import generate

#: The committed sample: 18 schools (7 高职, 11 中职), 2020–2024, head counts at 30% (about 20 MB).
SAMPLE = {"schools": 18, "years": 5, "seed": 2024, "first_year": 2020, "scale": 0.3}


def main() -> None:
    out = Path(__file__).resolve().parent / "sample"
    print(generate(out, **SAMPLE))


if __name__ == "__main__":
    main()
