"""The studio: a local web page to place annotations by mouse, fix captions and export.

``evidence-annotate studio clip.mp4 [recipe.toml]`` starts [serve][]: a page on
127.0.0.1 (a random token in its address) that shows the output frame by frame as
[preview][evidence_annotate.Evidence.preview] draws it, the plan's layers on the frame and as a
list, the title card and the captions; Save writes the recipe and captions, Export runs the
real export and shows ``check()``'s verdict. The page's files ship in ``studio/assets``
(plain HTML, CSS and JavaScript, no build step); the same editor runs in Jupyter as
``ev.edit()`` ([evidence_annotate.widget][]).

Example:
    >>> from evidence_annotate.studio import serve
    >>> serve("unboxing.mp4", open_browser=False)              # doctest: +SKIP
    studio for unboxing.mp4: http://127.0.0.1:41237/?token=...
"""

from __future__ import annotations

import os
import sys
import webbrowser
from pathlib import Path

from .server import StudioServer
from .session import ExportJob, StudioPaths, StudioSession

__all__ = ["ExportJob", "StudioPaths", "StudioServer", "StudioSession", "serve"]


def serve(clip: str | os.PathLike[str], recipe: str | os.PathLike[str] | None = None, *,
          output: str | os.PathLike[str] | None = None, platform: str | None = None,
          model: str | None = None, port: int = 0, open_browser: bool = True,
          verbose: bool = False) -> None:
    """Start the studio for ``clip`` and serve until interrupted (Ctrl+C).

    Args:
        clip: The phone video.
        recipe: The recipe to edit (read when it exists, written by Save); default
            ``<clip>.toml`` beside the clip.
        output: The video Export writes; default ``<clip>-evidence.mp4``.
        platform: The platform preselected for Export (a recipe's platform wins).
        model: The speech model the Transcribe button uses.
        port: The port on 127.0.0.1 (0 = a free one).
        open_browser: Open the page in the default browser.
        verbose: Log every request.

    Raises:
        InputError: The clip cannot be read.
        RecipeError: The recipe exists but is invalid.
    """
    paths = StudioPaths.for_clip(Path(clip), Path(recipe) if recipe is not None else None,
                                 Path(output) if output is not None else None)
    session = StudioSession(paths, platform=platform, model=model)
    server = StudioServer(session, port=port, verbose=verbose)
    print(f"studio for {paths.clip.name}: {server.url}\n(Ctrl+C stops it)", flush=True)
    if open_browser:
        webbrowser.open(server.url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("studio stopped", file=sys.stderr)
    finally:
        server.server_close()
