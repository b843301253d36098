"""Which neurons a story looks at, chosen once here so a picture and its equation agree.

A scene draws "the three brightest neurons of layer L−1" and writes the sum over
paths for "the back-propagated neuron"; both come from one :class:`Choices`, so
they cannot drift apart when the parameter file changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bpcalc.core.network import Forward

__all__ = ["Choices", "choose"]


@dataclass(frozen=True)
class Choices:
    """Neurons of the digits network picked for one example (indices into their layers)."""

    label: int  # the output that should fire: the example's digit
    rival: int  # the brightest of the other outputs
    brightest: tuple[int, ...]  # every neuron of layer L−1, brightest first
    # the brightest neuron of layer L−2 (a pixel when L−2 is the input) whose index is not
    # the back neuron's, so a weight between them reads w_jk with two different indices
    brightest_before: int

    @property
    def back_neuron(self) -> int:
        """The neuron of L−1 whose wishes from every output are summed: the brightest."""
        return self.brightest[0]

    def brightest_few(self, count: int) -> tuple[int, ...]:
        """The ``count`` brightest neurons of L−1 (all of them if the layer is smaller)."""
        return self.brightest[:count]


def choose(fwd: Forward, label: int) -> Choices:
    """The choices for an example whose forward pass is ``fwd`` and whose digit is ``label``."""
    outputs, previous = fwd.a[-1], fwd.a[-2]
    others = [j for j in range(len(outputs)) if j != label]
    brightest = tuple(int(k) for k in np.argsort(-previous, kind="stable"))
    before = [int(i) for i in np.argsort(-fwd.a[-3], kind="stable")]
    return Choices(
        label=label,
        rival=max(others, key=lambda j: outputs[j]),
        brightest=brightest,
        brightest_before=next((i for i in before if i != brightest[0]), before[0]),
    )
