"""Evidence signals: what a teacher checks besides overall similarity, as numbers a head can weigh.

For a reference, an answer and (optionally) the question:
- key-term coverage: each of the reference's key terms (content words, numbers, names) is
  matched (spelling, stem, fuzzy or sound, or the LSTM's word alignment), missing, or replaced by
  a different term of the same kind ("ribosome" for "mitochondria", "1944" for "1945");
- negation on one side only, and antonyms ("increase" for "decrease");
- extra claims: numbers and names the reference does not have;
- the question's own words are no evidence: they neither cover the reference nor count as wrong;
- filler and hedges are dropped first; "I don't know" is recognised as such;
- with the deck's other references (`siblings`), terms that belong to another card's answer
  (app.grader.siblings).

`Evidence.features()` is the vector the calibrated head (app.grader.head) takes, next to the
LSTM's scores; `matched`, `missing` and `wrong` are what `Grade` reports.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from app.grader.contradiction import negated_claims
from app.grader.siblings import FEATURES as SIBLING_FEATURES
from app.grader.siblings import SiblingEvidence, sibling_evidence
from app.grader.terms import (
    Term,
    is_number,
    key_terms,
    match_term,
    names_in,
    says_dont_know,
    strip_filler,
    words_of,
)
from app.grader.text import NEGATIONS, STOPWORDS, normalise

_ANTONYM_TEXT = """
increase decrease|increases decreases|higher lower|high low|more less|most least|larger smaller|large small
big small|bigger smaller|longer shorter|long short|fast slow|faster slower|quickly slowly|hot cold|warm cold
heat cool|up down|upward downward|above below|inside outside|in out|into out of|before after|earlier later
first last|past future|positive negative|acid base|acidic alkaline|gain lose|gained lost|gains loses
add remove|adds removes|added removed|absorb release|absorbs releases|open close|opens closes|on off
start end|begin end|begins ends|enter leave|enters leaves|push pull|attract repel|north south|east west
left right|top bottom|upper lower|maximum minimum|max min|always never|all none|many few|same different
identical different|similar different|true false|correct incorrect|right wrong|male female|alive dead
living dead|plant animal|vertical horizontal|parallel perpendicular|rise fall|rises falls|rising falling
grow shrink|grows shrinks|expand contract|expands contracts|heavy light|strong weak|stronger weaker
hard soft|wet dry|full empty|safe dangerous|rich poor|cheap expensive|win lose|won lost|accept reject
import export|imports exports|buy sell|buyer seller|supply demand|producer consumer|predator prey
anode cathode|oxidation reduction|oxidised reduced|evaporation condensation|melting freezing|melt freeze
solid liquid|liquid gas|aerobic anaerobic|sexual asexual|dominant recessive|arteries veins|artery vein
inhale exhale|import export|input output|inputs outputs|encoder decoder|encode decode|keep discard
keeps discards|remember forget|remembers forgets|later earlier|next previous|forward backward
forwards backwards|ancient modern|rural urban|legal illegal|visible invisible|possible impossible
""".replace("\n", "|")
ANTONYMS: dict[str, set[str]] = {}
for _pair in _ANTONYM_TEXT.split("|"):
    _w = _pair.split()
    if len(_w) == 2:
        ANTONYMS.setdefault(_w[0], set()).add(_w[1])
        ANTONYMS.setdefault(_w[1], set()).add(_w[0])

ALIGN_CUTOFF = 0.9  # the LSTM aligning an answer word this closely counts as saying the term
FEATURES = ("coverage", "exact_coverage", "missing", "replaced", "any_wrong", "extra", "negation", "antonym",
            "dont_know", "empty", "number_mismatch", "few_terms", "length_ratio", "echo_only", "extra_numbers",
            "head_covered", "parts_missing", "is_list", "list_missing", "head_only_said", "short_replaced",
            "rare_coverage", "rare_missing", "rare_replaced", "rare_extra", "name_part") + SIBLING_FEATURES


@dataclass
class Evidence:
    terms: list[Term] = field(default_factory=list)
    how: list[str] = field(default_factory=list)  # per term: exact/stem/fuzzy/sound/aligned or ""
    where: list[int] = field(default_factory=list)  # per term: the answer word it matched, or -1
    wrong_terms: list[str] = field(default_factory=list)
    replaced: list[int] = field(default_factory=list)  # indices into terms
    replaced_by: list[str] = field(default_factory=list)  # the answer word standing in for each
    extra: int = 0  # answer content words not matching any reference term
    answer_terms: int = 0
    negation: bool = False
    antonym: bool = False
    dont_know: bool = False
    empty: bool = False
    echo_only: bool = False
    number_mismatch: bool = False
    extra_numbers: int = 0
    ref_words: list[str] = field(default_factory=list)
    answer_words: list[str] = field(default_factory=list)
    parts: list[list[int]] = field(default_factory=list)  # term indices of each part of the reference
    list_like: bool = False  # the reference is a plain list ("solid, liquid and gas"), not a fact and its gloss
    names: list[set[str]] = field(default_factory=list)  # runs of capitalised words of the reference
    rarity: list[float] = field(default_factory=list)  # per term: 0 (common word) .. 1 (rare or unknown)
    replaced_rarity: list[float] = field(default_factory=list)  # per replaced term, its stand-in's rarity
    extra_rarity: list[float] = field(default_factory=list)  # per loose answer word, the same
    sibling: SiblingEvidence = field(default_factory=SiblingEvidence)  # another card's terms in the answer
    negated: list[str] = field(default_factory=list)  # "not X" where the reference asserts X (app.grader.contradiction)

    def _part_features(self) -> list[float]:
        """The reference's parts (split at commas, "and", colons): is its first part (the answer
        proper, before any elaboration) said, how many parts are not touched at all, and is the
        reference a list of short items, where every item left out makes the answer partial."""
        parts = [p for p in self.parts if p] or [list(range(len(self.terms)))]
        said = [sum(bool(self.how[i]) for i in p) / len(p) if p else 1.0 for p in parts]
        untouched = sum(1 for p in parts if p and not any(self.how[i] for i in p)) / len(parts)
        is_list = float(self.list_like and len(parts) >= 2 and all(len(p) <= 2 for p in parts))
        rest = [i for p in parts[1:] for i in p]
        # The answer proper said, nothing of the elaboration after it ("the Nile" for "The Nile,
        # which flows north ..."): short but complete, unless the reference is a list.
        head_only = float(said[0] == 1.0 and bool(rest) and not any(self.how[i] for i in rest) and not is_list)
        return [said[0], untouched, is_list, is_list * untouched, head_only]

    def _weights(self) -> list[float]:
        return [2.0 if t.kind in ("number", "name") else 0.5 if len(t.text) <= 3 else 1.0 for t in self.terms]

    def features(self) -> list[float]:
        w = self._weights()
        total = sum(w) or 1.0
        cov = sum(x for x, h in zip(w, self.how, strict=True) if h) / total if self.terms else 1.0
        exact = sum(x for x, h in zip(w, self.how, strict=True) if h in ("exact", "stem")) / total \
            if self.terms else 1.0
        replaced = sum(w[i] for i in self.replaced) / total if self.terms else 0.0
        extra = self.extra / self.answer_terms if self.answer_terms else 0.0
        ratio = min(3.0, self.answer_terms / max(1, len(self.terms)))
        return [cov, exact, 1.0 - cov, replaced, float(bool(self.wrong_terms)), extra, float(self.negation),
                float(self.antonym), float(self.dont_know), float(self.empty), float(self.number_mismatch),
                1.0 / (1 + len(self.terms)), ratio, float(self.echo_only), min(3.0, float(self.extra_numbers)),
                *self._part_features(), replaced if len(self.terms) <= 3 else 0.0, *self._rare_features(),
                self._name_part(), *self.sibling.features(cov)]

    def _rare_features(self) -> list[float]:
        """Rare words carry the answer: a missing or replaced "mitochondria" weighs more than a
        missing "place", and a near miss swaps one rare term for another ("ribosome"), where a
        paraphrase swaps common words ("fight" for "defend")."""
        if not self.terms:
            return [1.0, 0.0, 0.0, 0.0]
        r = self.rarity or [0.5] * len(self.terms)
        total = sum(r) or 1.0
        cov = sum(x for x, h in zip(r, self.how, strict=True) if h) / total
        miss = max((x for x, h in zip(r, self.how, strict=True) if not h), default=0.0)
        rep = max((min(r[i], w) for i, w in zip(self.replaced, self.replaced_rarity, strict=True)), default=0.0)
        extra = sum(x for x in self.extra_rarity if x >= 0.6)
        return [cov, miss, rep, min(3.0, extra)]

    def _name_part(self) -> float:
        """1 when every missing term belongs to a name of which another word was said
        ("Darwin" for "Charles Darwin", "the Vatican" for "Vatican City")."""
        missing = [t.text for t, h in zip(self.terms, self.how, strict=True) if not h]
        said = {t.text for t, h in zip(self.terms, self.how, strict=True) if h}
        if not missing or not self.names:
            return 0.0
        return float(all(any(m in run and run & said for run in self.names) for m in missing))

    def _phrases(self, picked: list[int]) -> list[str]:
        """Adjacent reference terms as one phrase ("cell state"), in reference order."""
        out: list[str] = []
        run: list[Term] = []
        for i in sorted(picked):
            t = self.terms[i]
            if run and t.index != run[-1].index + 1:
                out.append(" ".join(x.text for x in run))
                run = []
            run.append(t)
        if run:
            out.append(" ".join(x.text for x in run))
        return list(dict.fromkeys(out))

    @property
    def matched(self) -> list[str]:
        return self._phrases([i for i, h in enumerate(self.how) if h])

    @property
    def missing(self) -> list[str]:
        return self._phrases([i for i, h in enumerate(self.how) if not h])


def word_rarity(word: str, ranks: dict[str, int] | None) -> float:
    """0 for the commonest words .. 1 for rare or unknown ones, from a frequency-ordered vocabulary
    (the LSTM's GloVe rows are in corpus frequency order); numbers count as rare."""
    if is_number(word):
        return 1.0
    if not ranks:
        return 0.5
    rank = ranks.get(word)
    if rank is None:
        return 1.0
    # Stretched so the top few hundred words are 0 and the rare tail nears 1.
    return min(1.0, max(0.0, (math.log1p(rank) - math.log(200)) / (math.log1p(len(ranks)) - math.log(200))))


def gather(reference: str, answer: str, question: str | None = None,
           aligned: dict[str, float] | None = None, ranks: dict[str, int] | None = None,
           siblings: Sequence[str] | None = None) -> Evidence:
    """The evidence for one answer. `aligned`: reference word -> the LSTM's best alignment with
    any answer word (cosine), when the LSTM is loaded; `ranks`: word -> frequency rank (the
    LSTM's vocabulary), for how rare each term is; `siblings`: the other references of the
    card's deck (a tuple is cached best: see app.grader.siblings)."""
    ref_words = words_of(reference)
    q_words = set(words_of(question)) if question else set()
    names = names_in(reference)
    terms = key_terms(ref_words, names, q_words)
    if not terms:  # the reference only repeats the question ("Ottawa is the capital of ..."): keep them all
        terms = key_terms(ref_words, names)
    raw_answer = words_of(answer)
    ans = strip_filler(raw_answer)
    ev = Evidence(terms=terms, ref_words=ref_words, answer_words=ans, parts=_parts(reference, terms),
                  list_like=_list_like(reference), names=name_runs(reference), rarity=[word_rarity(t.text, ranks) for t in terms])
    ev.dont_know = says_dont_know(raw_answer)
    used: set[int] = set()
    for t in terms:
        how, hits = match_term(t, ans, used)
        if not how and aligned and aligned.get(t.text, 0.0) >= ALIGN_CUTOFF and t.kind != "number":
            how = "aligned"
        ev.how.append(how)
        ev.where.append(hits[0] if hits else -1)
        used.update(hits)
    ref_set = set(ref_words)
    ans_names = names_in(answer)
    # Answer content words that match nothing in the reference and are not the question's own words.
    loose = [(i, w) for i, w in enumerate(ans) if i not in used and w not in ref_set and w not in q_words
             and (is_number(w) or (w not in STOPWORDS and w not in NEGATIONS and len(w) >= 2))
             and not (aligned and aligned.get(w, 0.0) >= 1.0)]
    content = [w for w in ans if is_number(w) or (w not in STOPWORDS and w not in NEGATIONS and len(w) >= 2)]
    ev.answer_terms = len([w for w in content if w not in q_words])
    ev.extra = len(loose)
    ev.empty = not content
    ev.echo_only = bool(content) and all(w in q_words and w not in ref_set for w in content)
    ev.negation = bool(NEGATIONS & set(ref_words)) != bool(NEGATIONS & set(ans))
    ev.antonym = any(a in ans and a not in ref_set for w in ref_words for a in ANTONYMS.get(w, ()))
    ref_numbers = [t for t in terms if t.kind == "number"]
    ans_numbers = [w for _, w in loose if is_number(w)]
    ev.extra_numbers = len(ans_numbers)
    ev.number_mismatch = bool(ans_numbers) and any(not h for t, h in zip(terms, ev.how, strict=True)
                                                   if t.kind == "number") or (bool(ans_numbers) and not ref_numbers
                                                                              and any(is_number(w) for w in ref_words))
    if ev.dont_know:  # "I don't know" names nothing, right or wrong
        ev.extra, ev.answer_terms, ev.extra_numbers, ev.number_mismatch = 0, 0, 0, False
        return ev
    _replacements(ev, loose, ans_names)
    ev.negated = negated_claims(reference, answer)
    ev.wrong_terms = list(dict.fromkeys(ev.wrong_terms + ev.negated))
    ev.replaced_rarity = [word_rarity(w, ranks) for w in ev.replaced_by]
    ev.extra_rarity = [word_rarity(w, ranks) for _, w in loose]
    if siblings:
        ev.sibling = sibling_evidence(siblings, ref_words, q_words, [w for w in content if w not in q_words],
                                      ev.replaced_by)
        # Another card's answer said for this one: its terms are what the answer said instead.
        if ev.sibling.coverage > ev.features()[0]:
            ev.wrong_terms = list(dict.fromkeys(ev.wrong_terms + ev.sibling.words))
    return ev


def _slot(ev: Evidence, ti: int) -> tuple[int, int] | None:
    """The answer positions between the matched terms either side of reference term `ti`: where
    its stand-in would be ("gated ___ unit", "solid, liquid and ___"). None without an anchor."""
    before = [ev.where[j] for j in range(ti) if ev.where[j] >= 0]
    after = [ev.where[j] for j in range(ti + 1, len(ev.terms)) if ev.where[j] >= 0]
    if not before and not after:
        return None
    lo = max(before) if before else -1
    hi = min(after) if after else len(ev.answer_words)
    return (lo, hi) if lo < hi else None


def _replacements(ev: Evidence, loose: list[tuple[int, str]], ans_names: set[str]) -> None:
    """Pair missing reference terms with loose answer words that stand in their place: the same
    kind (a number for a number, a name for a name), the same neighbour ("the ___ gate"), the
    same slot between matched terms, or, when the reference has one or two key terms, whatever
    else the answer names."""
    missing = [i for i, h in enumerate(ev.how) if not h]
    taken: set[int] = set()

    def take(ti: int, pos: int, word: str) -> None:
        ev.replaced.append(ti)
        ev.replaced_by.append(word)
        ev.wrong_terms.append(word)
        taken.add(pos)

    for ti in missing:
        t = ev.terms[ti]
        free = [(p, w) for p, w in loose if p not in taken]
        same_kind = [(p, w) for p, w in free if (t.kind == "number" and is_number(w))
                     or (t.kind == "name" and w in ans_names)]
        if same_kind:
            take(ti, *same_kind[0])
            continue
        neighbours = {ev.ref_words[j] for j in (t.index - 1, t.index + 1) if 0 <= j < len(ev.ref_words)}
        neighbours -= STOPWORDS
        beside = [(p, w) for p, w in free if not is_number(w) and neighbours
                  & {ev.answer_words[j] for j in (p - 1, p + 1) if 0 <= j < len(ev.answer_words)}]
        if beside:
            take(ti, *beside[0])
            continue
        slot = _slot(ev, ti)
        inside = [(p, w) for p, w in free if not is_number(w) and slot and slot[0] < p < slot[1]]
        if inside:
            take(ti, *inside[0])
            continue
        if len(ev.terms) <= 2 and free and t.kind != "number":
            take(ti, *free[0])
    for w in ev.answer_words:  # an antonym of a reference word is a wrong term too
        if w not in ev.ref_words and any(w in ANTONYMS.get(r, ()) for r in ev.ref_words):
            ev.wrong_terms.append(w)
    ev.wrong_terms = list(dict.fromkeys(ev.wrong_terms))


# A part that starts with one of these elaborates on the part before it ("The Amazon, in South
# America", "Yuri Gagarin, in 1961"): the answer proper is before it, it is not a list item.
_GLOSS_START = frozenset(["in", "on", "at", "from", "by", "as", "along", "inside", "near", "about", "because",
                         "so", "since", "usually", "mostly", "often", "which", "who", "where", "when", "whose",
                         "with", "without", "for"])


def _list_like(reference: str) -> bool:
    """A plain list: items split by commas and "and"/"or" only. A colon, "which", brackets or an
    item that starts like an elaboration ("in 1961") mean a fact and its gloss, not a list."""
    low = normalise(reference).strip().rstrip(".")
    if re.search(r"[:;()]|\bwhich\b|\.\s", low) or not re.search(r",|\band\b|\bor\b", low):
        return False
    items = [p.split() for p in re.split(r",|\band\b|\bor\b", low)[1:]]
    return not any(w and w[0] in _GLOSS_START for w in items)


def name_runs(reference: str) -> list[set[str]]:
    """Runs of two or more capitalised words ("Charles Darwin", "Vatican City"): a name, of which
    the surname or the head word alone is commonly the whole answer."""
    runs: list[set[str]] = []
    for m in re.finditer(r"[A-ZÀ-Þ][\wÀ-ÿ'’]*(?:\s+(?:d[aeiu]|van|von|de la|of)?\s*[A-ZÀ-Þ][\wÀ-ÿ'’]*)+", reference):
        words = {w for w in words_of(m.group(0)) if w not in STOPWORDS}
        if len(words) >= 2:
            runs.append(words)
    return runs


def _parts(reference: str, terms: list[Term]) -> list[list[int]]:
    """Term indices per part of the reference, split at punctuation and conjunctions."""
    out: list[list[int]] = []
    k = 0
    pieces = re.split(r"([,;:()\n]|\band\b|\bor\b|\bbut\b|\bwhich\b|\.\s)", normalise(reference))
    for n, piece in enumerate(pieces):
        count = len(words_of(piece))
        if n % 2 == 0:  # a part; the odd pieces are the separators ("and" is a word too)
            out.append([i for i, t in enumerate(terms) if k <= t.index < k + count])
        k += count
    return [p for p in out if p]


def clean_answer(answer: str) -> str:
    """The answer without filler and hedges, for the similarity model."""
    words = strip_filler(words_of(answer))
    return " ".join(words) if words else answer
