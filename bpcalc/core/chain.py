"""The chain: one neuron per layer, the network of the chain-rule scenes.

Its task: fire (output 1) when the input x reaches ``threshold``, stay dark
(output 0) below it, like a detector for a bright pixel. It learns by SGD,
one random input per step, and the scenes show it as it is after ``step``
steps, for the example input ``x``: a network that is really learning, with a
cost and gradients still large enough to see.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from bpcalc.core.cache import cached_arrays, source_fingerprint
from bpcalc.core.network import Network, backward, forward, init_network, sgd_step
from bpcalc.params import ChainParams

__all__ = ["chain_target", "train_chain", "ChainHistory"]


def chain_target(x: float | np.ndarray, threshold: float) -> np.ndarray:
    """The desired output: 1 when the input reaches the threshold, else 0."""
    return (np.asarray(x) >= threshold).astype(float)


@dataclass(frozen=True)
class ChainHistory:
    """The chain at the snapshot step, and before training."""

    initial: Network
    snapshot: Network


def _train(p: ChainParams) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(p.seed)
    sizes = (1,) * (p.depth + 1)
    net = init_network(sizes, rng)
    initial = net
    inputs = rng.uniform(0.0, 1.0, size=p.step)
    for x in inputs:
        xs = np.array([x])
        net = sgd_step(
            net, backward(net, forward(net, xs), chain_target(xs, p.threshold)), p.learning_rate
        )
    return {
        "initial_w": np.array([w[0, 0] for w in initial.weights]),
        "initial_b": np.array([b[0] for b in initial.biases]),
        "w": np.array([w[0, 0] for w in net.weights]),
        "b": np.array([b[0] for b in net.biases]),
    }


def _network(w: np.ndarray, b: np.ndarray) -> Network:
    return Network(tuple(np.array([[v]]) for v in w), tuple(np.array([v]) for v in b))


@lru_cache(maxsize=8)
def train_chain(p: ChainParams) -> ChainHistory:
    """Train (or fetch from the cache) the chain up to its snapshot step."""
    training = ("depth", "seed", "step", "learning_rate", "threshold")
    key = {"params": {k: getattr(p, k) for k in training}, "code": source_fingerprint()}
    arrays = cached_arrays("chain", key, lambda: _train(p))
    return ChainHistory(
        _network(arrays["initial_w"], arrays["initial_b"]), _network(arrays["w"], arrays["b"])
    )
