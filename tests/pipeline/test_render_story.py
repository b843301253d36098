"""`bpcalc render`: story order, captions and narration, the episode, split renders, stops."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from scene_support import bpcalc_render as bpcalc
from scene_support import fast_start
from scene_support import published_folder as out

from bpcalc.params import load_params
from bpcalc.pipeline.captions import CAPTION_TOPS, read_vtt, read_vtt_settings
from bpcalc.pipeline.catalog import discover
from bpcalc.pipeline.gallery import write_gallery
from bpcalc.pipeline.media import duration, frame_count
from bpcalc.pipeline.runner import cut

ROOT = Path(__file__).resolve().parents[2]
STORY = ["TinyStory", "TinyChain", "TinyDigits"]  # story_order 1, 2, 3
TITLES = ["A square becomes a circle", "One number of the chain", "One number of the digits"]
NARRATION = [
    "A blue square appears.",
    "It slides across.",
    "It turns into a circle.",
    "And that is the story.",
]


def drawn_under_bands(video: Path, start: float, end: float) -> dict[float, float]:
    """For each caption band, the largest share of its pixels (in the middle eight tenths
    of the width) that any frame from ``start`` to ``end`` draws on."""
    most = dict.fromkeys(CAPTION_TOPS, 0.0)
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            if start <= frame.time <= end:
                grey = frame.to_ndarray(format="gray")
                height, width = grey.shape
                middle = grey[:, width // 10 : width - width // 10] > 64
                for top in CAPTION_TOPS:
                    band = middle[round(top * height) : round((top + 0.12) * height)]
                    most[top] = max(most[top], float(band.mean()))
    return most


def summary(result) -> str:
    return result.stdout.strip().splitlines()[-1]


def test_discovery_reads_the_story_without_importing(rendered: Path) -> None:
    entries = discover(rendered)
    assert [e.name for e in entries] == STORY
    assert [e.title for e in entries] == TITLES
    assert [e.poster_beat for e in entries] == ["turn", "two", "only"]
    code = (
        "import sys; from pathlib import Path; from bpcalc.pipeline.catalog import discover; "
        f"discover(Path({str(rendered)!r})); print('manim' in sys.modules)"
    )
    imported = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert imported.stdout.strip() == "False", imported.stderr


def test_gallery_embed_and_listing_follow_the_story(rendered: Path, project: Path) -> None:
    page = (rendered / "renders" / "index.html").read_text()
    places = [page.index(f'<section id="{name}"') for name in ["Episode", *STORY]]
    assert places == sorted(places)
    for title in TITLES:
        assert title in page
    embed = (rendered / "renders" / "EMBED.md").read_text()
    headings = [line for line in embed.splitlines() if line.startswith("## ")]
    assert headings[0].startswith("## The whole episode")
    assert [h.split(" (`")[0][3:] for h in headings[1:]] == TITLES
    listing = bpcalc(project).stdout
    lines = [line for line in listing.splitlines() if line.endswith("(up to date)")]
    assert [line.split()[1] for line in lines] == STORY
    assert TITLES[0] in lines[0]


def test_poster_is_the_last_frame_of_its_beat(rendered: Path) -> None:
    folder = out(rendered)
    assert (folder / "TinyStory.jpg").read_bytes() == (
        folder / "TinyStory/02-turn.jpg"
    ).read_bytes()
    assert (folder / "TinyChain.jpg").read_bytes() == (folder / "TinyChain/02-two.jpg").read_bytes()
    episode = (folder / "Episode.jpg").read_bytes()
    assert episode not in {(folder / f"{name}.jpg").read_bytes() for name in STORY}


def test_captions_as_webvtt_inside_the_video(rendered: Path) -> None:
    folder = out(rendered)
    vtt = folder / "TinyStory.vtt"
    assert vtt.read_text().startswith("WEBVTT\n")
    cues = read_vtt(vtt)
    assert [c.text for c in cues] == NARRATION
    assert [c.start for c in cues] == sorted(c.start for c in cues)
    length = duration(folder / "TinyStory.mp4")
    assert all(0 <= c.start < c.end <= length for c in cues)
    assert cues[0].start == pytest.approx(0) and cues[2].start == pytest.approx(2.0, abs=0.01)
    # each caption in a band as quiet as any over every frame it is shown with
    for cue, setting in zip(cues, read_vtt_settings(vtt), strict=True):
        covered = drawn_under_bands(folder / "TinyStory.mp4", cue.start, cue.end)
        top = float(setting.removeprefix("line:").removesuffix("%")) / 100 if setting else 0.88
        assert covered[top] <= min(covered.values()) + 0.01, (cue.text, setting, covered)
    episode = read_vtt_settings(folder / "Episode.vtt")
    assert episode[: len(NARRATION)] == read_vtt_settings(vtt)  # kept in the episode
    chain = [c.text for c in read_vtt(folder / "TinyChain.vtt")]  # narrated with say()
    assert chain[0].startswith("The last weight is ") and chain[1] == "That is all."
    page = (rendered / "renders" / "index.html").read_text()
    for name in ("TinyStory", "TinyChain"):
        track = (
            f'<track kind="captions" srclang="en" label="English" src="480p15/{name}.vtt" default>'
        )
        assert track in page and track in (rendered / "renders" / "EMBED.md").read_text()


def test_narration_script_has_each_beat_with_its_lines(rendered: Path) -> None:
    script = (out(rendered) / "TinyStory.md").read_text()
    assert script.startswith("# A square becomes a circle\n")
    beats = script.split("\n## ")[1:]
    assert [b.split(" (")[0] for b in beats] == ["1. square", "2. turn", "3. label"]
    assert "(0:00.0–0:02.0)" in beats[0] and "(0:02.0–0:03.5)" in beats[1]
    assert NARRATION[0] in beats[0] and NARRATION[1] in beats[0]
    assert NARRATION[2] in beats[1] and NARRATION[3] in beats[2]
    state = json.loads((out(rendered) / "state.json").read_text())
    starts = [b["start"] for b in state["TinyStory"]["beats"]]
    assert starts == pytest.approx([0.0, 2.0, 3.4667], abs=1e-3)  # from the clips' lengths


def packets(video: Path) -> list[bytes]:
    with av.open(str(video)) as container:
        return [bytes(p) for p in container.demux(video=0) if p.size]


def test_the_episode_joins_the_scenes_without_re_encoding(rendered: Path) -> None:
    folder = out(rendered)
    episode = folder / "Episode.mp4"
    assert fast_start(episode)
    joined = [p for name in STORY for p in packets(folder / f"{name}.mp4")]
    assert packets(episode) == joined  # the same H.264, byte for byte
    lengths = [duration(folder / f"{name}.mp4") for name in STORY]
    assert duration(episode) == pytest.approx(sum(lengths), abs=0.1)
    assert frame_count(folder / "Episode.webm") == sum(
        frame_count(folder / f"{n}.webm") for n in STORY
    )
    # TinyDigits ends on a picture held for 2 s: the WebM holds it to the end too
    assert duration(folder / "Episode.webm") == pytest.approx(sum(lengths), abs=0.01)
    with av.open(str(episode)) as container:
        titles = [c["metadata"]["title"] for c in container.chapters()]
    assert titles == TITLES
    chapters = read_vtt(folder / "Episode.chapters.vtt")
    assert [c.text for c in chapters] == TITLES
    assert chapters[1].start == pytest.approx(lengths[0], abs=0.01)
    every = [c.text for name in STORY for c in read_vtt(folder / f"{name}.vtt")]
    assert every[: len(NARRATION)] == NARRATION  # TinyStory is first
    assert [c.text for c in read_vtt(folder / "Episode.vtt")] == every
    script = (folder / "Episode.md").read_text()  # the transcript of the whole episode
    headings = [line for line in script.splitlines() if line.startswith("## ")]
    starts = [int(sum(lengths[:n])) for n in range(3)]  # whole seconds, as a player counts
    assert headings == [
        f"## {n}. {t} (from 0:{s:02d})" for n, t, s in zip((1, 2, 3), TITLES, starts, strict=True)
    ]
    assert "### 1. square (0:00.0–0:02.0)" in script and all(line in script for line in NARRATION)
    page = (rendered / "renders" / "index.html").read_text()
    assert page.index('id="Episode"') < page.index('id="TinyStory"')
    assert 'kind="chapters" srclang="en" label="Chapters" src="480p15/Episode.chapters.vtt"' in page


def test_the_episode_is_joined_again_only_when_a_scene_changed(project: Path) -> None:
    episode = out(project) / "Episode.mp4"
    before = episode.stat().st_mtime_ns
    again = bpcalc(project, "--episode", "--webm")
    assert "episode: up to date" in again.stdout and episode.stat().st_mtime_ns == before
    scene = project / "scenes" / "tiny_digits.py"
    scene.write_text(scene.read_text().replace("self.wait(2)", "self.wait(2.5)"))
    changed = bpcalc(project, "--episode", "--webm")
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert summary(changed).startswith("rendered 1, skipped 2")
    assert episode.stat().st_mtime_ns != before
    parts = [duration(out(project) / f"{name}.mp4") for name in ("TinyStory", "TinyChain")]
    assert duration(episode) == pytest.approx(sum(parts) + 2.5, abs=0.1)
    # once joined, the episode keeps in step with its scenes without being asked
    scene.write_text(scene.read_text().replace("self.wait(2.5)", "self.wait(3)"))
    plain = bpcalc(project, "--webm")
    assert plain.returncode == 0, plain.stdout + plain.stderr
    assert "episode: " in plain.stdout and "up to date" not in plain.stdout.split("episode: ")[1]
    assert duration(episode) == pytest.approx(sum(parts) + 3, abs=0.1)
    assert duration(out(project) / "Episode.webm") == pytest.approx(sum(parts) + 3, abs=0.1)


def test_the_gallery_offers_no_episode_older_than_its_scenes(project: Path) -> None:
    folder = out(project)
    names = [entry.name for entry in discover(project)]
    params = load_params(project / "bpcalc.toml")
    write_gallery(project / "renders", params, names)
    assert 'id="Episode"' in (project / "renders" / "index.html").read_text()
    state = json.loads((folder / "state.json").read_text())
    state["TinyChain"]["key"] = "rendered-again-since"  # as a render without the episode would
    (folder / "state.json").write_text(json.dumps(state))
    write_gallery(project / "renders", params, names)
    assert 'id="Episode"' not in (project / "renders" / "index.html").read_text()
    assert "The whole episode" not in (project / "renders" / "EMBED.md").read_text()


def test_episode_takes_no_scene_names(project: Path) -> None:
    result = bpcalc(project, "--episode", "TinyChain")
    assert result.returncode == 2 and "--episode joins every scene" in result.stderr


def frames(video: Path) -> list[np.ndarray]:
    with av.open(str(video)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    error = np.mean((a.astype(float) - b.astype(float)) ** 2)
    return float("inf") if error == 0 else 10 * np.log10(255**2 / error)


def test_a_split_render_leaves_nothing_but_published_files(project: Path) -> None:
    shutil.copy(ROOT / "manim.cfg", project)  # Manim's media folder: renders/
    before = {
        folder: sorted(p.name for p in folder.iterdir())
        for folder in (project, project / "renders")
    }
    assert "Tex" not in before[project / "renders"]
    result = bpcalc(project, "--force", "--split", "2", "TinyChain")  # it typesets a number
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 pieces" in result.stdout
    assert {folder: sorted(p.name for p in folder.iterdir()) for folder in before} == before


def test_a_split_render_matches_one_process(rendered: Path, project: Path) -> None:
    single = out(rendered)
    result = bpcalc(project, "--force", "--split", "3", "--webm", "TinyStory")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "TinyStory: ok" in result.stdout and "3 pieces" in result.stdout
    split = out(project)
    a, b = single / "TinyStory.mp4", split / "TinyStory.mp4"
    assert fast_start(a) and fast_start(b)  # joined by Manim, then by bpcalc
    assert duration(b) == pytest.approx(duration(a), abs=1e-6)
    # 15 fps: Create, shift, Transform 15 frames each; wait(0.5) one held frame;
    # FadeIn 9 frames; scale 15; wait(0.4) one held frame.
    assert frame_count(b) == frame_count(a) == 15 + 15 + 15 + 1 + 9 + 15 + 1
    # ... lasting what they last at a constant 15 fps (a wait is a whole number of frames)
    assert duration(a) == pytest.approx((15 + 15 + 15 + 7 + 9 + 15 + 6) / 15, abs=1e-6)
    webms = [(f / "TinyStory.webm").read_bytes() for f in (single, split)]
    assert webms[0] == webms[1]  # made clip by clip: the split does not change a byte
    ours, theirs = frames(a), frames(b)
    for index in range(0, len(ours), 7):  # sampled times, both ends included
        assert psnr(ours[index], theirs[index]) >= 40, index
    assert psnr(ours[-1], theirs[-1]) >= 40
    states = [json.loads((f / "state.json").read_text())["TinyStory"] for f in (single, split)]
    assert states[1]["pieces"] == 3 and states[0]["pieces"] == 1
    for ours_beat, theirs_beat in zip(states[0]["beats"], states[1]["beats"], strict=True):
        assert theirs_beat["name"] == ours_beat["name"]
        assert theirs_beat["start"] == pytest.approx(ours_beat["start"], abs=1e-6)
        assert theirs_beat["end"] == pytest.approx(ours_beat["end"], abs=1e-6)
    assert states[1]["figures"] == states[0]["figures"]
    cues = [read_vtt(f / "TinyStory.vtt") for f in (single, split)]
    assert [c.text for c in cues[1]] == [c.text for c in cues[0]] == NARRATION
    for ours_cue, theirs_cue in zip(*cues, strict=True):  # SubRip rounds to milliseconds
        assert theirs_cue.start == pytest.approx(ours_cue.start, abs=0.002)
        assert theirs_cue.end == pytest.approx(ours_cue.end, abs=0.002)
    for figure in states[0]["figures"]:
        images = [np.asarray(_image(f / "TinyStory" / figure)) for f in (single, split)]
        assert psnr(*images) >= 40, figure


def _image(path: Path):
    from PIL import Image

    return Image.open(path).convert("RGB")


def test_cut_balances_the_cost_of_drawing() -> None:
    assert cut([1, 1, 1, 1], 2) == [(0, 1), (2, 3)]
    assert cut([5, 1, 1, 1, 1, 1], 2) == [(0, 0), (1, 5)]
    assert cut([1, 1], 4) == [(0, 0), (1, 1)]
    assert cut([1, 2, 3], 1) == [(0, 2)]


def test_webm_keeps_every_frame_time(rendered: Path) -> None:
    # Reproducible bytes: see the split test, which renders twice and compares.
    video, webm = (out(rendered) / f"TinyStory.{suffix}" for suffix in ("mp4", "webm"))
    with av.open(str(webm)) as container:
        assert container.streams.video[0].codec_context.name == "vp9"
    assert frame_times(webm) == pytest.approx(frame_times(video), abs=0.001)  # ms clock
    assert duration(webm) == pytest.approx(duration(video), abs=0.002)


def frame_times(video: Path) -> list[float]:
    with av.open(str(video)) as container:
        return sorted(float(p.pts * p.time_base) for p in container.demux(video=0) if p.size)


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if text in command:
                found.append(command)
    return found


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_stop_ends_manim_cleans_up_and_keeps_published_files(project: Path, signum: int) -> None:
    good = {p: p.read_bytes() for p in out(project).rglob("*") if p.is_file()}
    # 1080p60: the pieces are still drawing well after both have started
    command = [sys.executable, "-m", "bpcalc.cli", "render", "--force", "-q", "h", "--split", "2"]
    child = subprocess.Popen(
        [*command, "TinyStory"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ},
    )
    work = project / "renders" / ".work"
    while not list(work.glob("run-*/TinyStory-*/piece1.log")):  # both pieces have started
        assert child.poll() is None, child.communicate()
    child.send_signal(signum)
    stdout, stderr = child.communicate(timeout=30)
    assert child.returncode == 128 + signum, stdout + stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and "interrupted by " + signal.Signals(signum).name in lines[0]
    assert _processes_mentioning(str(project)) == []  # every Manim child is gone
    assert not work.exists()
    now = {p: p.read_bytes() for p in out(project).rglob("*") if p.is_file()}
    assert now == good
    assert not (project / "renders" / "1080p60").exists() or not list(
        (project / "renders" / "1080p60").glob("*.mp4")
    ), stdout + stderr
