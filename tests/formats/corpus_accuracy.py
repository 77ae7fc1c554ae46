"""Card-level accuracy of the paste importer on tests/formats/fixtures/corpus.

    python tests/formats/corpus_accuracy.py            # the code in this checkout
    PYTHONPATH=/tmp/old python tests/formats/corpus_accuracy.py   # another checkout's app/

A card counts when its front and back are exactly the expected ones; accuracy is the matched
cards over max(expected, produced) summed over the corpus, so extra junk cards count against
it as much as missing ones. Only `app.formats.parse_text` is used, which every version has.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

CORPUS = Path(__file__).with_name("fixtures") / "corpus"


def load() -> list[tuple[str, str, dict]]:
    out = []
    for txt in sorted(CORPUS.glob("*.txt")):
        meta = json.loads(txt.with_suffix(".json").read_text(encoding="utf-8"))
        out.append((txt.stem, txt.read_text(encoding="utf-8"), meta))
    return out


def score(expected: list[list[str]], got: list[tuple[str, str]]) -> tuple[int, int]:
    want = Counter(tuple(c) for c in expected)
    have = Counter(got)
    matched = sum((want & have).values())
    return matched, max(len(expected), len(got))


def main() -> int:
    import app
    from app.formats import parse_text

    total_matched = total = exact = 0
    for name, text, meta in load():
        try:
            cards = [(c.front, c.back) for c in parse_text(text).cards]
        except Exception as exc:  # an old parser may fail outright: zero cards
            cards = []
            print(f"{name}: error {type(exc).__name__}: {exc}")
        matched, n = score(meta["cards"], cards)
        total_matched += matched
        total += n
        exact += matched == n == len(meta["cards"])
        if matched != n:
            print(f"{name}: {matched}/{n}")
    pastes = len(load())
    print(f"code: {Path(app.__file__).parent}")
    print(f"card-level accuracy: {total_matched}/{total} = {total_matched / total:.1%}; pastes exact: {exact}/{pastes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
