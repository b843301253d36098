"""Training is deterministic, reaches the accuracy, and is cached on disk."""

from __future__ import annotations

import dataclasses

import numpy as np

from bpcalc.core import cache
from bpcalc.core.chain import chain_target, train_chain
from bpcalc.core.digits import load_dataset, train_digits
from bpcalc.core.network import cost, forward
from bpcalc.params import Params


def test_default_digits_network_reaches_ninety_percent(params: Params) -> None:
    trained = train_digits(params.digits)
    assert trained.test_accuracy >= 0.90
    assert trained.epoch_accuracy[0] < 0.3  # the untrained network is guessing


def test_training_is_deterministic_for_a_seed(params: Params, tmp_path, monkeypatch) -> None:
    small = dataclasses.replace(params.digits, epochs=2)
    runs = []
    for attempt in ("a", "b"):
        monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / attempt))  # no shared cache
        train_digits.cache_clear()
        runs.append(train_digits(small))
    for w1, w2 in zip(runs[0].trained.weights, runs[1].trained.weights, strict=True):
        assert np.array_equal(w1, w2)
    other = dataclasses.replace(small, seed=small.seed + 1)
    train_digits.cache_clear()
    assert not np.array_equal(train_digits(other).trained.weights[0], runs[0].trained.weights[0])


def test_training_result_is_read_back_from_disk(params: Params, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    small = dataclasses.replace(params.digits, epochs=1)
    train_digits.cache_clear()
    first = train_digits(small)
    files = list(tmp_path.glob("digits-*.npz"))
    assert len(files) == 1
    train_digits.cache_clear()
    monkeypatch.setattr(
        "bpcalc.core.digits._train", lambda p: (_ for _ in ()).throw(AssertionError)
    )
    again = train_digits(small)  # would raise if it trained instead of reading the file
    assert np.array_equal(first.trained.weights[1], again.trained.weights[1])


def test_split_is_fixed_and_disjoint() -> None:
    data = load_dataset(0.2)
    assert len(data.train_x) + len(data.test_x) == 1797
    assert len(data.test_x) == round(1797 * 0.2)
    assert data.train_x.min() >= 0 and data.train_x.max() <= 1
    load_dataset.cache_clear()
    assert np.array_equal(load_dataset(0.2).test_labels, data.test_labels)


def test_chain_really_learns_its_task(params: Params) -> None:
    """The snapshot separates bright from dark inputs better than the untrained chain."""
    history = train_chain(params.chain)
    xs = np.linspace(0, 1, 101)[:, None]
    ys = chain_target(xs, params.chain.threshold)
    before = cost(forward(history.initial, xs).a[-1], ys).mean()
    after = cost(forward(history.snapshot, xs).a[-1], ys).mean()
    assert after < 0.5 * before


def test_the_shown_first_step_is_trainings_first_step(
    params: Params, tmp_path, monkeypatch
) -> None:
    """With one mini-batch per epoch, one epoch of training is exactly the batch step shown."""
    from bpcalc.core.batch import batch_step
    from bpcalc.core.digits import first_batch

    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path))
    data = load_dataset(params.digits.test_fraction)
    whole = dataclasses.replace(params.digits, epochs=1, batch_size=len(data.train_x))
    train_digits.cache_clear()
    trained = train_digits(whole)
    indices = first_batch(whole)
    assert sorted(indices) == list(range(len(data.train_x)))  # the whole set, shuffled
    step = batch_step(
        trained.initial,
        data.train_x[indices],
        data.train_y[indices],
        indices,
        data.train_labels[indices],
        whole.learning_rate,
    )
    for after, reference in zip(step.after.weights, trained.trained.weights, strict=True):
        assert np.allclose(after, reference, atol=1e-12)


def test_each_epochs_network_is_training_stopped_there(params: Params) -> None:
    """The network kept after epoch e is what training for e epochs alone ends with (the
    same draws), and the last is the trained network: the Training scene's morph shows
    real networks, not blends."""
    small = dataclasses.replace(params.digits, epochs=3)
    kept = train_digits(small).epochs
    assert len(kept) == 4
    assert all(
        np.array_equal(a, b)
        for a, b in zip(kept[0].weights, train_digits(small).initial.weights, strict=True)
    )
    for epoch in (1, 2, 3):
        alone = train_digits(dataclasses.replace(small, epochs=epoch)).trained
        for w_kept, w_alone in zip(kept[epoch].weights, alone.weights, strict=True):
            assert np.array_equal(w_kept, w_alone)
    assert not np.array_equal(kept[1].weights[0], kept[2].weights[0])  # it moved
