"""Consistency over time against the province's own change (WHO data-quality tool, domain.md §7).

Each row is one unit's ``[expected, observed]``: expected is the mean of its previous years (or a
linear-trend forecast), observed the current value.  ``fit`` learns the province's ratio: the median
of the units' own ratios observed ÷ expected (the WHO tool divides province totals; one wrong report of
a large unit moves a total, never the median).  A row is scored by how far its own ratio departs from
the province's: −|(own ÷ province) − 1|.  The cut is the tolerance (WHO: ±33%).  A row with no usable
expected value (≤ 0) is not judged (score 0).
"""

from __future__ import annotations

import numpy as np
from sklearn.utils.validation import check_is_fitted

from .base import BaseDetector


class TrendRatio(BaseDetector):
    """Ratio of current to expected value, relative to the same ratio for the whole province.

    Parameters
    ----------
    tolerance : float, default 0.33
        A unit is an outlier when its relative ratio lies outside 1 ± tolerance.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[100., 110.], [200., 220.], [100., 60.]])  # expected, observed
    >>> det = TrendRatio().fit(X)
    >>> round(det.province_ratio_, 4)  # median of 1.1, 1.1, 0.6
    1.1
    >>> det.predict(X).tolist()  # 0.6 / 1.1 = 0.545: outside 1 ± 0.33
    [1, 1, -1]
    """

    def __init__(self, tolerance: float = 0.33) -> None:
        self.tolerance = tolerance

    def fit(self, X, y=None):  # noqa: ANN001, ANN201
        X = self._check(X, reset=True)
        if X.shape[1] != 2:
            raise ValueError("TrendRatio needs two columns: expected, observed")
        usable = X[:, 0] > 0
        self.province_ratio_ = float(np.median(X[usable, 1] / X[usable, 0])) if usable.any() else 1.0
        self.offset_ = -float(self.tolerance)
        return self

    def relative_ratio(self, X) -> np.ndarray:  # noqa: ANN001
        """(observed ÷ expected) ÷ province ratio; NaN where expected ≤ 0 or the province ratio is 0."""
        check_is_fitted(self)
        X = self._check(X, reset=False)
        with np.errstate(divide="ignore", invalid="ignore"):
            own = np.where(X[:, 0] > 0, X[:, 1] / X[:, 0], np.nan)
            return own / self.province_ratio_ if self.province_ratio_ > 0 else np.full(len(X), np.nan)

    def score_samples(self, X) -> np.ndarray:  # noqa: ANN001
        rel = self.relative_ratio(X)
        return np.where(np.isnan(rel), 0.0, -np.abs(rel - 1.0))

    @classmethod
    def conformance_data(cls, random_state: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rng = np.random.default_rng(random_state)
        expected = rng.uniform(50, 150, size=60)
        train = np.column_stack([expected, expected * rng.normal(1.05, 0.05, size=60)])
        inliers = np.array([[100.0, 105.0], [80.0, 83.0]])
        outliers = np.array([[100.0, 40.0], [80.0, 200.0]])
        return train, inliers, outliers
