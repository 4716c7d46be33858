"""Media: probing with PyAV (displayed size, rotation, real timestamps, streams, tags).

Modules: [.probe][] measures a file, [.info][] is what it measured, [.clap][] reads
the clean-aperture box of MOV/MP4 files, [.paths][] makes paths unambiguous for media
libraries.

Example:
    >>> import evidence_annotate as ea
    >>> ea.probe("clip.mp4").size          # doctest: +SKIP
    (1080, 1920)
"""

from .clap import Crop, clap_crop
from .info import MediaInfo, capture_time
from .paths import media_url
from .probe import probe

__all__ = ["Crop", "MediaInfo", "capture_time", "clap_crop", "media_url", "probe"]
