"""Recall: an offline study app with flashcards, spaced review and a voice tutor.

The packages, bottom to top (a module imports only its own layer or below; CONTRIBUTING.md):
store/config -> formats, scheduling, grader -> study, voice, sync -> commands, ui -> cli.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
