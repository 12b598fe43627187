"""The detector contract: scikit-learn's outlier-detector interface.

A detector's constructor only stores its keyword arguments; ``fit`` validates, learns state whose
names end in ``_`` and returns ``self``.  ``score_samples`` is lower for more abnormal samples,
``decision_function`` is ``score_samples - offset_`` with 0 as the cut, and ``predict`` gives +1
(inlier) or −1 (outlier), exactly as :class:`sklearn.ensemble.IsolationForest` does
(``shared/style.md``, scikit-learn section).  A new detector that follows this contract plugs in
through the entry-point group ``zhengai.detectors``; the conformance test checks it.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, OutlierMixin
from sklearn.utils.validation import check_is_fitted, validate_data


class BaseDetector(OutlierMixin, BaseEstimator):
    """Shared ``decision_function`` / ``predict`` of every detector.

    Subclasses implement ``fit`` (setting ``offset_``) and ``score_samples``, and may override
    :meth:`conformance_data` when their input columns have a meaning.
    """

    def decision_function(self, X) -> np.ndarray:  # noqa: ANN001  (array-like, as in scikit-learn)
        """Signed distance to the cut: negative for outliers."""
        check_is_fitted(self)
        return self.score_samples(X) - self.offset_

    def predict(self, X) -> np.ndarray:  # noqa: ANN001
        """+1 for inliers, −1 for outliers."""
        return np.where(self.decision_function(X) < 0, -1, 1)

    def _check(self, X, reset: bool, allow_nan: bool = False) -> np.ndarray:  # noqa: ANN001
        """A 2-D float array; ``reset`` records the number of columns, otherwise it must match.

        Lighter than :func:`sklearn.utils.validation.validate_data` (the peer method fits thousands of
        small groups) with the same promises: finite values, 2-D, the fitted number of features."""
        if hasattr(X, "columns") or not isinstance(X, np.ndarray):
            return validate_data(self, X, reset=reset, dtype=np.float64,
                                 ensure_all_finite="allow-nan" if allow_nan else True)
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[0] < 1 or X.shape[1] < 1:
            raise ValueError(f"Expected a non-empty 2D array, got shape {X.shape}")
        if not allow_nan and not np.isfinite(X).all():
            raise ValueError("Input contains NaN or infinity")
        if reset:
            self.n_features_in_ = X.shape[1]
        elif X.shape[1] != self.n_features_in_:
            raise ValueError(f"X has {X.shape[1]} features, but {type(self).__name__} is expecting "
                             f"{self.n_features_in_} features as input")
        return X

    @classmethod
    def conformance_data(cls, random_state: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Data the conformance test uses: training rows, clear inliers and clear outliers."""
        rng = np.random.default_rng(random_state)
        train = rng.normal(10.0, 1.0, size=(60, 2))
        inliers = np.array([[10.0, 10.0], [10.5, 9.5]])
        outliers = np.array([[40.0, 40.0], [-25.0, 45.0]])
        return train, inliers, outliers
