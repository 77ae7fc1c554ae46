"""The voice tutor's engines (capture, VAD, Whisper ASR, TTS) and the call dialogue.

Nothing here imports Qt. Heavy modules (torch, whisper, sounddevice, pyttsx3) are imported
lazily inside the engines, so importing `app.voice` is cheap.
"""
