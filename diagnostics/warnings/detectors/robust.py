"""Univariate outlier scores per column: the modified z-score and the classical z-score.

Source: ``shared/domain.md`` §7 (DHIS2 and the WHO data-quality tool).  Modified z =
0.6745·|x − median| / MAD, outlier above 3.5 (extreme above 5); when MAD = 0, 0.7979·|x − median| /
mean absolute deviation (about the median, as IBM SPSS defines its fallback).  Classical z =
|x − mean| / sd, outlier above 3.  With several columns a row scores by its worst column.
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .base import BaseDetector

MAD_FACTOR = 0.6745  # Φ⁻¹(0.75): MAD / 0.6745 estimates σ for normal data
MEANAD_FACTOR = 0.7979  # √(2/π): mean absolute deviation / 0.7979 estimates σ for normal data


class _ScaledDistance(BaseDetector):
    """|x − centre| / scale per column; a row scores −max over its columns."""

    def _centre_scale(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def fit(self, X, y=None):  # noqa: ANN001, ANN201
        X = self._check(X, reset=True)
        self.center_, self.scale_ = self._centre_scale(X)
        self.offset_ = -float(self.threshold)
        return self

    def distances(self, X) -> np.ndarray:  # noqa: ANN001
        """|x − centre| / scale for every cell; 0 where x is the centre, inf where the scale is 0."""
        check_is_fitted(self)
        X = self._check(X, reset=False)
        dev = np.abs(X - self.center_)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(dev == 0, 0.0, dev / self.scale_)
        return out

    def score_samples(self, X) -> np.ndarray:  # noqa: ANN001
        return -self.distances(X).max(axis=1)


class ModifiedZScore(_ScaledDistance):
    """Modified z-score (Iglewicz & Hoaglin): robust to the outliers it looks for.

    Parameters
    ----------
    threshold : float, default 3.5
        A row is an outlier when its modified z exceeds this (DHIS2 / WHO: 3.5; extreme 5).

    Examples
    --------
    >>> import numpy as np
    >>> det = ModifiedZScore().fit(np.array([[10.], [11.], [12.], [13.], [30.]]))
    >>> float(det.median_[0]), float(det.mad_[0])
    (12.0, 1.0)
    >>> det.predict(np.array([[12.], [30.]])).tolist()
    [1, -1]
    """

    def __init__(self, threshold: float = 3.5) -> None:
        self.threshold = threshold

    def _centre_scale(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        self.median_ = np.median(X, axis=0)
        dev = np.abs(X - self.median_)
        self.mad_ = np.median(dev, axis=0)
        self.meanad_ = dev.mean(axis=0)
        self.used_meanad_ = self.mad_ == 0
        scale = np.where(self.used_meanad_, self.meanad_ / MEANAD_FACTOR, self.mad_ / MAD_FACTOR)
        return self.median_, scale


class ZScore(_ScaledDistance):
    """Classical z-score |x − mean| / sd (DHIS2 / WHO: moderate 2, extreme 3).

    >>> import numpy as np
    >>> ZScore(threshold=2.0).fit(np.array([[1.], [2.], [3.]])).score_samples(np.array([[4.]])).round(3).tolist()
    [-2.449]
    """

    def __init__(self, threshold: float = 3.0) -> None:
        self.threshold = threshold

    def _centre_scale(self, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        self.mean_ = X.mean(axis=0)
        self.std_ = X.std(axis=0)
        return self.mean_, self.std_
