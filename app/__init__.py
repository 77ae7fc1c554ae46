"""Recall: an offline study app with flashcards, spaced review and a voice tutor."""

__version__ = "0.1.0"
