"""What the command line says: exit codes, the top-level help and each command's summary.

Kept apart from [evidence_annotate.cli][] so the parser stays small; the docs' exit-code
table is checked against [EXIT_CODES][] by the tests.
"""

from __future__ import annotations

__all__ = ["COMMANDS", "EPILOG", "EXIT_CODES", "PROG"]

EXIT_CODES = {"ok": 0, "problems": 1, "usage": 2, "input": 3, "output": 4, "model": 5,
              "interrupted": 130, "hangup": 129, "terminated": 143}
"""Exit code by outcome (also listed in ``--help`` and the docs)."""

PROG = "evidence-annotate"
EPILOG = """\
examples:
  evidence-annotate demo -o demo.mp4
  evidence-annotate render dispute.toml
  evidence-annotate transcribe unboxing.mp4 -o unboxing.srt --language id,ms --translate
  evidence-annotate render dispute.toml --captions unboxing.id.srt
  evidence-annotate check evidence.mp4 --platform aliexpress
  evidence-annotate verify evidence.zip --original
  evidence-annotate stills evidence.mp4 --at 3.5 --at 7 -o stills/
  evidence-annotate platforms
  evidence-annotate batch disputes/ --report report.json

exit codes:
  0 ok, 1 check/verify found problems or a batch job failed, 2 bad arguments or recipe,
  3 input error,
  4 output/render error, 5 model error, 130 interrupted,
  129 / 143 stopped by SIGHUP / SIGTERM (unfinished files removed)

documentation: docs/ in the source tree (browse it with `mkdocs serve`)"""

COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("annotate the bundled sample clip (works offline)",
             "  evidence-annotate demo\n  evidence-annotate demo -o out/demo.mp4 --model small"),
    "render": ("render a recipe (.toml or .json): the API as data",
               "  evidence-annotate render dispute.toml\n"
               "  evidence-annotate render dispute.json -o evidence.mp4 --platform shopee\n"
               "  evidence-annotate render dispute.toml --captions unboxing.srt   # corrected"),
    "transcribe": ("transcribe the narration into an editable .srt, .ass, .vtt or .json",
                   "  evidence-annotate transcribe clip.mp4 -o clip.srt --language id,en "
                   "--translate\n  (correct clip.id.srt in a text editor, then)\n"
                   "  evidence-annotate render dispute.toml --captions clip.id.srt"),
    "check": ("check a file against a platform's upload limits (exit 1 on problems)",
              "  evidence-annotate check evidence.mp4 --platform aliexpress\n"
              "  evidence-annotate check evidence.mp4 --platform shopee --json"),
    "stills": ("save PNG frames at the given times (default: 4 evenly spaced)",
               "  evidence-annotate stills evidence.mp4 --at 3.5 --at 7 -o stills/\n"
               "  evidence-annotate stills evidence.mp4 -o stills/"),
    "studio": ("edit annotations and captions by mouse in a local web page",
               "  evidence-annotate studio unboxing.mp4\n"
               "  evidence-annotate studio unboxing.mp4 dispute.toml --no-browser"),
    "platforms": ("list the built-in platforms and their limits",
                  "  evidence-annotate platforms\n  evidence-annotate platforms --json"),
}
