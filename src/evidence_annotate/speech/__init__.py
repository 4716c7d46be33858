"""Speech: the transcript model, Whisper model resolution and loading, and transcription.

Modules: :mod:`.transcript` (frozen data with a JSON round trip), :mod:`.models` (which model,
loaded once per process), :mod:`.transcribe` (faster-whisper with VAD and word times) and
:mod:`.cache` (the on-disk transcript cache).
"""
