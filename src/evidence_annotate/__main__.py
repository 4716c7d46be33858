"""``python -m evidence_annotate``: the same command line as ``evidence-annotate``."""

from __future__ import annotations

from .cli import main

if __name__ == "__main__":
    raise SystemExit(main())
