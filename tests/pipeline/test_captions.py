"""The narration script puts each caption under the beat it is said in."""

from __future__ import annotations

from bpcalc.pipeline.captions import Beat, Cue, narration


def lines_per_beat(script: str) -> dict[str, list[str]]:
    beats: dict[str, list[str]] = {}
    for block in script.split("\n## ")[1:]:
        heading, *body = block.splitlines()
        name = heading.split(". ", 1)[1].split(" (")[0]
        beats[name] = [line.split("] ", 1)[1] for line in body if line.startswith("- [")]
    return beats


def test_a_caption_said_as_a_beat_starts_is_under_that_beat() -> None:
    # A beat's times are sums of its clips' lengths (164 frames at 15 fps end the
    # first beat at 10.9333... s); SubRip keeps whole milliseconds, so the line said
    # as the second beat starts is stamped 10.933 s, a third of a millisecond earlier.
    first_end = 164 / 15
    beats = [Beat("network", 0.0, first_end), Beat("cost", first_end, 25.3), Beat("end", 25.3, 30)]
    cues = [
        Cue(0.0, 6.1, "One neuron per layer."),
        Cue(6.1, 10.933, "It outputs 0.704."),
        Cue(10.933, 16.3, "The cost is 0.0874."),
        Cue(16.3, 25.299, "Change any one of them."),
        Cue(25.299, 29.0, "Look at the last two."),
        Cue(29.0, 31.0, "Said as the video ends."),
    ]
    beats_said = lines_per_beat(narration("Title", "Scene", beats, cues))
    assert beats_said == {
        "network": ["One neuron per layer.", "It outputs 0.704."],
        "cost": ["The cost is 0.0874.", "Change any one of them."],
        "end": ["Look at the last two.", "Said as the video ends."],
    }


def test_a_caption_well_before_a_cut_stays_in_its_beat() -> None:
    beats = [Beat("a", 0.0, 2.0), Beat("b", 2.0, 4.0)]
    cues = [Cue(1.99, 2.5, "Just before the cut."), Cue(2.0, 3.0, "At the cut.")]
    assert lines_per_beat(narration("T", "S", beats, cues)) == {
        "a": ["Just before the cut."],
        "b": ["At the cut."],
    }


def test_cue_settings_are_written_per_cue_and_read_back(tmp_path) -> None:
    from bpcalc.pipeline.captions import read_vtt, read_vtt_settings, to_vtt

    cues = [Cue(0.0, 1.0, "At the top."), Cue(1.0, 2.0, "At the bottom.")]
    text = to_vtt(cues, settings=["line:5%", ""])
    assert "00:00:00.000 --> 00:00:01.000 line:5%\nAt the top." in text
    assert "00:00:01.000 --> 00:00:02.000\nAt the bottom." in text
    (tmp_path / "a.vtt").write_text(text)
    assert read_vtt(tmp_path / "a.vtt") == cues
    assert read_vtt_settings(tmp_path / "a.vtt") == ["line:5%", ""]


def test_a_caption_goes_where_least_is_drawn(tmp_path) -> None:
    import numpy as np
    from PIL import Image

    from bpcalc.pipeline.captions import CAPTION_TOPS, caption_setting
    from bpcalc.pipeline.media import quietest_band

    picture = np.zeros((100, 160), np.uint8)
    picture[86:96, 40:120] = 255  # a formula along the bottom
    Image.fromarray(picture).save(tmp_path / "bottom.png")
    assert (
        caption_setting(quietest_band(tmp_path / "bottom.png", CAPTION_TOPS)) == "line:68%"
    )  # just above it
    picture[:, 30:130] = 200  # drawn everywhere but one band
    picture[44:58, :] = 0
    Image.fromarray(picture).save(tmp_path / "middle.png")
    assert quietest_band(tmp_path / "middle.png", CAPTION_TOPS) == 0.44
    Image.fromarray(np.zeros((100, 160), np.uint8)).save(tmp_path / "empty.png")
    assert caption_setting(quietest_band(tmp_path / "empty.png", CAPTION_TOPS)) == ""  # bottom


def test_a_caption_clears_what_any_of_its_pictures_draws_and_stays_put_when_it_can() -> None:
    import numpy as np

    from bpcalc.pipeline.captions import CAPTION_TOPS
    from bpcalc.pipeline.media import quietest_band

    first, second = np.zeros((100, 160), np.uint8), np.zeros((100, 160), np.uint8)
    first[78:98, 20:140] = 255  # the bottom drawn while the caption comes
    second[50:74, 20:140] = 255  # the middle as it goes
    assert quietest_band([first], CAPTION_TOPS) == 0.6  # the lowest band clear of it
    assert quietest_band([first, second], CAPTION_TOPS) == 0.36  # clear of both
    empty = np.zeros((100, 160), np.uint8)
    assert quietest_band([empty], CAPTION_TOPS) == 0.88  # the bottom, nothing in the way
    assert quietest_band([empty], CAPTION_TOPS, stay=0.2) == 0.2  # where the last one was
