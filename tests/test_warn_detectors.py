"""Detectors: one conformance test over every registered detector, and hand-computed scores.

Sources of the expected values: shared/domain.md §7 (modified z = 0.6745·|x − median| / MAD, fallback
0.7979·|x − median| / mean absolute deviation; WHO ratio to the province's; Benford first digits).
"""

from __future__ import annotations

from importlib.metadata import EntryPoint

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from diagnostics.warnings import registry
from diagnostics.warnings.detectors import (
    BenfordFirstDigit,
    ModifiedZScore,
    StandardisedIsolationForest,
    TrendRatio,
)
from diagnostics.warnings.detectors.base import BaseDetector
from diagnostics.warnings.detectors.benford import first_digit_counts


# --------------------------------------------------------------------------- the conformance test
@pytest.mark.parametrize("name", sorted(registry.detectors()))
def test_detector_follows_the_outlier_contract(name):
    cls = registry.detectors()[name]
    det = cls()
    # the constructor only stores its parameters; clone round-trips them
    assert set(vars(det)) == set(det.get_params())
    assert clone(det).get_params() == det.get_params()
    if "random_state" in det.get_params():
        det.set_params(random_state=0)
    train, inliers, outliers = cls.conformance_data(0)
    with pytest.raises(NotFittedError):
        det.score_samples(inliers)
    before, kept = set(vars(det)), train.copy()
    assert det.fit(train) is det
    np.testing.assert_array_equal(train, kept)  # input not changed
    learned = set(vars(det)) - before
    assert learned and all(a.endswith("_") for a in learned)
    assert det.n_features_in_ == train.shape[1]
    for X in (train, inliers, outliers):
        scores = det.score_samples(X)
        assert scores.shape == (len(X),) and np.isfinite(scores).all()
        np.testing.assert_allclose(det.decision_function(X), scores - det.offset_)
        pred = det.predict(X)
        assert set(pred) <= {-1, 1}
        np.testing.assert_array_equal(pred, np.where(det.decision_function(X) < 0, -1, 1))
    assert (det.predict(inliers) == 1).all()
    assert (det.predict(outliers) == -1).all()
    assert det.score_samples(outliers).max() < det.score_samples(inliers).min()
    again = clone(det).fit(train)
    np.testing.assert_allclose(again.score_samples(outliers), det.score_samples(outliers))
    with pytest.raises(ValueError):
        det.score_samples(np.ones((2, train.shape[1] + 1)))


# --------------------------------------------------------------------------- the registry
class _GoodPlugin(BaseDetector):
    def __init__(self, threshold: float = 1.0) -> None:
        self.threshold = threshold

    def fit(self, X, y=None):
        X = self._check(X, reset=True)
        self.center_ = X.mean(axis=0)
        self.offset_ = -self.threshold
        return self

    def score_samples(self, X):
        return -np.abs(self._check(X, reset=False) - self.center_).max(axis=1) / 10


class _FakeEntryPoint(EntryPoint):
    def load(self):
        if self.value == "boom:Nope":
            raise ImportError("no module named boom")
        return {"good:Plugin": _GoodPlugin, "bad:NotADetector": dict}[self.value]


def test_registry_survives_a_broken_plugin(monkeypatch):
    eps = [_FakeEntryPoint("mine", "good:Plugin", registry.GROUP),
           _FakeEntryPoint("broken", "boom:Nope", registry.GROUP),
           _FakeEntryPoint("wrong", "bad:NotADetector", registry.GROUP),
           _FakeEntryPoint("modified_z", "good:Plugin", registry.GROUP)]
    monkeypatch.setattr(registry, "entry_points", lambda group: [e for e in eps if e.group == group])
    try:
        found = registry.detectors(reload=True)
        assert found["mine"] is _GoodPlugin and found["modified_z"] is ModifiedZScore
        failed = {f.name: f.error for f in registry.failures()}
        assert set(failed) == {"broken", "wrong", "modified_z"}
        assert "ImportError" in failed["broken"] and "not a detector" in failed["wrong"]
        assert "未加载" in str(registry.failures()[0])
        assert isinstance(registry.make("mine", threshold=2.0), _GoodPlugin)
        with pytest.raises(KeyError):
            registry.make("broken")
    finally:
        monkeypatch.undo()
        registry.detectors(reload=True)


# --------------------------------------------------------------------------- hand-computed scores
def test_modified_z_hand_computed():
    # median 12, |x − 12| = 2, 1, 0, 1, 18 → MAD 1; z(30) = 0.6745 · 18 / 1 = 12.141
    det = ModifiedZScore().fit(np.array([[10.0], [11.0], [12.0], [13.0], [30.0]]))
    assert det.median_[0] == 12 and det.mad_[0] == 1 and not det.used_meanad_[0]
    np.testing.assert_allclose(-det.score_samples(np.array([[30.0], [10.0]])), [12.141, 1.349])
    assert det.predict(np.array([[30.0], [10.0]])).tolist() == [-1, 1]


def test_modified_z_mad_zero_uses_mean_absolute_deviation():
    # 5 5 5 5 9: MAD = 0; mean |x − 5| = 4/5 = 0.8; z(9) = 0.7979 · 4 / 0.8 = 3.9895
    det = ModifiedZScore().fit(np.array([[5.0], [5.0], [5.0], [5.0], [9.0]]))
    assert det.mad_[0] == 0 and det.used_meanad_[0] and det.meanad_[0] == pytest.approx(0.8)
    assert -det.score_samples(np.array([[9.0]]))[0] == pytest.approx(3.9895)
    assert det.predict(np.array([[9.0], [5.0]])).tolist() == [-1, 1]


def test_modified_z_all_values_equal():
    det = ModifiedZScore().fit(np.full((6, 1), 7.0))
    assert (det.score_samples(np.full((6, 1), 7.0)) == 0).all()
    assert (det.predict(np.full((6, 1), 7.0)) == 1).all()


def test_trend_ratio_hand_computed():
    # own ratios 1.1, 1.0, 0.5 → province ratio (median) 1.0; relative 1.1, 1.0, 0.5 → C outside 1 ± 0.33
    X = np.array([[100.0, 110.0], [200.0, 200.0], [100.0, 50.0]])
    det = TrendRatio().fit(X)
    assert det.province_ratio_ == pytest.approx(1.0)
    np.testing.assert_allclose(det.relative_ratio(X), [1.1, 1.0, 0.5])
    assert det.predict(X).tolist() == [1, 1, -1]


def test_trend_ratio_zero_expected_is_not_judged():
    det = TrendRatio().fit(np.array([[0.0, 5.0], [10.0, 10.0]]))
    assert det.province_ratio_ == 1.0  # only the usable row counts
    assert det.score_samples(np.array([[0.0, 5.0]]))[0] == 0.0


def test_benford_mad_and_chi_square_hand_computed():
    # 20 figures per digit (uniform): MAD = Σ|1/9 − log10(1 + 1/d)| / 9 = 0.53745 / 9 = 0.059717
    # chi-square = Σ (20 − 180·p_d)² / (180·p_d) = 72.3 (8 degrees of freedom)
    X = np.full((1, 9), 20.0)
    det = BenfordFirstDigit().fit(X)
    assert det.mad(X)[0] == pytest.approx(0.059717, abs=1e-5)
    stat, p = det.chi_square(X)
    assert stat[0] == pytest.approx(72.3, abs=0.1) and p[0] < 1e-10
    assert det.predict(X)[0] == -1


def test_first_digit_counts_skip_small_and_missing_figures():
    counts = first_digit_counts(np.array([123.0, 0.0, 9.5, np.nan, -456.0, 99999.0, 1000.0]), min_value=10)
    assert counts.tolist() == [2, 0, 0, 1, 0, 0, 0, 0, 1]


def test_isolation_forest_names_the_driving_indicator():
    rng = np.random.default_rng(1)
    X = np.vstack([rng.normal(0, 1, (40, 4)), [[0.1, -0.2, 15.0, 0.3]]])
    det = StandardisedIsolationForest(random_state=0).fit(X)
    assert det.predict(X[-1:])[0] == -1
    top = det.drivers(X[-1:], top=2)[0]
    assert top[0][0] == 2 and top[0][1] > 5
