"""Speech: the transcript model, Whisper model resolution and loading, and transcription.

Modules: [.transcript][] (frozen data with a JSON round trip), [.models][] (which model,
loaded once per process), [.transcribe][] (faster-whisper with VAD and word times) and
[.cache][] (the on-disk transcript cache).
"""
