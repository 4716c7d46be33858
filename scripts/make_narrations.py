"""Regenerate the narration test clips in tests/data/narration/ (deterministically).

Each clip is spoken by espeak-ng (the narration's voice: en-us for English, id, ms and es for the
Indonesian, Malay and Spanish ones; 150 words per minute) from its script, optionally preceded
by silence, and encoded by the ffmpeg of imageio-ffmpeg as mono Opus at 32 kbit/s in
an Ogg file with bit-exact muxing (fixed stream serial, no encoder tags), so running the script
twice with the same espeak-ng and ffmpeg gives byte-identical files. The scripts are written next
to the clips as ``<name>.txt``: they are the ground truth of the transcription tests.

Usage:
    python scripts/make_narrations.py [OUTPUT_DIR]
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg

VOICE = "en-us"
WORDS_PER_MINUTE = 150
BITRATE = "32k"
DEFAULT_DIR = Path(__file__).resolve().parent.parent / "tests" / "data" / "narration"


@dataclass(frozen=True)
class Narration:
    name: str
    script: str
    leading_silence: float = 0.0
    voice: str = VOICE


NARRATIONS = (
    Narration(
        "phone_case",
        "The phone case arrived with a crack along the left edge. "
        "The cardboard box was also damaged at one corner.",
        leading_silence=1.5,
    ),
    Narration(
        "headphones",
        "I opened the package and the left ear cup of the headphones is missing. "
        "Only the cable and the right side were inside the box.",
    ),
    Narration(
        "lamp",
        "I ordered a blue desk lamp, but a red lamp arrived instead. "
        "The shade is scratched and the switch does not work.",
    ),
    Narration(
        "casing_id",
        "Paket saya baru datang hari ini dan casing ponselnya retak di sudut kiri. "
        "Saya pesan warna biru tetapi yang dikirim warna merah.",
        voice="id",
    ),
    Narration(
        "skrin_ms",
        "Bungkusan saya sampai pagi tadi tetapi skrin telefon itu sudah retak. "
        "Kotak itu juga rosak dan kabel pengecas tidak ada di dalamnya.",
        voice="ms",
    ),
    Narration(
        "funda_es",
        "El paquete llegó hoy y la funda del teléfono está rota en la esquina izquierda. "
        "Además pedí el color azul y me enviaron uno rojo.",
        voice="es",
    ),
    Narration(
        "personal_en",
        "The order number is 5 1 2 3 4 5 6 7 8 9 0 1 0. "
        "My phone number is 0 8 1 2 3 4 5 6 7 8 9 0. "
        "My card number is 4 5 3 9 5 7 8 7 6 3 6 2 1 4 8 6. "
        "My email is maria at gmail dot com. The screen arrived cracked.",
    ),
)


def espeak_version() -> str:
    return subprocess.run(["espeak-ng", "--version"], check=True, capture_output=True,
                          text=True).stdout.strip()


def make(narration: Narration, out_dir: Path) -> Path:
    out = out_dir / f"{narration.name}.ogg"
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        subprocess.run(["espeak-ng", "-v", narration.voice, "-s", str(WORDS_PER_MINUTE),
                        "-w", str(wav),
                        narration.script], check=True)
        delay_ms = round(narration.leading_silence * 1000)
        audio_filter = f"adelay={delay_ms}:all=1" if delay_ms else "anull"
        subprocess.run(
            [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
             "-i", str(wav), "-af", audio_filter, "-ac", "1", "-ar", "24000",
             "-c:a", "libopus", "-b:a", BITRATE, "-application", "voip",
             "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
             str(out)],
            check=True,
        )
    (out_dir / f"{narration.name}.txt").write_text(narration.script + "\n", encoding="utf-8")
    return out


def main(argv: list[str]) -> int:
    out_dir = Path(argv[1]) if len(argv) > 1 else DEFAULT_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    print(espeak_version())
    for narration in NARRATIONS:
        path = make(narration, out_dir)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        print(f"{path.name}: {path.stat().st_size} bytes, sha256 {digest}...")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
