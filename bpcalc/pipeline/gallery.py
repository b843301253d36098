"""The gallery: renders/index.html and renders/EMBED.md, made from what is published.

Links are relative, so the renders/ folder can be uploaded as it is; the
snippets a reader copies link to ``base_url`` instead when one is given
(``bpcalc render --base-url``), so they work pasted into a post anywhere.
Scenes follow the story order, each under its title; the episode (every
scene joined) comes first, with its chapters. The page is light (JPEG
posters, lazy figures, metadata-only preloads) and accessible (landmarks,
named sections, buttons named per scene, a "Copied" announced, figures
described by their beat's narration, chapter times that seek the player).
It checks itself when opened with ``?check``: it writes, into the element
``#check``, whether every video loaded its metadata, every image loaded,
and how many cues each caption and chapter track holds.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bpcalc.params import Params, toml_value
from bpcalc.pipeline.captions import beat_title, clock
from bpcalc.pipeline.episode import EPISODE
from bpcalc.pipeline.ledger import EpisodeRecord, Ledger, SceneRecord
from bpcalc.pipeline.media import publish

__all__ = ["Row", "episode_row", "scene_rows", "snippets", "write_gallery"]

QUALITY_ORDER = ("2160p60", "1080p60", "720p30", "480p15")  # best first
FRAME_SIZES = {"2160p60": (3840, 2160), "1080p60": (1920, 1080), "720p30": (1280, 720)}
FRAME_SIZES["480p15"] = (854, 480)
# The size a snippet asks for; CSS lets it shrink to its column, keeping the shape.
PLAYER_SIZE = (1280, 720)
RESPONSIVE = "max-width:100%;height:auto"


@dataclass(frozen=True)
class Row:
    """A video the gallery shows, at the best quality it is published at: a scene (its
    record) or the episode."""

    name: str
    quality: str
    title: str
    seconds: float
    captions: bool
    gif: bool
    webm: bool
    chapters: tuple[tuple[float, str], ...]  # where each chapter starts, and its title
    scene: SceneRecord | None = None  # None for the episode

    @classmethod
    def of_scene(cls, name: str, quality: str, scene: SceneRecord) -> Row:
        return cls(
            name=name,
            quality=quality,
            title=scene.title or name,
            seconds=scene.seconds,
            captions=scene.captions,
            gif=scene.gif,
            webm=scene.webm,
            chapters=tuple((b.start, beat_title(b.name)) for b in scene.beats),
            scene=scene,
        )

    @classmethod
    def of_episode(cls, quality: str, episode: EpisodeRecord) -> Row:
        return cls(
            name=EPISODE,
            quality=quality,
            title="The whole episode",
            seconds=episode.seconds,
            captions=episode.captions,
            gif=False,
            webm=episode.webm,
            chapters=tuple((c.start, c.title) for c in episode.chapters),
        )


def scene_rows(renders: Path, order: Sequence[str] = ()) -> list[Row]:
    """Each published scene once, at the best quality available, in story order.

    ``order`` lists the scene names as discovered (story order); scenes not
    in it follow, by story order recorded when rendered, then file and name.
    """
    rows: dict[str, Row] = {}
    for quality in QUALITY_ORDER:
        for name, scene in Ledger(renders / quality).published().items():
            if name not in rows:
                rows[name] = Row.of_scene(name, quality, scene)
    place = {name: index for index, name in enumerate(order)}

    def key(row: Row) -> tuple:
        assert row.scene is not None
        story = row.scene.story_order
        return (place.get(row.name, len(place)), story is None, story or 0, row.scene.file)

    return sorted(rows.values(), key=lambda row: (*key(row), row.name))


def episode_row(renders: Path) -> Row | None:
    """The episode at the best quality it was joined at from the scenes published there
    now, or None: an episode older than one of its scenes tells another story."""
    for quality in QUALITY_ORDER:
        ledger = Ledger(renders / quality)
        episode = ledger.episode()
        if (
            episode is not None
            and (ledger.folder / f"{EPISODE}.mp4").is_file()
            and ledger.episode_is_current(episode)
        ):
            return Row.of_episode(quality, episode)
    return None


def snippets(row: Row, base: str = "") -> tuple[str, str]:
    """An HTML <video> block and a Markdown fallback, linking to ``base`` (a URL ending
    in /, or "" for paths relative to renders/)."""
    url = html.escape(f"{base}{row.quality}/{row.name}")
    title = html.escape(row.title)
    sources = [f'  <source src="{url}.mp4" type="video/mp4">']
    sources += [f'  <source src="{url}.webm" type="video/webm">'] * row.webm
    tracks = []
    if row.captions:
        tracks.append(
            f'  <track kind="captions" srclang="en" label="English" src="{url}.vtt" default>'
        )
    if row.chapters:
        tracks.append(
            f'  <track kind="chapters" srclang="en" label="Chapters" src="{url}.chapters.vtt">'
        )
    width, height = PLAYER_SIZE
    video = "\n".join(
        [
            f'<video controls playsinline preload="metadata" width="{width}" height="{height}" '
            f'style="{RESPONSIVE}" poster="{url}.jpg" title="{title}">',
            *sources,
            *tracks,
            f'  <a href="{url}.mp4">Download the video</a>',
            "</video>",
        ]
    )
    video += f'\n<p><a href="{url}.md">Transcript of “{title}”</a></p>'
    still = f"{url}.gif" if row.gif else f"{url}.jpg"
    markdown = f"[![{row.title}]({still})]({url}.mp4)"
    markdown += f"\n\n[Transcript]({url}.md)"
    return video, markdown


MARKDOWN_LOSES = (
    "where HTML is not allowed: the poster, linking to the video, and the transcript; "
    "it loses the captions and chapters (where HTML is allowed, paste the HTML block)"
)


def _parameters(scene: SceneRecord) -> str:
    """The tables the scene's numbers came from, as they were when it was rendered."""
    items = []
    for table, values in scene.made_from.items():
        text = ", ".join(f"{k} = {toml_value(v)}" for k, v in values.items())
        items.append(f"<li><code>[{table}]</code> {html.escape(text)}</li>")
    source = html.escape(scene.params_file)
    return f"<ul class=params>{''.join(items)}</ul><p class=meta>from <code>{source}</code></p>"


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bpcalc renders</title>
<style>
body {{ background: #111; color: #eee; font: 16px/1.5 system-ui, sans-serif; margin: 0 auto;
       max-width: 1100px; padding: 1rem; }}
h1 {{ font-weight: 500; }} h2 {{ margin-top: 2.5rem; font-weight: 500; }}
video, img {{ max-width: 100%; height: auto; background: #000; border-radius: 4px; }}
.meta {{ color: #aaa; }} a {{ color: #8cf; }} code, pre {{ background: #222; border-radius: 4px; }}
pre {{ padding: .6rem; white-space: pre-wrap; overflow-wrap: anywhere; font-size: .85rem; }}
nav ol {{ columns: 16rem; }}
.figures {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr));
            gap: .6rem; }}
figure {{ margin: 0; }} figcaption {{ color: #aaa; font-size: .85rem; }}
button {{ background: #333; color: #eee; border: 1px solid #777; border-radius: 4px;
          cursor: pointer; padding: .2rem .6rem; font: inherit; }}
.visually-hidden {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
                    clip-path: inset(50%); white-space: nowrap; }}
</style></head>
<body>
<header><h1>bpcalc renders</h1>
<p class=meta>Every number in these videos was computed by bpcalc from
{source}. {links}</p>
<p id=served hidden>Opened as a file, the browser shows no captions or chapters: serve this
folder, for example with <code>python3 -m http.server -d renders</code>, and open
<code>http://localhost:8000/</code>.</p></header>
<nav aria-label="Videos"><ol>{contents}</ol></nav>
<main>
{scenes}
<p id=status class=visually-hidden role=status aria-live=polite></p>
<pre id=check hidden></pre>
</main>
<script>
document.getElementById("served").hidden = location.protocol !== "file:";
const status = document.getElementById("status");
for (const b of document.querySelectorAll("button[data-copy]")) {{
  b.addEventListener("click", async () => {{
    const text = document.getElementById(b.dataset.copy).textContent;
    status.textContent = "";
    try {{
      await navigator.clipboard.writeText(text);
      status.textContent = "Copied: " + b.getAttribute("aria-label").replace(/^Copy /, "");
    }} catch {{
      status.textContent = "Could not copy: select the text and copy it";
    }}
  }});
}}
for (const a of document.querySelectorAll("a[data-seek]")) {{
  a.addEventListener("click", event => {{
    const video = document.querySelector("#" + a.dataset.seek + " video");
    if (!video) return;
    event.preventDefault();
    video.currentTime = Number(a.dataset.time);
    video.play().catch(() => {{}});
    video.focus();
  }});
}}
if (location.search.includes("check")) {{
  const videos = [...document.querySelectorAll("video")];
  const images = [...document.querySelectorAll("img")];
  const tracks = [...document.querySelectorAll("video track")];
  for (const i of images) i.loading = "eager";  // the check wants them all, now
  const videoReady = videos.map(v => new Promise(done => {{
    if (v.readyState >= 1) done(); else {{
      v.addEventListener("loadedmetadata", done); v.addEventListener("error", done); }}
    v.load();
  }}));
  const imageReady = images.map(i => i.complete && i.naturalWidth ? Promise.resolve() :
    new Promise(done => {{ i.onload = done; i.onerror = done; }}));
  const trackReady = tracks.map(t => new Promise(done => {{
    if (t.readyState === 2 || t.readyState === 3) done(); else {{
      t.addEventListener("load", done); t.addEventListener("error", done); }}
    t.track.mode = "hidden";  // a track loads only when it is not disabled
  }}));
  Promise.all([...videoReady, ...imageReady, ...trackReady]).then(() => {{
    const out = document.getElementById("check");
    out.textContent = JSON.stringify({{
      videos: videos.map(v => ({{src: v.currentSrc, duration: v.duration}})),
      images: images.map(i => ({{src: i.currentSrc, width: i.naturalWidth}})),
      tracks: tracks.map(t => ({{src: t.src, kind: t.kind, readyState: t.readyState,
        cues: t.track.cues ? [...t.track.cues].map(c => c.text) : null}})),
    }});
    out.hidden = false;
  }});
}}
</script>
</body></html>
"""


def _chapter_list(row: Row, player: str) -> str:
    """The chapters as links that seek the player (without script: the video at that time)."""
    url = html.escape(f"{row.quality}/{row.name}.mp4")
    items = "".join(
        f'<li><a href="{url}#t={start:.2f}" data-seek="{player}" data-time="{start:.3f}">'
        f"{clock(start)}</a> {html.escape(title)}</li>"
        for start, title in row.chapters
    )
    return f"<h3>Chapters</h3><ol class=chapters>{items}</ol>" if items else ""


def _figures(row: Row, scene: SceneRecord, title: str) -> str:
    """Each beat's last picture, described by what its narration says (lazy: they are
    all below the first player)."""
    folder = f"{row.quality}/{row.name}"
    width, height = FRAME_SIZES.get(row.quality, PLAYER_SIZE)
    beats = {f"{number:02d}-{b.name}": b for number, b in enumerate(scene.beats, 1)}
    items = []
    for figure in scene.figures:
        stem = figure.rsplit(".", 1)[0]
        beat = beats.get(stem)
        said = " ".join(" ".join(line.split()) for line in beat.lines) if beat else ""
        name = beat_title(stem[3:])
        alt = f"{title}, end of “{name}”" + (f": {said}" if said else "")
        items.append(
            f'<figure><a href="{folder}/{figure}"><img src="{folder}/{figure}" '
            f'alt="{html.escape(alt)}" width="{width}" height="{height}" loading="lazy"></a>'
            f"<figcaption>{int(stem[:2])}. {html.escape(name)}</figcaption></figure>"
        )
    return f"<h3>Figures</h3><div class=figures>{''.join(items)}</div>" if items else ""


def _embed(row: Row, base: str, title: str) -> str:
    """The snippets to copy, each with a button named after its scene."""
    video, markdown = snippets(row, base)
    name = row.name
    blocks = [("html", "HTML", video, ""), ("md", "Markdown", markdown, f" ({MARKDOWN_LOSES})")]
    return "<h3>Embed</h3>" + "".join(
        f'<p>{label}{html.escape(note)} <button type=button data-copy="{name}-{kind}" '
        f'aria-label="Copy {label} snippet of {html.escape(title)}">Copy {label}</button></p>'
        f'<pre id="{name}-{kind}">{html.escape(text)}</pre>'
        for kind, label, text, note in blocks
    )


def _section(row: Row, base: str) -> str:
    """One video's section: heading, player, chapters, what it was made from, figures,
    snippets."""
    name, scene = row.name, row.scene
    title = html.escape(row.title)
    player, _ = snippets(row)
    if scene is None:
        heading = title
        meta = (
            f"{len(row.chapters)} scenes in story order &middot; "
            f"{clock(row.seconds)} &middot; {row.quality} &middot; a chapter per scene"
        )
        made = figures = ""
    else:
        story = f"{scene.story_order}. " if scene.story_order is not None else ""
        heading = f"{story}{title}"
        meta = (
            f"<code>{name}</code> &middot; {scene.file} &middot; {clock(row.seconds)} "
            f"&middot; {row.quality}"
        )
        made = f"<h3>Made from</h3>{_parameters(scene)}"
        figures = _figures(row, scene, title)
    return (
        f'<section id="{name}" aria-labelledby="{name}-title">'
        f'<h2 id="{name}-title">{heading}</h2><p class=meta>{meta}</p>\n'
        f'<div id="{name}-player">{player}</div>\n'
        f"{_chapter_list(row, f'{name}-player')}{made}{figures}"
        f"{_embed(row, base, title)}</section>"
    )


def write_gallery(
    renders: Path, params: Params, order: Sequence[str] = (), base_url: str = ""
) -> None:
    """Write index.html and EMBED.md: the episode, then every published scene in story order."""
    rows = scene_rows(renders, order)
    episode = episode_row(renders)
    every = ([episode] if episode else []) + rows
    sections = [_section(row, base_url) for row in every]
    where = (
        f"Snippets link to <code>{html.escape(base_url)}</code>."
        if base_url
        else "Snippets use paths relative to this folder: upload it as it is."
    )
    page = PAGE.format(
        source=" and ".join(
            f"<code>{html.escape(name)}</code>"
            for name in sorted({row.scene.params_file for row in rows if row.scene})
            or [params.source.name]
        ),
        links=where,
        contents="".join(
            f'<li><a href="#{row.name}">{html.escape(row.title)}</a></li>' for row in every
        ),
        scenes="\n".join(sections) or "<p>Nothing yet.</p>",
    )
    publish(renders / "index.html", lambda p: p.write_text(page, encoding="utf-8"))
    lines = [
        "# Embedding bpcalc videos",
        "",
        f"Links point at `{base_url}`."
        if base_url
        else (
            "Paths are relative to the `renders/` folder; upload it as it is, or render "
            "with `--base-url URL` for links that work from anywhere."
        ),
        "",
    ]
    for row in every:
        video, markdown = snippets(row, base_url)
        lines += [
            f"## {row.title} (`{row.name}`, {clock(row.seconds)})",
            "",
            "```html",
            video,
            "```",
            "",
            f"Markdown, {MARKDOWN_LOSES}:",
            "",
            "```markdown",
            markdown,
            "```",
            "",
        ]
    publish(renders / "EMBED.md", lambda p: p.write_text("\n".join(lines), encoding="utf-8"))
