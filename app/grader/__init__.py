"""The answer grader: an LSTM similarity model, with a lexical fallback behind the same interface."""
