"""The original recording for a package: byte-identical, or a private lossless remux.

A private copy is made with ``ffmpeg -c copy``: the audio and video packets are copied as
they are, the container is written anew without its metadata (GPS position, phone make and
model, software, creation time), chapters or data tracks. Which bytes changed is recorded:
the container and the tags removed; the packets' SHA-256 before and after proves the footage
itself is untouched.

Example:
    >>> copy = private_original(ev.info, Path("work/original.mp4"))   # doctest: +SKIP
    >>> copy.packets_unchanged, copy.removed_tags                       # doctest: +SKIP
    (True, ('location', 'com.apple.quicktime.make'))
"""

from __future__ import annotations

import hashlib
import subprocess
from dataclasses import dataclass
from pathlib import Path

import av

from ..errors import RenderError
from ..media import MediaInfo, media_url
from ..render.run import die_with_parent, ffmpeg_exe

__all__ = ["PrivateOriginal", "packets_sha256", "private_original"]


def packets_sha256(path: Path) -> str:
    """SHA-256 of every audio and video packet's payload, stream by stream, in file order.

    Example:
        >>> packets_sha256(Path("clip.mp4"))[:12]   # doctest: +SKIP
        '5d1c0a9e2b7f'
    """
    digests: dict[int, hashlib._Hash] = {}
    with av.open(media_url(path)) as container:
        streams = [s for s in container.streams if s.type in ("video", "audio")]
        for packet in container.demux(streams):
            if packet.size:
                digests.setdefault(packet.stream.index, hashlib.sha256()).update(bytes(packet))
    total = hashlib.sha256()
    for index in sorted(digests):
        total.update(digests[index].digest())
    return total.hexdigest()


@dataclass(frozen=True)
class PrivateOriginal:
    """A remux of the original without its metadata.

    Attributes:
        path: The remuxed file.
        removed_tags: The container and stream tag names that are no longer there.
        packets_unchanged: True when the audio and video packets are byte-identical.
    """

    path: Path
    removed_tags: tuple[str, ...]
    packets_unchanged: bool

    @property
    def note(self) -> str:
        """What changed and why, one sentence for ``package.json`` and the reader."""
        tags = ", ".join(self.removed_tags) or "none"
        packets = ("audio and video packets byte-identical to the original (SHA-256 compared)"
                   if self.packets_unchanged else "WARNING: packets differ from the original")
        return (f"lossless remux for privacy: container rewritten, data tracks and chapters "
                f"dropped, metadata removed (tags: {tags}); {packets}")


def private_original(info: MediaInfo, target: Path) -> PrivateOriginal:
    """Remux ``info``'s file into ``target`` without metadata, copying every packet.

    Args:
        info: The probed original.
        target: The new file (same container type as its suffix says).

    Returns:
        The [PrivateOriginal][].

    Raises:
        RenderError: ffmpeg could not remux the file.
    """
    argv = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-i", media_url(info.path),
            "-map", "0:v", "-map", "0:a?", "-c", "copy", "-map_metadata", "-1",
            "-map_chapters", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
            "-flags:a", "+bitexact", str(target)]
    proc = subprocess.run(argv, capture_output=True, text=True, check=False,
                          preexec_fn=die_with_parent())
    if proc.returncode != 0:
        raise RenderError(f"could not remux the original without metadata (ffmpeg exit "
                          f"{proc.returncode}); include it unchanged with original=True",
                          stderr=proc.stderr, argv=tuple(argv))
    before = set(info.tags) | {k for tags in info.stream_tags.values() for k in tags}
    with av.open(media_url(target)) as container:
        after = set(container.metadata) | {k for s in container.streams for k in s.metadata}
    unchanged = packets_sha256(info.path) == packets_sha256(target)
    return PrivateOriginal(target, tuple(sorted(before - after)), unchanged)
