"""The ``bpcalc`` command: ``numbers`` to read the values, ``check`` to verify them."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bpcalc.params import VOICE_ENV, Params, ParamsError, load_params
from bpcalc.pipeline.catalog import RenderError, discover, select
from bpcalc.pipeline.ledger import QUALITIES
from bpcalc.pipeline.render import render_all
from bpcalc.pipeline.slides import slides_all

__all__ = ["main"]

TOLERANCE = 1e-6  # `bpcalc check` fails above this relative error


def _fmt(value: float) -> str:
    return f"{value:+.4f}" if abs(value) >= 1e-3 or value == 0 else f"{value:+.3e}"


def _print_summary(params: Params) -> None:
    from bpcalc.numbers import chain_numbers, digits_numbers, nudge_numbers

    digits, chain, nudge = digits_numbers(params), chain_numbers(params), nudge_numbers(params)
    ex = digits.example
    sizes = "-".join(map(str, digits.sizes))
    print(f"bpcalc numbers, from {params.source}\n")
    print(
        f"Digits network {sizes}, trained {params.digits.epochs} epochs "
        f"(seed {params.digits.seed}): test accuracy {digits.test_accuracy:.1%}"
    )
    print(
        f"Example: test image #{params.example.index} of the digit {ex.label} "
        f"(position {ex.position} in the test set); the network reads it as {ex.prediction}"
    )
    print("  output   a_j       y_j   (a_j - y_j)^2")
    for j, (a, y, term) in enumerate(zip(ex.fwd.a[-1], ex.y, ex.cost_terms, strict=True)):
        print(f"  {j:>6}   {a:.4f}    {y:.0f}     {term:.4f}")
    print(
        f"  cost C0 = sum_j (a_j - y_j)^2 = {ex.cost:.4f} "
        f"(the untrained network: {digits.untrained_example.cost:.4f})\n"
    )

    L = chain.depth
    print(
        f"Chain of depth {L}: learns to fire when x >= {chain.threshold}; "
        f"snapshot after {chain.step} SGD steps"
    )
    print(f"  input x = a^(0) = {chain.x:.4f}, desired y = {chain.y:.0f}")
    print("  layer        w         b         z         a    sigma'(z)   dC0/dw    dC0/db")
    for layer in range(1, L + 1):
        i = layer - 1
        print(
            f"  {layer:>5}  {_fmt(chain.w[i])}  {_fmt(chain.b[i])}  {_fmt(chain.z[i])}  "
            f"{_fmt(chain.a[layer])}  {_fmt(chain.sigma_prime[i])}  "
            f"{_fmt(chain.dC_dw[i])}  {_fmt(chain.dC_db[i])}"
        )
    print(f"  cost C0 = (a^({L}) - y)^2 = {chain.cost:.4f}")
    print(f"  chain rule: dC0/dw^({L}) = a^({L - 1}) * sigma'(z^({L})) * 2(a^({L}) - y)")
    print(
        f"           = {chain.a[L - 1]:.4f} * {chain.sigma_prime[L - 1]:.4f} * "
        f"{chain.dC_da[L]:.4f} = {chain.dC_dw[L - 1]:.4f}\n"
    )

    q, layer = nudge.main.quantity, nudge.main.layer
    name = {"w": f"w^({layer})", "b": f"b^({layer})", "a": f"a^({layer - 1})"}[q]
    print(f"Nudging {name} (dC0/d{name} = {nudge.main.gradient:.6f}):")
    print(f"  {'delta':>10}  {'dz':>11}  {'da':>11}  {'dC0':>11}  {'dC0/delta':>11}")
    for n in nudge.shrinking:
        print(
            f"  {n.delta:>10.2e}  {n.dz:>+11.3e}  {n.da:>+11.3e}  {n.dC:>+11.3e}  {n.ratio:>+11.6f}"
        )


def _check(params: Params) -> int:
    from bpcalc.core.gradcheck import gradient_check
    from bpcalc.numbers import chain_numbers, digits_numbers

    digits, chain = digits_numbers(params), chain_numbers(params)
    checks = {
        "digits": gradient_check(digits.network, digits.example.x, digits.example.y),
        "chain": gradient_check(chain.network, chain.fwd.a[0], np.array([chain.y])),
    }
    worst = max(c.max_relative_error for c in checks.values())
    for name, c in checks.items():
        print(
            f"{name}: {c.count} gradients checked against central differences, "
            f"largest relative error {c.max_relative_error:.2e} ({c.worst})"
        )
    verdict = "ok" if worst <= TOLERANCE else "FAILED"
    print(f"largest relative error {worst:.2e} (tolerance {TOLERANCE:.0e}): {verdict}")
    return 0 if worst <= TOLERANCE else 1


def _check_scenes(params: Params, names: list[str], as_json: bool) -> int:
    """Dry-run the scenes; every number must be the core's and every equation must hold."""
    from bpcalc.pipeline.check import SceneCheck, check_scene  # imports Manim: only here

    reports = []
    for entry in select(discover(Path.cwd()), names):
        try:
            report = check_scene(entry, params)
        except Exception as exc:  # a scene that cannot be built is a failed check, not a crash
            report = SceneCheck(
                entry.name, entry.file.name, failures=[f"{type(exc).__name__}: {exc}"]
            )
        reports.append(report)
        if not as_json:
            print(_scene_line(report), flush=True)
            for finding in report.frames:
                print(f"  {finding}", flush=True)
    if as_json:
        json.dump({"scenes": [r.as_json() for r in reports]}, sys.stdout)
        print()
    else:
        equations = sum(r.equations for r in reports)
        numbers = sum(len(r.numbers) for r in reports)
        failed = sum(bool(r.failures) for r in reports)
        verdict = "all true" if not failed else f"{failed} scene(s) FAILED"
        print(f"{len(reports)} scenes, {numbers} numbers, {equations} equations: {verdict}")
    return 1 if any(r.failures for r in reports) else 0


def _scene_line(report) -> str:
    if report.plain:
        return f"{report.name}: not a bpcalc StoryScene, no numbers to check"
    counts = (
        f"{len(report.sections)} beats, {len(report.numbers)} numbers, "
        f"{report.equations} equations, {report.scientific_share:.0%} in scientific notation"
    )
    if report.failures:
        more = f" (and {len(report.failures) - 1} more)" if len(report.failures) > 1 else ""
        return f"{report.name}: FAILED ({counts}): {report.failures[0]}{more}"
    return f"{report.name}: {counts}: all true"


class _Parser(argparse.ArgumentParser):
    """Argument errors in one line (no usage block), exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, not {text!r}")
    return value


def _base_url(text: str) -> str:
    """An absolute http(s) URL, ending in one slash so file names can follow it."""
    from urllib.parse import urlsplit

    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise argparse.ArgumentTypeError(
            f"expected an absolute http:// or https:// URL of the renders/ folder, not {text!r}"
        )
    return text.rstrip("/") + "/"


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="bpcalc", description="Numbers and animations of backpropagation.")
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )
    numbers = commands.add_parser("numbers", help="print every number the scenes show")
    numbers.add_argument("--json", action="store_true", help="print the JSON contract")
    check = commands.add_parser(
        "check", help="compare backprop with central differences; --scenes: check every scene"
    )
    check.add_argument(
        "--scenes",
        nargs="*",
        metavar="SCENE",
        help="dry-run these scenes (default: all) and check every number and equation they show",
    )
    check.add_argument("--json", action="store_true", help="with --scenes: print JSON for tools")
    render = commands.add_parser(
        "render", help="render the scenes that changed, publish them, write the gallery"
    )
    _scenes_and_quality(render)
    render.add_argument(
        "--format",
        choices=("mp4", "gif"),
        default="mp4",
        help="mp4 (with JPEG posters and figures, always) or gif (those and a GIF)",
    )
    render.add_argument(
        "--webm",
        action="store_true",
        help="also a VP9 WebM of each scene (and the episode), listed after the MP4; "
        "every browser plays the MP4, and the WebM costs about a third more CPU",
    )
    render.add_argument(
        "--base-url",
        type=_base_url,
        metavar="URL",
        help="where renders/ will be online (https://example.org/videos/): the snippets in "
        "the gallery and EMBED.md link there, so they work pasted anywhere",
    )
    render.add_argument(
        "--jobs",
        "-j",
        type=_positive,
        default=os.cpu_count() or 1,
        help="scenes rendered at once (default: the number of cores)",
    )
    render.add_argument("--force", action="store_true", help="render even if up to date")
    render.add_argument(
        "--episode",
        action="store_true",
        help="also join every scene, in story order, into Episode.mp4/.webm with chapters",
    )
    render.add_argument(
        "--split",
        type=_positive,
        metavar="N",
        help="render each scene as N Manim processes over its animations "
        "(default: cores left idle by too few scenes, above 480p)",
    )
    slides = _slides_parser(commands)
    for sub in (numbers, check, render, slides):
        sub.add_argument(
            "--params",
            metavar="FILE",
            help="parameter file (default: $BPCALC_PARAMS, else the nearest bpcalc.toml "
            "in this folder or above)",
        )
    return parser


def _scenes_and_quality(command: argparse.ArgumentParser) -> None:
    """The arguments every rendering command takes: which scenes, at which quality."""
    command.add_argument(
        "scenes",
        nargs="*",
        metavar="SCENE",
        help="scene class or file name (default: every scene in scenes/)",
    )
    command.add_argument(
        "--quality",
        "-q",
        choices=sorted(QUALITIES),
        default="l",
        help="l 480p15 (default), m 720p30, h 1080p60, k 2160p60",
    )
    command.add_argument(
        "--no-voice",
        action="store_true",
        help="silent videos, whatever [voice] says (captions stay)",
    )


def _slides_parser(commands) -> argparse.ArgumentParser:
    """`bpcalc slides`: every beat a slide, in offline reveal.js presentations."""
    slides = commands.add_parser(
        "slides", help="every beat of every scene as a slide: offline HTML in renders/slides"
    )
    _scenes_and_quality(slides)
    slides.add_argument("--force", action="store_true", help="render even if up to date")
    return slides


def _slides(args: argparse.Namespace, params: Params) -> int:
    return slides_all(Path.cwd(), params, args.scenes, args.quality, args.force)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``bpcalc`` console script."""
    args = _parser().parse_args(argv)
    try:
        if getattr(args, "no_voice", False):
            os.environ[VOICE_ENV] = "off"  # for this process and every Manim it starts
        params = load_params(args.params)
        if args.command in ("render", "slides"):
            from bpcalc.core.digits import example_index
            from bpcalc.numbers import nudge_numbers

            # what is checked against the data and the trained chain, before any render
            example_index(params)
            nudge_numbers(params)
            if params.voice.enabled:
                from bpcalc.speech.voice import CACHE_ENV, Voice

                Voice(params, Path(os.environ.get(CACHE_ENV) or "renders/voice")).check()
        if args.command == "slides":
            return _slides(args, params)
        if args.command == "render":
            return render_all(
                Path.cwd(),
                params,
                args.scenes,
                args.quality,
                args.format == "gif",
                args.jobs,
                args.force,
                episode=args.episode,
                split=args.split,
                webm=args.webm,
                base_url=args.base_url or "",
            )
        if args.command == "numbers":
            if args.json:
                from bpcalc.numbers import to_json

                json.dump(to_json(params), sys.stdout)
                print()
            else:
                _print_summary(params)
            return 0
        if args.scenes is not None:
            return _check_scenes(params, args.scenes, args.json)
        if args.json:
            raise RenderError("--json reports on scenes: use it with --scenes")
        return _check(params)
    except (ParamsError, RenderError) as exc:
        print(f"bpcalc: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bpcalc: interrupted; published files are untouched", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
