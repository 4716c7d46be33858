"""The ``evidence-annotate`` command line: a thin layer over the public API.

Built on [argparse][] (standard library): the commands are few and flat, so a framework
would add a dependency without removing code, and argparse's help, ``--version`` and usage
errors (exit code 2) are what the command needs.

Exit codes:
    0: Success.
    1: ``check`` found problems (the file would be refused); ``batch``: a job failed;
        ``verify``: a file changed or the re-render differs.
    2: Usage error: a bad argument, option or recipe.
    3: The input cannot be used (missing, unreadable, no video).
    4: The output cannot be written (unwritable path, ffmpeg failed, a platform limit).
    5: The speech model cannot be found or loaded.
    130: Interrupted (Ctrl+C).
    129: Stopped by SIGHUP (the terminal closed); unfinished files are removed first.
    143: Stopped by SIGTERM; unfinished files are removed first.

Example:
    >>> from evidence_annotate.cli import main
    >>> main(["platforms"])                                   # doctest: +SKIP
    aliexpress  ...
    0
"""

from __future__ import annotations

import argparse
import contextlib
import json
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from . import cli_batch, cli_credentials, cli_detect, cli_text, cli_verify
from ._version import __version__
from .errors import (
    WRITE_ERRNOS,
    EvidenceAnnotateError,
    InputError,
    ModelError,
    OutputError,
    PlatformLimitError,
    RenderError,
)

if TYPE_CHECKING:
    from .deliver.export import ExportResult

__all__ = ["EXIT_CODES", "exit_code", "main"]

EXIT_CODES = cli_text.EXIT_CODES
PROG = cli_text.PROG
_EPILOG = cli_text.EPILOG
_COMMANDS: dict[str, tuple[str, str]] = {**cli_text.COMMANDS, "batch": cli_batch.SUMMARY,
                                         "identity": cli_credentials.SUMMARY,
                                         "verify": cli_verify.SUMMARY,
                                         "detect": cli_detect.SUMMARY}


class _Console:
    """Where messages go: results to stdout, progress and notes to stderr, quiet or not."""

    def __init__(self, quiet: bool, verbose: bool = False) -> None:
        self.quiet = quiet
        self.verbose = verbose and not quiet

    @property
    def progress(self) -> bool:
        return not self.quiet

    def note(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stdout, flush=True)

    def result(self, text: str) -> None:
        print(text, file=sys.stdout, flush=True)


def _wrote(console: _Console, result: ExportResult) -> None:
    """Print every file an export wrote, with size, duration and hash."""
    for path in result.paths or (result.path,):
        console.note(f"wrote {path}")
    console.note(f"  {result.width}x{result.height}, {result.duration:.2f} s, "
                 f"{result.size_bytes / 1e6:.2f} MB, sha256 {result.sha256}")
    if result.manifest is not None:
        console.note(f"wrote {result.manifest} (integrity manifest)")


def _cmd_demo(args: argparse.Namespace, console: _Console) -> int:
    from .sample import DEMO_FRAME_TIME, default_model, demo_evidence

    started = time.monotonic()
    model = args.model or default_model()
    console.note(f"annotating the bundled sample with model {model or 'small (default)'}")
    _show_model(console, args.model)
    ev = demo_evidence(model, progress=console.progress)
    out = Path(args.output)
    result = ev.export(out, platform="aliexpress", speed="veryfast", progress=console.progress)
    captions = ev.write_captions(out.with_suffix(".srt"))
    still = out.with_name(f"{out.stem}-frame.png")
    ev.preview(DEMO_FRAME_TIME).save(still)
    _wrote(console, result)
    console.note(f"wrote {captions}\nwrote {still}")
    console.note(f"transcript: {ev.transcript.text if ev.transcript else ''}")
    console.note(f"done in {time.monotonic() - started:.1f} s")
    console.note(f"next: evidence-annotate check {out} --platform aliexpress")
    return 0


def _cmd_render(args: argparse.Namespace, console: _Console) -> int:
    from .cli_board import load_for_render

    started = time.monotonic()
    recipe, model = load_for_render(args.recipe, output=args.output, platform=args.platform,
                                    captions=args.captions)
    if console.verbose and model:
        console.note(f"speech model: {model}")
    result = recipe.run(progress=console.progress)
    _wrote(console, result)
    console.note(f"done in {time.monotonic() - started:.1f} s")
    return 0


def _show_model(console: _Console, model: str | None) -> None:
    """With --verbose: which model the one rule chooses, and why."""
    if console.verbose:
        from .narration import describe_model

        console.note(f"speech model: {describe_model(model)}")


def _cmd_transcribe(args: argparse.Namespace, console: _Console) -> int:
    from .narration import languages, transcribe_to_file

    _show_model(console, args.model)
    _, _, notes = transcribe_to_file(args.input, args.output, model=args.model,
                                     language=languages(args.language),
                                     translate=args.translate, progress=console.progress)
    for line in notes:
        console.note(line)
    return 0


def _cmd_check(args: argparse.Namespace, console: _Console) -> int:
    from .platforms.check import check

    report = check(args.input, platform=args.platform)
    if args.json:
        console.result(json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str))
    elif not console.quiet or not report.ok:
        console.result(str(report))
        if (line := cli_credentials.credentials_line(args.input)) is not None:
            console.result(line)
    return EXIT_CODES["ok"] if report.ok else EXIT_CODES["problems"]


def _cmd_stills(args: argparse.Namespace, console: _Console) -> int:
    from .evidence import open as open_evidence

    paths = open_evidence(args.input).stills(args.output, times=args.at or None)
    for path in paths:
        console.note(f"wrote {path}")
    return 0


def _cmd_studio(args: argparse.Namespace, console: _Console) -> int:
    from .studio import serve

    serve(args.input, args.recipe, output=args.output, platform=args.platform,
          model=args.model, port=args.port, open_browser=not args.no_browser)
    return 0


def _cmd_platforms(args: argparse.Namespace, console: _Console) -> int:
    from .platforms import Platform, platforms

    rows = [Platform.load(name) for name in platforms()]
    if args.json:
        data = [{"name": p.name, "max_bytes": p.max_bytes, "max_seconds": p.max_seconds,
                 "containers": list(p.containers), "video_codecs": list(p.video_codecs),
                 "audio_codecs": list(p.audio_codecs), "min_resolution": p.min_resolution,
                 "recommended_resolution": p.recommended_resolution} for p in rows]
        console.result(json.dumps(data, indent=2))
        return 0

    def show(value: float | None, unit: str, scale: float = 1.0) -> str:
        return "no limit" if value is None else f"{value / scale:g}{unit}"
    console.result(f"{'platform':<12}{'max size':<12}{'max length':<12}{'min res.':<10}format")
    for p in rows:
        fmt = f"{'/'.join(p.containers) or 'any'} {'/'.join(p.video_codecs) or 'any'}"
        console.result(f"{p.name:<12}{show(p.max_bytes, ' MB', 1e6):<12}"
                       f"{show(p.max_seconds, ' s'):<12}{show(p.min_resolution, 'p'):<10}{fmt}")
    return 0


def _time(text: str) -> float:
    from .timing import parse_time

    try:
        return parse_time(text, name="--at")
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="no progress bars or notes, only results and errors")
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="show the full traceback on errors")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="show details, such as which speech model is used and why")
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog=PROG, parents=[common], formatter_class=formatter, epilog=_EPILOG,
        description="Turn a phone video of a broken product into dispute evidence: title "
                    "card, boxes, arrows, blur, captions, upload-ready MP4.")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    commands: dict[str, argparse.ArgumentParser] = {}
    for name, (summary, examples) in _COMMANDS.items():
        commands[name] = sub.add_parser(name, parents=[common], help=summary,
                                        description=summary, formatter_class=formatter,
                                        epilog=f"examples:\n{examples}")
    demo = commands["demo"]
    demo.add_argument("-o", "--output", default="evidence-demo.mp4",
                      help="video to write (default: %(default)s); captions (.srt) and a "
                           "PNG frame are written beside it")
    demo.add_argument("--model", help="speech model: size, hub id or CTranslate2 folder "
                                      "(default: $EVIDENCE_ANNOTATE_MODEL, else the installed "
                                      "offline model, else small)")
    render = commands["render"]
    render.add_argument("recipe", help="the recipe (.toml or .json; [[segment]] tables make "
                        "a storyboard); see the docs")
    render.add_argument("-o", "--output", help="video to write (overrides the recipe's output)")
    render.add_argument("--platform", help="platform to export for (overrides the recipe's)")
    render.add_argument("--captions", metavar="FILE",
                        help="burn this (corrected) .srt/.vtt/.ass/.json instead of the "
                             "recipe's captions; times as written by `transcribe`")
    transcribe = commands["transcribe"]
    transcribe.add_argument("input", help="the video or audio (.m4a, .mp3, .ogg, .wav, ...) "
                                          "to transcribe")
    transcribe.add_argument("-o", "--output", required=True,
                            help="captions file: .srt, .ass, .vtt or .json (by suffix)")
    transcribe.add_argument("--model", help="Whisper size, hub id or CTranslate2 folder "
                                            "(default: $EVIDENCE_ANNOTATE_MODEL, else the "
                                            "installed offline model, else small)")
    transcribe.add_argument("--language", help="ISO code such as id, or candidates such as "
                                               "id,ms,en (default: identify it)")
    transcribe.add_argument("--translate", action="store_true",
                            help="also write an English machine translation (<name>.en.srt)")
    chk = commands["check"]
    chk.add_argument("input", help="the video to check")
    chk.add_argument("--platform", default="generic",
                     help="platform name (see `evidence-annotate platforms`; default: "
                          "%(default)s)")
    chk.add_argument("--json", action="store_true", help="print the report as JSON")
    stills = commands["stills"]
    stills.add_argument("input", help="the video")
    stills.add_argument("--at", action="append", type=_time, metavar="TIME",
                        help="time in seconds or mm:ss.ms; repeat for several stills "
                             "(default: 4 evenly spaced)")
    stills.add_argument("-o", "--output", required=True, help="folder for the PNG files")
    studio = commands["studio"]
    studio.add_argument("input", help="the video to annotate")
    studio.add_argument("recipe", nargs="?", help="recipe to edit (read if it exists, written "
                                                  "by Save; default: <input>.toml)")
    studio.add_argument("-o", "--output", help="video Export writes (default: "
                                               "<input>-evidence.mp4)")
    studio.add_argument("--platform", help="platform preselected for Export")
    studio.add_argument("--model", help="speech model for the Transcribe button")
    studio.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: free)")
    studio.add_argument("--no-browser", action="store_true", help="do not open a browser")
    commands["platforms"].add_argument("--json", action="store_true", help="print as JSON")
    cli_batch.add_arguments(commands["batch"])
    cli_credentials.add_arguments(commands["identity"])
    cli_verify.add_arguments(commands["verify"])
    cli_detect.add_arguments(commands["detect"])
    return parser, commands


_HANDLERS: dict[str, Callable[[argparse.Namespace, _Console], int]] = {
    "demo": _cmd_demo, "render": _cmd_render, "transcribe": _cmd_transcribe,
    "check": _cmd_check, "stills": _cmd_stills, "platforms": _cmd_platforms,
    "studio": _cmd_studio,
    "batch": lambda args, console: cli_batch.run(args, quiet=console.quiet),
    "identity": lambda args, console: cli_credentials.run(args, console.result),
    "verify": lambda args, console: cli_verify.run(args, console.result, quiet=console.quiet,
                                                   progress=console.progress),
    "detect": lambda args, console: cli_detect.run(args, console.result, console.note),
}


def exit_code(err: BaseException) -> int:
    """The documented exit code for an error.

    Example:
        >>> exit_code(ValueError("bad")), exit_code(KeyboardInterrupt())
        (2, 130)
    """
    from .recipe import RecipeError

    table: tuple[tuple[type[BaseException], str], ...] = (
        (KeyboardInterrupt, "interrupted"), (RecipeError, "usage"), (ValueError, "usage"),
        (InputError, "input"), (ModelError, "model"), (OutputError, "output"),
        (RenderError, "output"), (PlatformLimitError, "output"),
        (EvidenceAnnotateError, "output"), (OSError, "output"))
    for kind, outcome in table:
        if isinstance(err, kind):
            return EXIT_CODES[outcome]
    raise err


class _Stopped(BaseException):
    """SIGTERM or SIGHUP reached the command: unwind, removing unfinished files."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stopped(signum)


@contextlib.contextmanager
def _stop_on_signals() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into an exception while a command runs (unless ignored)."""
    previous: dict[int, object] = {}
    if threading.current_thread() is threading.main_thread():
        for name in ("SIGTERM", "SIGHUP"):
            number = getattr(signal, name, None)
            if number is not None and signal.getsignal(number) == signal.SIG_DFL:
                previous[number] = signal.signal(number, _stop)
    try:
        yield
    finally:
        for number in previous:
            signal.signal(number, signal.SIG_DFL)


def _first_line(err: BaseException) -> list[str]:
    """The message lines of an error; a raw "disk full" or "read-only" says what to do."""
    if isinstance(err, OSError) and not isinstance(err, EvidenceAnnotateError) \
            and err.errno in WRITE_ERRNOS:
        err = OutputError.from_os_error(err, err.filename or "the output")
    return str(err).strip().splitlines() or [type(err).__name__]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: The arguments (default: ``sys.argv[1:]``).

    Returns:
        The exit code (see the module's docstring).

    Example:
        >>> main(["--version"])                                  # doctest: +SKIP
        evidence-annotate 0.2.0
    """
    parser, commands = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # named by the command's own usage, not the top-level one
        commands[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    console = _Console(quiet=getattr(args, "quiet", False),
                       verbose=getattr(args, "verbose", False))
    debug = getattr(args, "debug", False)
    try:
        with _stop_on_signals():
            return _HANDLERS[args.command](args, console)
    except _Stopped as stop:
        name = signal.Signals(stop.signum).name
        print(f"{PROG}: stopped by {name}; unfinished files were removed", file=sys.stderr)
        return 128 + stop.signum
    except (EvidenceAnnotateError, ValueError, OSError, KeyboardInterrupt) as err:
        code = exit_code(err)
        if debug:
            traceback.print_exc()
        lines = _first_line(err)
        more = "" if debug or len(lines) == 1 else " (--debug shows the details)"
        print(f"{PROG}: error: {lines[0]}{more}", file=sys.stderr)
        return code
