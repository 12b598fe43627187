"""The selection (遴选): a composite management index declared in YAML (:mod:`.spec`), its scores, ranks,
rank intervals and weight sensitivity (:mod:`.score`), eligibility and the result (:mod:`.run`)."""

from .run import RESULT_COLUMNS, Facts, gather, select
from .spec import SelectionSpec, SelectionSpecError, load_spec, parse_spec

__all__ = ["RESULT_COLUMNS", "Facts", "SelectionSpec", "SelectionSpecError", "gather", "load_spec", "parse_spec",
           "select"]
