"""Outlier models over a unit's whole indicator vector, with the indicators that drive each outlier.

Columns are standardised robustly (median, IQR ÷ 1.349; sd when the IQR is 0; 1 when both are 0)
and missing cells take the column median, so one indicator on a large scale does not decide alone.
The models are scikit-learn's :class:`~sklearn.ensemble.IsolationForest` and
:class:`~sklearn.neighbors.LocalOutlierFactor` (``novelty=True``); their scores and cut are passed
through unchanged.  :meth:`drivers` names, for each row, the columns with the largest |robust z|.
"""

from __future__ import annotations

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.neighbors import LocalOutlierFactor
from sklearn.utils.validation import check_is_fitted

from .base import BaseDetector

IQR_TO_SD = 1.349  # IQR / 1.349 estimates σ for normal data


class _Standardised(BaseDetector):
    def _model(self):  # noqa: ANN202
        raise NotImplementedError

    def fit(self, X, y=None):  # noqa: ANN001, ANN201
        X = self._check(X, reset=True, allow_nan=True)
        self.center_ = np.nan_to_num(np.nanmedian(X, axis=0), nan=0.0)
        q75, q25 = np.nanpercentile(X, [75, 25], axis=0)
        scale = np.nan_to_num((q75 - q25) / IQR_TO_SD, nan=0.0)
        sd = np.nan_to_num(np.nanstd(X, axis=0), nan=0.0)
        scale = np.where(scale > 0, scale, sd)
        self.scale_ = np.where(scale > 0, scale, 1.0)
        self.model_ = self._model().fit(self._z(X))
        self.offset_ = float(self.model_.offset_)
        return self

    def _z(self, X: np.ndarray) -> np.ndarray:
        return np.nan_to_num((X - self.center_) / self.scale_, nan=0.0)

    def standardise(self, X) -> np.ndarray:  # noqa: ANN001
        """Robust z of every cell (0 for a missing cell)."""
        check_is_fitted(self)
        X = self._check(X, reset=False, allow_nan=True)
        return self._z(X)

    def score_samples(self, X) -> np.ndarray:  # noqa: ANN001
        z = self.standardise(X)  # checks that the detector is fitted
        return self.model_.score_samples(z)

    def drivers(self, X, top: int = 3) -> list[list[tuple[int, float]]]:  # noqa: ANN001
        """For each row, up to ``top`` (column, robust z) pairs by decreasing |z|."""
        z = self.standardise(X)
        order = np.argsort(-np.abs(z), axis=1, kind="stable")[:, :top]
        return [[(int(j), float(z[i, j])) for j in row] for i, row in enumerate(order)]


class StandardisedIsolationForest(_Standardised):
    """Isolation forest on robustly standardised columns.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (50, 3)), [[0, 0, 12]]])
    >>> det = StandardisedIsolationForest(random_state=0).fit(X)
    >>> int(det.predict(X)[-1]), det.drivers(X[-1:], top=1)[0][0][0]
    (-1, 2)
    """

    def __init__(self, n_estimators: int = 100, contamination: str | float = "auto",
                 max_samples: str | int = "auto", random_state: int | None = None) -> None:
        self.n_estimators = n_estimators
        self.contamination = contamination
        self.max_samples = max_samples
        self.random_state = random_state

    def _model(self) -> IsolationForest:
        return IsolationForest(n_estimators=self.n_estimators, contamination=self.contamination,
                               max_samples=self.max_samples, random_state=self.random_state)


class StandardisedLOF(_Standardised):
    """Local outlier factor (novelty mode) on robustly standardised columns.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (50, 3)), [[9, 0, 0]]])
    >>> int(StandardisedLOF().fit(X).predict(X)[-1])
    -1
    """

    def __init__(self, n_neighbors: int = 20, contamination: str | float = "auto") -> None:
        self.n_neighbors = n_neighbors
        self.contamination = contamination

    def _model(self) -> LocalOutlierFactor:
        return LocalOutlierFactor(n_neighbors=self.n_neighbors, contamination=self.contamination,
                                  novelty=True)
