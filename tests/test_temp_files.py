"""Nothing is left in TMPDIR (or the home folder) after a transcription or an export."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import NARRATION


def test_transcription_leaves_nothing_behind(tiny_model: str, gray_clip: Path,
                                             tmp_path: Path) -> None:
    tmp, home, out = tmp_path / "tmp", tmp_path / "home", tmp_path / "out"
    for folder in (tmp, home, out):
        folder.mkdir()
    env = {key: value for key, value in os.environ.items()
           if key not in ("ORT_DISABLE_TELEMETRY", "XDG_CACHE_HOME")}
    env.update({"TMPDIR": str(tmp), "HOME": str(home),
                "EVIDENCE_ANNOTATE_CACHE": str(tmp_path / "cache")})
    script = (
        "import evidence_annotate as ea\n"
        "from evidence_annotate.speech.transcribe import TranscribeOptions, transcribe_media\n"
        f"options = TranscribeOptions(model={tiny_model!r}, compute_type='int8', language='en')\n"
        f"t = transcribe_media({str(NARRATION / 'lamp.ogg')!r}, audio_stream=0, "
        "audio_start=0.0, duration=7.6, options=options, progress=False)\n"
        "assert 'lamp' in t.text, t.text\n"
        f"ea.open({str(gray_clip)!r}).box((1, 1, 9, 9)).export({str(out / 'x.mp4')!r}, "
        "speed='ultrafast', progress=False)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tmp.iterdir()) == []  # onnxruntime used to leave ".ses"
    assert not (home / ".cache" / "Microsoft").exists()  # ... and a telemetry database
    assert sorted(p.name for p in out.iterdir()) == ["x.mp4", "x.mp4.manifest.json"]
