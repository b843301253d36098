"""The gallery: renders/index.html and renders/EMBED.md, made from what is published.

Links are relative, so the renders/ folder can be uploaded as it is. Scenes
follow the story order, each under its title; the episode (every scene
joined) comes first, with its chapters. The page checks itself when opened
with ``?check``: it writes, into the element ``#check``, whether every video
loaded its metadata, every image loaded, and how many cues each caption and
chapter track holds.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from bpcalc.params import Params, toml_value
from bpcalc.pipeline.episode import EPISODE, episode_info, is_current
from bpcalc.pipeline.media import publish

__all__ = ["episode_row", "scene_rows", "write_gallery"]

QUALITY_ORDER = ("2160p60", "1080p60", "720p30", "480p15")  # best first


def scene_rows(renders: Path, order: Sequence[str] = ()) -> list[dict]:
    """Each published scene once, at the best quality available, in story order.

    ``order`` lists the scene names as discovered (story order); scenes not
    in it follow, by story order recorded when rendered, then file and name.
    """
    rows: dict[str, dict] = {}
    for quality in QUALITY_ORDER:
        try:
            state = json.loads((renders / quality / "state.json").read_text())
        except (OSError, ValueError):
            continue
        for name, info in state.items():
            if name not in rows and (renders / quality / f"{name}.mp4").is_file():
                rows[name] = {"name": name, "quality": quality, **info}
    place = {name: index for index, name in enumerate(order)}

    def key(row: dict) -> tuple:
        story = row.get("story_order")
        return (place.get(row["name"], len(place)), story is None, story or 0, row["file"])

    return sorted(rows.values(), key=lambda row: (*key(row), row["name"]))


def episode_row(renders: Path) -> dict | None:
    """The episode at the best quality it was joined at from the scenes published there
    now, or None: an episode older than one of its scenes tells another story."""
    for quality in QUALITY_ORDER:
        info = episode_info(renders / quality)
        folder = renders / quality
        if info and (folder / f"{EPISODE}.mp4").is_file() and is_current(folder, info):
            row = {"name": EPISODE, "title": "The whole episode", "quality": quality}
            return {**row, "chapters_track": True, **info}
    return None


def _length(seconds: float) -> str:
    return f"{int(seconds // 60)}:{round(seconds % 60):02d}"


def snippets(row: dict) -> tuple[str, str]:
    """An HTML <video> block and a Markdown fallback, with paths relative to renders/."""
    base = f"{row['quality']}/{row['name']}"
    tracks = ""
    if row.get("captions"):
        tracks += (
            f'  <track kind="captions" srclang="en" label="English" src="{base}.vtt" default>\n'
        )
    if row.get("chapters_track"):
        tracks += (
            f'  <track kind="chapters" srclang="en" label="Chapters" src="{base}.chapters.vtt">\n'
        )
    video = (
        f'<video controls preload="metadata" poster="{base}.png" width="100%">\n'
        f'  <source src="{base}.webm" type="video/webm">\n'
        f'  <source src="{base}.mp4" type="video/mp4">\n'
        f"{tracks}"
        f"</video>"
    )
    still = f"{base}.gif" if row.get("gif") else f"{base}.png"
    alt = row.get("title") or row["name"]
    markdown = f"[![{alt}]({still})]({base}.mp4)"
    return video, markdown


def _parameters(row: dict, params: Params) -> str:
    """The tables the scene's numbers came from, as they were when it was rendered
    (scenes rendered before that was recorded: the current file's)."""
    made_from = row.get("made_from") or {
        table: asdict(getattr(params, table)) for table in row.get("tables", [])
    }
    items = []
    for table, values in made_from.items():
        text = ", ".join(f"{k} = {toml_value(v)}" for k, v in values.items())
        items.append(f"<li><code>[{table}]</code> {html.escape(text)}</li>")
    source = html.escape(row.get("params_file", params.source.name))
    return f"<ul class=params>{''.join(items)}</ul><p class=meta>from <code>{source}</code></p>"


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>bpcalc renders</title>
<style>
body {{ background: #111; color: #eee; font: 16px/1.5 system-ui, sans-serif; margin: 0 auto;
       max-width: 1100px; padding: 1.5rem; }}
h1 {{ font-weight: 500; }} h2 {{ margin-top: 2.5rem; font-weight: 500; }}
video, img {{ max-width: 100%; background: #000; border-radius: 4px; }}
.meta {{ color: #aaa; }} a {{ color: #8cf; }} code, pre {{ background: #222; border-radius: 4px; }}
pre {{ padding: .6rem; overflow-x: auto; white-space: pre-wrap; }}
.figures {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr));
            gap: .6rem; }}
figure {{ margin: 0; }} figcaption {{ color: #aaa; font-size: .85rem; }}
button {{ background: #333; color: #eee; border: 1px solid #555; border-radius: 4px;
          cursor: pointer; padding: .2rem .6rem; }}
</style></head>
<body>
<h1>bpcalc renders</h1>
<p class=meta>Every number in these videos was computed by bpcalc from
{source}. Snippets use paths relative to this folder.</p>
{scenes}
<pre id=check hidden></pre>
<script>
for (const b of document.querySelectorAll("button[data-copy]")) {{
  b.onclick = () => navigator.clipboard.writeText(
    document.getElementById(b.dataset.copy).textContent);
}}
if (location.search.includes("check")) {{
  const videos = [...document.querySelectorAll("video")];
  const images = [...document.querySelectorAll("img")];
  const tracks = [...document.querySelectorAll("video track")];
  const videoReady = videos.map(v => new Promise(done => {{
    if (v.readyState >= 1) done(); else {{
      v.addEventListener("loadedmetadata", done); v.addEventListener("error", done); }}
    v.load();
  }}));
  const imageReady = images.map(i => i.complete ? Promise.resolve() :
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


def _episode_html(row: dict) -> str:
    video, markdown = snippets(row)
    chapters = "".join(
        f'<li><a href="#{html.escape(c["name"])}">{html.escape(c["title"])}</a> '
        f"<span class=meta>{_length(c['start'])}</span></li>"
        for c in row.get("chapters", [])
    )
    return (
        f'<section id="{EPISODE}"><h2>The whole episode</h2>'
        f"<p class=meta>{len(row.get('chapters', []))} scenes in story order &middot; "
        f"{_length(row['seconds'])} &middot; {row['quality']} &middot; "
        f"a chapter per scene</p>\n{video}\n<ol>{chapters}</ol>"
        f"<h3>Embed</h3>"
        f'<p>HTML <button data-copy="{EPISODE}-html">copy</button></p>'
        f'<pre id="{EPISODE}-html">{html.escape(video)}</pre>'
        f'<p>Markdown <button data-copy="{EPISODE}-md">copy</button></p>'
        f'<pre id="{EPISODE}-md">{html.escape(markdown)}</pre></section>'
    )


def _scene_html(row: dict, params: Params) -> str:
    video, markdown = snippets(row)
    name, folder = row["name"], f"{row['quality']}/{row['name']}"
    title = html.escape(row.get("title") or name)
    story = f"{row['story_order']}. " if row.get("story_order") is not None else ""
    script = f' &middot; <a href="{folder}.md">narration</a>' if (row.get("beats")) else ""
    figures = "".join(
        f'<figure><a href="{folder}/{f}"><img src="{folder}/{f}" '
        f'alt="{name}, {html.escape(f[3:-4])}" loading="eager"></a>'
        f"<figcaption>{html.escape(f[:-4])}</figcaption></figure>"
        for f in row.get("figures", [])
    )
    return (
        f'<section id="{name}"><h2>{story}{title}</h2>'
        f"<p class=meta><code>{name}</code> &middot; {row['file']} &middot; "
        f"{_length(row['seconds'])} &middot; {row['quality']}{script}</p>\n{video}\n"
        f"<h3>Made from</h3>{_parameters(row, params)}"
        f"<h3>Figures</h3><div class=figures>{figures}</div>"
        f"<h3>Embed</h3>"
        f'<p>HTML <button data-copy="{name}-html">copy</button></p>'
        f'<pre id="{name}-html">{html.escape(video)}</pre>'
        f'<p>Markdown <button data-copy="{name}-md">copy</button></p>'
        f'<pre id="{name}-md">{html.escape(markdown)}</pre></section>'
    )


def write_gallery(renders: Path, params: Params, order: Sequence[str] = ()) -> None:
    """Write index.html and EMBED.md: the episode, then every published scene in story order."""
    rows = scene_rows(renders, order)
    episode = episode_row(renders)
    sections = ([_episode_html(episode)] if episode else []) + [
        _scene_html(row, params) for row in rows
    ]
    page = PAGE.format(
        source=" and ".join(
            f"<code>{html.escape(name)}</code>"
            for name in sorted({row.get("params_file", params.source.name) for row in rows})
            or [params.source.name]
        ),
        scenes="\n".join(sections) or "<p>Nothing yet.</p>",
    )
    publish(renders / "index.html", lambda p: p.write_text(page, encoding="utf-8"))
    lines = [
        "# Embedding bpcalc videos",
        "",
        "Paths are relative to the `renders/` folder; upload it as it is.",
        "",
    ]
    for row in ([episode] if episode else []) + rows:
        video, markdown = snippets(row)
        heading = "The whole episode" if row is episode else row.get("title") or row["name"]
        lines += [
            f"## {heading} (`{row['name']}`, {_length(row['seconds'])})",
            "",
            "```html",
            video,
            "```",
            "",
            "```markdown",
            markdown,
            "```",
            "",
        ]
    publish(renders / "EMBED.md", lambda p: p.write_text("\n".join(lines), encoding="utf-8"))
