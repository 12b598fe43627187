"""First-digit (Benford) conformity of a set of money figures.

Each row is one set of figures (a school's finance and equipment money) given as the counts of
first digits 1…9.  Benford's law expects digit d with probability log10(1 + 1/d).  The score is
−MAD, the mean absolute deviation between observed and expected proportions (Nigrini: above 0.015
is nonconformity for first digits); :meth:`chi_square` gives the chi-square statistic and p-value
(8 degrees of freedom).  Whether there are enough figures to judge is the caller's decision.
"""

from __future__ import annotations

import numpy as np
from scipy import stats
from sklearn.utils.validation import check_is_fitted

from .base import BaseDetector

DIGITS = np.arange(1, 10)
BENFORD = np.log10(1.0 + 1.0 / DIGITS)


def first_digit_counts(values: np.ndarray, min_value: float = 10.0) -> np.ndarray:
    """Counts of first digits 1…9 among |values| ≥ ``min_value`` (zeros and missing are skipped)."""
    v = np.abs(np.asarray(values, dtype=np.float64))
    v = v[np.isfinite(v) & (v >= max(min_value, 1e-12))]
    first = (v / 10.0 ** np.floor(np.log10(v))).astype(int)
    first = np.clip(first, 1, 9)  # guards 9.999… rounding up to 10
    return np.bincount(first, minlength=10)[1:]


class BenfordFirstDigit(BaseDetector):
    """First-digit test; rows are digit counts (9 columns).

    Parameters
    ----------
    mad_threshold : float, default 0.015
        A row is an outlier when its MAD exceeds this (Nigrini, first digits).

    Examples
    --------
    >>> import numpy as np
    >>> det = BenfordFirstDigit().fit(np.array([[30, 18, 12, 10, 8, 7, 6, 5, 4]]))
    >>> round(float(det.mad(np.array([[0, 0, 0, 0, 100, 0, 0, 0, 0]]))[0]), 4)  # 2·(1 − log10 1.2) ÷ 9
    0.2046
    """

    def __init__(self, mad_threshold: float = 0.015) -> None:
        self.mad_threshold = mad_threshold

    def fit(self, X, y=None):  # noqa: ANN001, ANN201
        X = self._check(X, reset=True)
        if X.shape[1] != 9 or (X < 0).any():
            raise ValueError("BenfordFirstDigit needs 9 columns of non-negative first-digit counts")
        self.expected_ = BENFORD.copy()
        self.offset_ = -float(self.mad_threshold)
        return self

    def _proportions(self, X) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
        check_is_fitted(self)
        X = self._check(X, reset=False)
        totals = X.sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            props = np.where(totals[:, None] > 0, X / totals[:, None], self.expected_)
        return props, totals

    def mad(self, X) -> np.ndarray:  # noqa: ANN001
        props, _ = self._proportions(X)
        return np.abs(props - self.expected_).mean(axis=1)

    def chi_square(self, X) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
        """Chi-square statistic and p-value per row (p = 1 for an empty row)."""
        props, totals = self._proportions(X)
        expected = totals[:, None] * self.expected_
        observed = props * totals[:, None]
        with np.errstate(divide="ignore", invalid="ignore"):
            stat = np.where(totals > 0, ((observed - expected) ** 2 / expected).sum(axis=1), 0.0)
        return stat, stats.chi2.sf(stat, df=8)

    def score_samples(self, X) -> np.ndarray:  # noqa: ANN001
        return -self.mad(X)

    @classmethod
    def conformance_data(cls, random_state: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rng = np.random.default_rng(random_state)
        train = rng.multinomial(2000, BENFORD, size=30).astype(float)
        inliers = rng.multinomial(5000, BENFORD, size=2).astype(float)
        outliers = rng.multinomial(2000, np.full(9, 1 / 9), size=2).astype(float)
        return train, inliers, outliers
