"""The ``identity`` command and the credentials line of ``check`` (content credentials, C2PA).

Kept apart from [evidence_annotate.cli][] like the batch command.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

__all__ = ["SUMMARY", "add_arguments", "credentials_line", "run"]

SUMMARY = ("create a local signing identity (a CA and a signing certificate) for a shop",
           "  evidence-annotate identity keys/ --org 'Toko Maju'\n"
           "  (then export with sign=ea.SigningIdentity.load('keys/'); give reviewers "
           "keys/ca.pem)")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``identity`` command's arguments."""
    parser.add_argument("folder", help="an empty folder for the four PEM files (created)")
    parser.add_argument("--org", required=True, help="the shop's name, shown as the signer")
    parser.add_argument("--years", type=int, default=3,
                        help="validity of the signing certificate (default: %(default)s)")


def run(args: argparse.Namespace, emit: Callable[[str], None]) -> int:
    """Create the identity, say which files were written; the exit code."""
    from .deliver.credentials import create_identity

    identity = create_identity(args.folder, args.org, years=args.years)
    emit(f"wrote {identity.chain} and {identity.key} (signing; keep the key private)")
    emit(f"wrote {identity.ca} (give it to reviewers who want to trust your signature) and "
         f"{identity.ca.parent / 'ca-key.pem'} (keep it offline)")
    return 0


def credentials_line(path: str, trust: str | None = None) -> str | None:
    """``credentials: ...`` for ``check``.

    ``None`` when the file carries none or C2PA support is not installed.
    """
    try:
        from .deliver.credentials import read_credentials

        found = read_credentials(Path(path), trust_anchors=Path(trust) if trust else None)
    except ImportError:
        return None
    if found.state is None:
        return None
    detail = "; ".join(found.problems) or ", ".join(found.actions)
    return f"credentials: {found.state} (signed by {found.signer or '?'}): {detail}"
