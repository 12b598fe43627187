"""The bilingual error of the improvement cycle's rules."""

from __future__ import annotations


class BilingualError(Exception):
    """An error whose ``zh`` and ``en`` messages say the same thing."""

    def __init__(self, zh: str, en: str) -> None:
        super().__init__(f"{zh} / {en}")
        self.zh = zh
        self.en = en


class InvalidChange(BilingualError, ValueError):
    """A change the rules do not allow (unknown field, missing reason, bad status)."""


class InvalidInput(BilingualError, ValueError):
    """Input zhengai refuses before doing anything (a weak key file, an oversized model file):
    the command exits 2 and nothing is changed."""
