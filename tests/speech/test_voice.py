"""The offline voice: deterministic, cached, no network, bad voice files refused."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import wave
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bpcalc.params import Params, ParamsError, VoiceParams, load_params
from bpcalc.speech.track import Placed, audio_length, decode, mix, mux
from bpcalc.speech.voice import RATE, Voice, bundled_voice, read_samples

ROOT = Path(__file__).resolve().parents[2]
LINE = "Nudge the weight by zero point five."


def test_the_same_words_give_the_same_samples(tmp_path: Path, params: Params) -> None:
    first = Voice(params, tmp_path / "a").speak(LINE)
    second = Voice(params, tmp_path / "b").speak(LINE)
    assert first.wav.read_bytes() == second.wav.read_bytes()
    assert first.words == second.words


def test_a_line_is_speech_as_long_as_its_samples(tmp_path: Path, params: Params) -> None:
    speech = Voice(params, tmp_path).speak(LINE)
    with wave.open(str(speech.wav)) as source:
        assert (source.getframerate(), source.getnchannels(), source.getsampwidth()) == (RATE, 1, 2)
        assert source.getnframes() / RATE == pytest.approx(speech.duration)
    samples = read_samples(speech.wav).astype(float)
    assert np.sqrt(np.mean(samples**2)) > 1000  # not silence
    # seven words, in order, inside the line, each said for a moment
    assert len(speech.words) == 7
    starts = [start for start, _ in speech.words]
    assert starts == sorted(starts)
    assert all(0 <= start < end <= speech.duration for start, end in speech.words)
    # a slower rate says the same words for longer
    slow = replace(params, voice=replace(params.voice, rate=0.5))
    assert Voice(slow, tmp_path).speak(LINE).duration > 1.6 * speech.duration


def test_a_cached_line_loads_no_voice(tmp_path: Path, params: Params) -> None:
    Voice(params, tmp_path).speak(LINE)
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    again = Voice(params, tmp_path)
    again.speak(LINE)
    assert again._piper is None  # never loaded: nothing was synthesized
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before


def test_other_words_or_settings_are_other_entries(tmp_path: Path, params: Params) -> None:
    voice = Voice(params, tmp_path)
    faster = Voice(replace(params, voice=replace(params.voice, rate=1.25)), tmp_path)
    keys = {voice.key(LINE), voice.key(LINE + " Again."), faster.key(LINE)}
    assert len(keys) == 3


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux's unshare")
def test_speaks_with_no_network(tmp_path: Path) -> None:
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("unshare -n is not permitted here")
    code = (
        "from pathlib import Path; from bpcalc.params import load_params; "
        "from bpcalc.speech.voice import Voice; "
        f"s = Voice(load_params({str(ROOT / 'bpcalc.toml')!r}), Path({str(tmp_path)!r}))"
        f".speak({LINE!r}); print(s.duration)"
    )
    result = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", code], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert float(result.stdout) > 1.0


def _params_file(tmp_path: Path, voice: str) -> Path:
    text = (ROOT / "bpcalc.toml").read_text().replace('model = ""', f"model = {voice!r}")
    path = tmp_path / "bpcalc.toml"
    path.write_text(text)
    return path


def test_a_missing_voice_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ParamsError) as error:
        load_params(_params_file(tmp_path, "voices/nobody.onnx"))
    message = str(error.value)
    assert "\n" not in message
    assert "voice.model = 'voices/nobody.onnx' is not allowed" in message
    assert "bpcalc.toml" in message


def test_another_piper_voice_file_is_used(tmp_path: Path) -> None:
    (tmp_path / "voices").mkdir()
    model = tmp_path / "voices" / "mine.onnx"
    shutil.copyfile(bundled_voice(), model)
    shutil.copyfile(bundled_voice().with_suffix(".onnx.json"), model.with_suffix(".onnx.json"))
    params = load_params(_params_file(tmp_path, "voices/mine.onnx"))
    assert params.voice.model_path(params.source) == model
    assert Voice(params, tmp_path / "cache").model == model


def test_a_broken_voice_file_is_refused_before_any_frame(tmp_path: Path) -> None:
    (tmp_path / "voices").mkdir()
    model = tmp_path / "voices" / "broken.onnx"
    model.write_bytes(b"not a model at all")
    shutil.copyfile(bundled_voice().with_suffix(".onnx.json"), model.with_suffix(".onnx.json"))
    params = load_params(_params_file(tmp_path, "voices/broken.onnx"))
    with pytest.raises(ParamsError) as error:
        Voice(params, tmp_path / "cache").check()
    assert "\n" not in str(error.value)
    assert "voice.model = " in str(error.value)


def test_a_voice_settings_file_that_is_not_one_is_refused(tmp_path: Path) -> None:
    (tmp_path / "voices").mkdir()
    model = tmp_path / "voices" / "odd.onnx"
    shutil.copyfile(bundled_voice(), model)
    model.with_suffix(".onnx.json").write_text(json.dumps({"audio": {}}))
    with pytest.raises(ParamsError, match="odd.onnx.json is not one"):
        load_params(_params_file(tmp_path, "voices/odd.onnx"))


def test_voice_table_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "bpcalc.toml"
    path.write_text("[voice]\nrate = 3\n")
    with pytest.raises(ParamsError, match=r"voice.rate = 3 is not allowed: a finite number"):
        load_params(path)
    path.write_text("[voice]\nenabled = 'yes'\n")
    with pytest.raises(ParamsError, match=r"voice.enabled = 'yes' is not allowed: true or false"):
        load_params(path)


def test_no_voice_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BPCALC_VOICE", "off")
    assert load_params(ROOT / "bpcalc.toml").voice == VoiceParams(enabled=False)


def _video(path: Path, seconds: float, fps: int = 15) -> Path:
    import av

    with av.open(str(path), "w") as out:
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for number in range(round(seconds * fps)):
            picture = np.full((48, 64, 3), number % 255, np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    return path


def test_a_line_is_heard_where_it_is_placed(tmp_path: Path, params: Params) -> None:
    speech = Voice(params, tmp_path).speak(LINE)
    track = mix([Placed(1.5, speech)], 6.0)
    assert len(track) == 6 * RATE
    said = read_samples(speech.wav)
    start = round(1.5 * RATE)
    assert not track[:start].any()
    assert np.array_equal(track[start : start + len(said)], said)
    assert not track[start + len(said) :].any()
    silent = _video(tmp_path / "silent.mp4", 6.0)
    voiced = tmp_path / "voiced.mp4"
    mux(silent, track, voiced)
    assert audio_length(voiced) == pytest.approx(6.0, abs=1 / 15)
    heard = decode(voiced).astype(float)[: len(track)]
    # AAC is lossy: the decoded track follows the mixed one closely, at the same time
    correlation = np.corrcoef(heard, track.astype(float))[0, 1]
    assert correlation > 0.95
