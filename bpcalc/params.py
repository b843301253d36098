"""Read and validate ``bpcalc.toml`` into frozen dataclasses.

Every number a scene shows is regenerated from this one file, so a mistake in
it must be caught here, before any training or rendering, with one line that
names the file, the key, the bad value and what is allowed.
"""

from __future__ import annotations

import json
import math
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

__all__ = [
    "PARAMS_FILENAME",
    "PARAMS_ENV",
    "ParamsError",
    "DigitsParams",
    "ExampleParams",
    "WeightParams",
    "ChainParams",
    "NudgeParams",
    "SnapshotParams",
    "VoiceParams",
    "VOICE_ENV",
    "WEBM_CLIPS",
    "Params",
    "find_params_file",
    "load_params",
    "toml_value",
]

PARAMS_FILENAME = "bpcalc.toml"
PARAMS_ENV = "BPCALC_PARAMS"
VOICE_ENV = "BPCALC_VOICE"  # "off": silent whatever the file says (`bpcalc render --no-voice`)
WEBM_CLIPS = "BPCALC_WEBM_CLIPS"  # set (`bpcalc render --webm`): each clip gets a VP9 WebM twin
INPUT_SIZE = 64  # 8×8 pixels
OUTPUT_SIZE = 10  # digits 0–9


class ParamsError(ValueError):
    """A parameter file that cannot be used; ``str()`` is the one-line message."""


@dataclass(frozen=True)
class DigitsParams:
    """The digits network and how it is trained."""

    layers: tuple[int, ...] = (64, 16, 16, 10)
    seed: int = 0
    epochs: int = 30
    batch_size: int = 10
    learning_rate: float = 3.0
    test_fraction: float = 0.2


@dataclass(frozen=True)
class ExampleParams:
    """Which test example the scenes follow: the ``index``-th test image of ``digit``."""

    digit: int = 3
    index: int = 0


@dataclass(frozen=True)
class WeightParams:
    """The weight w_jk^(layer) of the digits network that the many-neuron tree follows."""

    layer: int = 2
    j: int = 0
    k: int = 0


@dataclass(frozen=True)
class ChainParams:
    """The one-neuron-per-layer chain and its task: fire when the input passes ``threshold``."""

    depth: int = 3
    seed: int = 3
    step: int = 500
    learning_rate: float = 1.0
    threshold: float = 0.5
    x: float = 0.8


@dataclass(frozen=True)
class NudgeParams:
    """Which chain parameter is nudged, by how much, and how the nudge shrinks."""

    parameter: str = "w"
    layer: int = 3
    delta: float = 0.5
    shrink: float = 10.0
    steps: int = 4


@dataclass(frozen=True)
class SnapshotParams:
    """The network partway through training that the wishes scenes look at, when its
    errors on the example are still large enough to read."""

    epoch: int = 1


@dataclass(frozen=True)
class VoiceParams:
    """The offline voice that speaks the narration; ``model`` empty is the bundled voice."""

    enabled: bool = True
    model: str = ""  # a Piper voice (.onnx, its .onnx.json beside it); relative to this file
    rate: float = 0.9  # speaking rate: 1 is the voice's own pace; 0.9 keeps captions readable

    def model_path(self, source: Path) -> Path | None:
        """The voice file named, resolved against the parameter file's folder (None: bundled)."""
        if not self.model:
            return None
        path = Path(self.model).expanduser()
        return path if path.is_absolute() else source.parent / path


@dataclass(frozen=True)
class Params:
    """Everything in one parameter file, plus where it came from (for error messages)."""

    source: Path = Path(PARAMS_FILENAME)
    digits: DigitsParams = field(default_factory=DigitsParams)
    example: ExampleParams = field(default_factory=ExampleParams)
    weight: WeightParams = field(default_factory=WeightParams)
    chain: ChainParams = field(default_factory=ChainParams)
    nudge: NudgeParams = field(default_factory=NudgeParams)
    snapshot: SnapshotParams = field(default_factory=SnapshotParams)
    voice: VoiceParams = field(default_factory=VoiceParams)

    def error(self, key: str, value: Any, allowed: str) -> ParamsError:
        """A one-line error about ``key`` in this file, for checks that need the data."""
        return _error(self.source, key, value, allowed)


_TABLES: dict[str, type] = {
    "digits": DigitsParams,
    "example": ExampleParams,
    "weight": WeightParams,
    "chain": ChainParams,
    "nudge": NudgeParams,
    "snapshot": SnapshotParams,
    "voice": VoiceParams,
}


def toml_value(value: Any) -> str:
    """A value as a parameter file writes it: ``[64, 16, 16, 10]``, ``'w'``, ``true``."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{...}"
    return str(value)


def _error(source: Path, key: str, value: Any, allowed: str) -> ParamsError:
    return ParamsError(f"{source}: {key} = {toml_value(value)} is not allowed: {allowed}")


def find_params_file(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The file to read: ``explicit``, else ``$BPCALC_PARAMS``, else ``bpcalc.toml``
    in the current directory or the nearest parent that has one."""
    if explicit is not None:
        return Path(explicit)
    if os.environ.get(PARAMS_ENV):
        return Path(os.environ[PARAMS_ENV])
    here = Path.cwd()
    for folder in (here, *here.parents):
        candidate = folder / PARAMS_FILENAME
        if candidate.is_file():
            return candidate
    return here / PARAMS_FILENAME


def load_params(path: str | os.PathLike[str] | None = None) -> Params:
    """Read, type-check and range-check a parameter file; raise :class:`ParamsError`."""
    source = find_params_file(path)
    try:
        raw = tomllib.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParamsError(
            f"{source}: file not found (pass --params FILE or set {PARAMS_ENV})"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ParamsError(f"{source}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ParamsError(f"{source}: not valid TOML: {exc}") from None

    tables: dict[str, Any] = {}
    for name, value in raw.items():
        if name not in _TABLES:
            raise _error(source, name, value, f"known tables are [{'], ['.join(_TABLES)}]")
        if not isinstance(value, dict):
            raise _error(source, name, value, f"[{name}] must be a table")
        tables[name] = _read_table(source, name, value)
    if os.environ.get(VOICE_ENV) == "off":
        tables["voice"] = replace(tables.get("voice", VoiceParams()), enabled=False)
    params = Params(source=source, **tables)
    _check_cross(params)
    _check_voice(params)
    return params


def _read_table(source: Path, name: str, raw: dict[str, Any]) -> Any:
    cls = _TABLES[name]
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in known:
            raise _error(source, f"{name}.{key}", value, f"[{name}] knows {', '.join(known)}")
        check, allowed = _RULES[name, key]
        converted = check(value)
        if converted is None:
            raise _error(source, f"{name}.{key}", value, allowed)
        values[key] = converted
    return cls(**values)


def _integer(low: int, high: int | None = None) -> Callable[[Any], int | None]:
    def check(value: Any) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            return None
        if value < low or (high is not None and value > high):
            return None
        return value

    return check


def _number(low: float, high: float = math.inf, low_open: bool = True) -> Callable[[Any], Any]:
    def check(value: Any) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        number = float(value)
        if not math.isfinite(number) or number > high:
            return None
        if number < low or (low_open and number == low):
            return None
        return number

    return check


def _layers(value: Any) -> tuple[int, ...] | None:
    if not isinstance(value, list) or len(value) < 3:
        return None
    if any(isinstance(v, bool) or not isinstance(v, int) or v < 1 for v in value):
        return None
    if value[0] != INPUT_SIZE or value[-1] != OUTPUT_SIZE:
        return None
    return tuple(value)


def _boolean(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _choice(*options: str) -> Callable[[Any], str | None]:
    return lambda value: value if value in options else None


_RULES: dict[tuple[str, str], tuple[Callable[[Any], Any], str]] = {
    ("digits", "layers"): (
        _layers,
        f"a list of positive integers: {INPUT_SIZE} (pixels), one or more hidden layers, "
        f"{OUTPUT_SIZE} (digits)",
    ),
    ("digits", "seed"): (_integer(0), "an integer >= 0"),
    ("digits", "epochs"): (_integer(1, 1000), "an integer from 1 to 1000"),
    ("digits", "batch_size"): (_integer(1, 1000), "an integer from 1 to 1000"),
    ("digits", "learning_rate"): (_number(0, 100), "a finite number > 0 and <= 100"),
    ("digits", "test_fraction"): (_number(0, 0.9), "a finite number > 0 and <= 0.9"),
    ("example", "digit"): (_integer(0, 9), "an integer from 0 to 9"),
    ("example", "index"): (_integer(0), "an integer >= 0"),
    ("weight", "layer"): (_integer(1), "an integer >= 1 (layer 1 takes the pixels)"),
    ("weight", "j"): (_integer(0), "an integer >= 0"),
    ("weight", "k"): (_integer(0), "an integer >= 0"),
    ("chain", "depth"): (_integer(2, 8), "an integer from 2 to 8"),
    ("chain", "seed"): (_integer(0), "an integer >= 0"),
    ("chain", "step"): (_integer(0, 100_000), "an integer from 0 to 100000"),
    ("chain", "learning_rate"): (_number(0, 100), "a finite number > 0 and <= 100"),
    ("chain", "threshold"): (_number(0, 1), "a finite number > 0 and <= 1"),
    ("chain", "x"): (_number(0, 1, low_open=False), "a finite number from 0 to 1"),
    ("nudge", "parameter"): (_choice("w", "b"), "'w' or 'b'"),
    ("nudge", "layer"): (_integer(1), "an integer >= 1"),
    ("nudge", "delta"): (_number(0, 10), "a finite number > 0 and <= 10"),
    ("nudge", "shrink"): (_number(1, 1000), "a finite number > 1 and <= 1000"),
    ("nudge", "steps"): (_integer(2, 12), "an integer from 2 to 12"),
    ("snapshot", "epoch"): (_integer(1, 1000), "an integer from 1 to digits.epochs"),
    ("voice", "enabled"): (_boolean, "true or false"),
    ("voice", "model"): (_text, "the path of a Piper voice (.onnx), or '' for the bundled one"),
    ("voice", "rate"): (_number(0.5, 2, low_open=False), "a finite number from 0.5 to 2"),
}


def _check_cross(params: Params) -> None:
    """Checks that relate keys of different tables."""
    sizes = params.digits.layers
    weight = params.weight
    if weight.layer > len(sizes) - 1:
        raise params.error("weight.layer", weight.layer, f"an integer from 1 to {len(sizes) - 1}")
    if weight.j >= sizes[weight.layer]:
        raise params.error(
            "weight.j", weight.j, f"an integer from 0 to {sizes[weight.layer] - 1} (layer size)"
        )
    if weight.k >= sizes[weight.layer - 1]:
        raise params.error(
            "weight.k", weight.k, f"an integer from 0 to {sizes[weight.layer - 1] - 1} (layer size)"
        )
    if params.snapshot.epoch > params.digits.epochs:
        raise params.error(
            "snapshot.epoch",
            params.snapshot.epoch,
            f"an integer from 1 to digits.epochs = {params.digits.epochs}",
        )
    if params.nudge.layer > params.chain.depth:
        raise params.error(
            "nudge.layer",
            params.nudge.layer,
            f"an integer from 1 to chain.depth = {params.chain.depth}",
        )


def _check_voice(params: Params) -> None:
    """A voice file that cannot be read is refused before any frame is drawn."""
    voice = params.voice
    path = voice.model_path(params.source)
    if not voice.enabled or path is None:
        return
    allowed = "a Piper voice file (.onnx) with its .onnx.json beside it, or '' for the bundled one"
    config = path.with_name(path.name + ".json")
    if path.suffix != ".onnx" or not path.is_file() or not config.is_file():
        raise params.error("voice.model", voice.model, f"{allowed} ({path} not found)")
    try:
        settings = json.loads(config.read_text(encoding="utf-8"))
        usable = settings["audio"]["sample_rate"] > 0 and bool(settings["phoneme_id_map"])
    except (OSError, ValueError, KeyError, TypeError):
        usable = False
    if not usable:
        raise params.error("voice.model", voice.model, f"{allowed} ({config.name} is not one)")
