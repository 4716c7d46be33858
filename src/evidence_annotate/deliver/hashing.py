"""SHA-256 of a file on a thread, beside other work: the input's while ffmpeg encodes.

An export hashes its input (for the manifest) and its output (for the result and the
manifest). Reading and hashing a large file takes a while (about 0.2 s per 150 MB here);
[BackgroundHash][] does it while the process waits on ffmpeg or probes the output, and
every file is hashed once. ``hashlib`` releases the GIL on large blocks, so the thread runs
beside the waiting main thread. The bytes hashed are the file's bytes when the thread reads
them, exactly as a hash after the work would be: nothing here writes.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "x"
    >>> _ = path.write_bytes(b"abc")
    >>> with BackgroundHash(path) as digest:
    ...     pass                                   # other work here
    >>> digest.result()[:16]
    'ba7816bf8f01cfea'
"""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from types import TracebackType

__all__ = ["BackgroundHash"]

_CHUNK = 1 << 20


class BackgroundHash:
    """The SHA-256 of ``path``, computed on a daemon thread from construction on.

    Use it as a context manager: leaving the block by an exception (Ctrl+C included) stops
    the thread after its current 1 MiB block, so nothing keeps reading after a failed
    export. [result][] waits for the digest and raises what the read raised (an
    ``OSError`` for a missing or unreadable file).
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._stop = threading.Event()
        self._digest: str | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="sha256", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        digest = hashlib.sha256()
        buffer = bytearray(_CHUNK)
        view = memoryview(buffer)
        try:
            with self.path.open("rb", buffering=0) as handle:
                while not self._stop.is_set():
                    count = handle.readinto(buffer)
                    if not count:
                        self._digest = digest.hexdigest()
                        return
                    digest.update(view[:count])
        except BaseException as err:  # handed to result() in the caller's thread
            self._error = err

    def result(self) -> str:
        """The hex digest (waits for the thread).

        Raises:
            OSError: The file could not be read.
            RuntimeError: The hash was cancelled before it finished.
        """
        self._thread.join()
        if self._error is not None:
            raise self._error
        if self._digest is None:
            raise RuntimeError(f"the SHA-256 of {str(self.path)!r} was cancelled")
        return self._digest

    def cancel(self) -> None:
        """Stop reading after the current block and wait for the thread."""
        self._stop.set()
        self._thread.join()

    def __enter__(self) -> BackgroundHash:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if kind is not None:
            self.cancel()
