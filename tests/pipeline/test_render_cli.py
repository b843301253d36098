"""`bpcalc render` in a temporary project with two tiny scenes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from scene_support import bpcalc_render as bpcalc

from bpcalc.pipeline.catalog import RenderError, discover, select
from bpcalc.pipeline.media import duration, publish
from bpcalc.pipeline.render import plan_pieces

ROOT = Path(__file__).resolve().parents[2]


def summary(result) -> str:
    return result.stdout.strip().splitlines()[-1]


def published(project: Path, name: str) -> Path:
    return project / "renders" / "480p15" / f"{name}.mp4"


def test_discovers_renders_and_publishes_everything(rendered: Path) -> None:
    out = rendered / "renders" / "480p15"
    for name in ("TinyChain", "TinyDigits"):
        for suffix in (".mp4", ".webm", ".jpg", ".vtt", ".chapters.vtt", ".md"):
            assert (out / f"{name}{suffix}").stat().st_size > 0
        assert duration(out / f"{name}.webm") > 0.5
    assert sorted(p.name for p in (out / "TinyChain").iterdir()) == ["01-one.jpg", "02-two.jpg"]
    page = (rendered / "renders" / "index.html").read_text()
    assert 'src="480p15/TinyChain.webm"' in page and "/work/" not in page
    assert page.index('src="480p15/TinyChain.mp4"') < page.index('src="480p15/TinyChain.webm"')
    embed = (rendered / "renders" / "EMBED.md").read_text()
    assert "[![One number of the digits](480p15/TinyDigits.jpg)](480p15/TinyDigits.mp4)" in embed
    assert not list((rendered / "renders").glob("**/.*.mp4"))  # no temporary files left


def test_nothing_to_do_skips_everything(project: Path) -> None:
    before = published(project, "TinyChain").stat().st_mtime_ns
    result = bpcalc(project)
    assert result.returncode == 0
    assert summary(result).startswith("rendered 0, skipped 3, failed 0")
    assert published(project, "TinyChain").stat().st_mtime_ns == before


@pytest.mark.parametrize(
    ("old", "new", "changed"),
    [
        ("step = 500", "step = 400", "TinyChain"),  # [chain]
        ("index = 0", "index = 1", "TinyDigits"),  # [example]
    ],
)
def test_a_parameter_edit_renders_only_the_scenes_that_use_it(
    project: Path, old: str, new: str, changed: str
) -> None:
    params = project / "bpcalc.toml"
    params.write_text(params.read_text().replace(old, new, 1))
    stamps = {n: published(project, n).stat().st_mtime_ns for n in ("TinyChain", "TinyDigits")}
    result = bpcalc(project)
    assert result.returncode == 0, result.stderr
    assert summary(result).startswith("rendered 1, skipped 2, failed 0")
    for name, stamp in stamps.items():
        assert (published(project, name).stat().st_mtime_ns != stamp) == (name == changed)


def test_a_source_edit_renders_that_scene(project: Path) -> None:
    scene = project / "scenes" / "tiny_digits.py"
    scene.write_text(scene.read_text().replace("self.wait(2)", "self.wait(2.5)"))
    result = bpcalc(project)
    assert summary(result).startswith("rendered 1, skipped 2")
    assert duration(published(project, "TinyDigits")) == pytest.approx(2.5, abs=0.1)


def test_an_edit_of_bpcalc_code_renders_the_scenes_that_import_it(project: Path) -> None:
    package = project / "pkg"
    shutil.copytree(
        ROOT / "bpcalc", package / "bpcalc", ignore=shutil.ignore_patterns("__pycache__")
    )
    env = {"PYTHONPATH": str(package)}
    first = bpcalc(project, env=env)  # same code, another place: nothing to do
    assert summary(first).startswith("rendered 0, skipped 3"), first.stdout + first.stderr
    palette = package / "bpcalc" / "viz" / "palette.py"
    palette.write_text(palette.read_text() + "\n# an edit\n")
    second = bpcalc(project, env=env)
    assert summary(second).startswith("rendered 2, skipped 1"), second.stdout  # not TinyStory
    captions = package / "bpcalc" / "pipeline" / "captions.py"  # makes every scene's script
    captions.write_text(captions.read_text() + "\n# an edit\n")
    third = bpcalc(project, env=env)
    assert summary(third).startswith("rendered 3, skipped 0"), third.stdout


def test_force_quality_and_format(project: Path) -> None:
    assert summary(bpcalc(project, "--force", "TinyChain")).startswith("rendered 1, skipped 0")
    assert not (project / "renders" / "480p15" / "TinyChain.webm").exists()  # not asked now
    medium = bpcalc(project, "--quality", "m", "TinyChain")
    assert summary(medium).startswith("rendered 1, skipped 0")
    assert (project / "renders" / "720p30" / "TinyChain.mp4").is_file()
    assert not (project / "renders" / "720p30" / "TinyChain.webm").exists()  # opt-in
    webm = bpcalc(project, "--quality", "m", "--webm", "TinyChain")
    assert summary(webm).startswith("rendered 1, skipped 0")  # asked for what it lacked
    assert (project / "renders" / "720p30" / "TinyChain.webm").is_file()
    assert summary(bpcalc(project, "--quality", "m", "TinyChain")).startswith("rendered 0")
    gif = bpcalc(project, "--format", "gif", "tiny_digits")
    assert summary(gif).startswith("rendered 1, skipped 0")
    assert (project / "renders" / "480p15" / "TinyDigits.gif").stat().st_size > 0
    again = bpcalc(project, "--format", "gif", "tiny_digits")
    assert summary(again).startswith("rendered 0, skipped 1")


def test_a_failing_scene_does_not_stop_the_others(project: Path) -> None:
    (project / "scenes" / "broken.py").write_text(
        "from manim import Scene\n\n\nclass Broken(Scene):\n"
        "    def construct(self):\n        raise RuntimeError('the broken scene')\n"
    )
    result = bpcalc(project, "--force")
    assert result.returncode == 1
    assert summary(result).startswith("rendered 3, skipped 0, failed 1")
    assert "Broken: FAILED" in result.stdout and "the broken scene" in result.stdout


def test_a_failed_render_keeps_the_published_files(project: Path) -> None:
    good = {p: p.read_bytes() for p in (project / "renders" / "480p15").glob("TinyChain.*")}
    scene = project / "scenes" / "tiny_chain.py"
    scene.write_text(scene.read_text().replace("self.wait(0.5)\n", "1 / 0\n", 1))
    result = bpcalc(project)
    assert result.returncode == 1
    for path, content in good.items():
        assert path.read_bytes() == content, path


def test_publishing_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "video.mp4"
    target.write_bytes(b"good")

    def half_then_crash(path: Path) -> None:
        path.write_bytes(b"half a fi")
        raise OSError("disk full")

    with pytest.raises(OSError):
        publish(target, half_then_crash)
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["video.mp4"]


def test_two_runs_at_once_both_succeed(project: Path) -> None:
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "bpcalc.cli", "render", "--force", "TinyChain"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert any("waiting" in out for out, _ in outputs)
    assert duration(published(project, "TinyChain")) > 0.5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quality", "x"], "invalid choice: 'x'"),
        (["--jobs", "0"], "expected a whole number >= 1"),
        (["NoSuchScene"], "no scene named 'NoSuchScene'"),
        (["--params", "missing.toml"], "missing.toml: file not found"),
        (["--base-url", "videos/"], "absolute http:// or https:// URL of the renders/ folder"),
    ],
)
def test_bad_arguments_give_one_line(project: Path, args: list[str], message: str) -> None:
    result = bpcalc(project, *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr


@pytest.mark.parametrize("command", [["render"], ["render", "--force"], ["slides"]])
def test_an_example_missing_from_the_test_set_is_refused_before_any_render(
    project: Path, command: list[str]
) -> None:
    params = project / "bpcalc.toml"
    params.write_text(params.read_text().replace("index = 0", "index = 5000", 1))
    published_before = {p: p.read_bytes() for p in (project / "renders").rglob("*") if p.is_file()}
    result = subprocess.run(
        [sys.executable, "-m", "bpcalc.cli", *command],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "bpcalc.toml: example.index = 5000" in lines[0], result.stderr
    assert "the test set has" in lines[0]
    assert {p: p.read_bytes() for p in (project / "renders").rglob("*") if p.is_file()} == (
        published_before
    )
    assert not (project / "renders" / ".work").exists()


def test_the_gallery_says_what_each_scene_was_made_from(project: Path) -> None:
    other = project / "other.toml"
    other.write_text((project / "bpcalc.toml").read_text().replace("step = 500", "step = 400", 1))
    result = bpcalc(project, "--params", "other.toml")
    assert summary(result).startswith("rendered 1, skipped 2"), result.stdout  # TinyChain
    page = (project / "renders" / "index.html").read_text()
    chain = page[page.index('<section id="TinyChain"') :]
    chain = chain[: chain.index("</section>")]
    assert "step = 400" in chain and "<code>other.toml</code>" in chain
    digits = page[page.index('<section id="TinyDigits"') :]
    digits = digits[: digits.index("</section>")]
    assert "<code>bpcalc.toml</code>" in digits  # rendered before, from the first file
    assert "layers = [64, 16, 16, 10]" in digits  # as a parameter file writes it
    assert "from\n<code>bpcalc.toml</code> and <code>other.toml</code>." in page


def test_idle_cores_go_to_the_longest_scenes_above_480p() -> None:
    assert plan_pieces(2, [142.0], "h", None) == [2]
    assert plan_pieces(4, [30.0, 142.0, 70.0], "h", None) == [1, 2, 1]
    assert plan_pieces(2, [30.0, 142.0, 70.0], "h", None) == [1, 1, 1]  # no core idle
    assert plan_pieces(2, [142.0], "l", None) == [1]  # seconds each: splitting costs more
    assert plan_pieces(2, [142.0, 70.0], "h", 3) == [3, 3]  # --split N
    assert plan_pieces(2, [], "h", None) == []  # nothing to render


def test_a_scene_is_named_by_class_file_or_path(rendered: Path) -> None:
    entries = discover(rendered)
    for name in ("TinyChain", "tiny_chain", "tiny_chain.py", "scenes/tiny_chain.py"):
        assert [e.name for e in select(entries, [name])] == ["TinyChain"], name
    with pytest.raises(RenderError, match="no scene named 'elsewhere/tiny_chain.py'"):
        select(entries, ["elsewhere/tiny_chain.py"])


def test_progress_counts_the_animations_drawn(tmp_path: Path, monkeypatch, capsys) -> None:
    from bpcalc.pipeline import jobs

    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 0.0)
    clips = tmp_path / "ChainRule-x1" / "piece0" / "videos" / "partial_movie_files" / "ChainRule"
    clips.mkdir(parents=True)
    progress = jobs.Progress(tmp_path, {"ChainRule": 126, "NudgeCost": 0})
    progress()
    assert capsys.readouterr().out == ""  # nothing drawn yet, nothing said
    for number in range(3):
        (clips / f"uncached_{number:05d}.mp4").touch()
    progress()
    assert capsys.readouterr().out == "  drawing: ChainRule 3/126 animations\n"
    progress()
    assert capsys.readouterr().out == ""  # no news, no line
    other = tmp_path / "NudgeCost-y" / "media" / "partial_movie_files" / "NudgeCost"
    other.mkdir(parents=True)
    (other / "uncached_00000.mp4").touch()
    progress()
    assert capsys.readouterr().out == "  drawing: ChainRule 3/126, NudgeCost 1 animations\n"
    (tmp_path / "NudgeCost-y" / "animations").write_text("80")  # a split render's probe counted
    (other / "uncached_00001.mp4").touch()
    progress()
    assert capsys.readouterr().out == "  drawing: ChainRule 3/126, NudgeCost 2/80 animations\n"
