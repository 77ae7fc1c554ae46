"""The voice tutor's engines (capture, VAD, Whisper ASR, TTS) and the call dialogue.

Nothing here imports Qt. Heavy modules (torch, whisper, sounddevice, pyttsx3) are imported
lazily inside the engines, and the names below load on first use, so `import app.voice` is cheap.
"""

from app.lazy import lazy_exports

__all__, __getattr__, __dir__ = lazy_exports(
    globals(),
    {
        ".audio": ("AudioFileError", "read_wav", "write_wav"),
        ".capture": ("AudioSource", "CaptureUnavailable", "FileSource", "MicrophoneSource"),
        ".vad": ("Utterance", "VadConfig", "listen"),
        ".models": ("ModelError", "ModelIntegrityError", "prepare", "resolve"),
        ".asr": ("ASR", "Transcript", "WhisperASR", "shared_asr"),
        ".tts": ("TTS", "Speech", "TTSUnavailable", "load_tts", "shared_tts"),
        ".playback": ("PlaybackUnavailable", "Player"),
        ".prompting": ("deck_vocabulary", "vocabulary_prompt"),
        ".wer": ("word_error_rate",),
        ".call": ("CallDialogue", "CallEngines", "CallRunner", "call_cards"),
    },
)
