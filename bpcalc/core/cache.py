"""On-disk cache for training results, keyed by a hash of what affects them.

A key includes a fingerprint of the training code and the bundled data, so a
change to either never serves a stale network. Writes are atomic: a crash
mid-write leaves no half file for the next run to trust.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["CACHE_ENV", "cache_dir", "cached_arrays", "source_fingerprint"]

CACHE_ENV = "BPCALC_CACHE_DIR"
_PACKAGE = Path(__file__).resolve().parent
_TRAINING_SOURCES = ("network.py", "digits.py", "chain.py", "cache.py", "data/digits.npz")


def cache_dir() -> Path:
    """``$BPCALC_CACHE_DIR``, else ``$XDG_CACHE_HOME/bpcalc``, else ``~/.cache/bpcalc``."""
    if os.environ.get(CACHE_ENV):
        return Path(os.environ[CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "bpcalc"


@lru_cache(maxsize=1)
def source_fingerprint() -> str:
    """Hash of the code and data that training depends on."""
    digest = hashlib.sha256()
    for name in _TRAINING_SOURCES:
        digest.update(name.encode())
        digest.update((_PACKAGE / name).read_bytes())
    return digest.hexdigest()[:16]


def cached_arrays(
    kind: str, key: dict[str, Any], compute: Callable[[], dict[str, np.ndarray]]
) -> dict[str, np.ndarray]:
    """Arrays for ``key`` from the cache, or computed now and stored for next time."""
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:24]
    path = cache_dir() / f"{kind}-{digest}.npz"
    try:
        with np.load(path) as stored:
            return {name: stored[name] for name in stored.files}
    except (OSError, ValueError, EOFError):
        pass  # missing or unreadable: compute afresh
    arrays = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, allow_pickle=False, **arrays)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home still gets correct numbers, only slower
    return arrays
