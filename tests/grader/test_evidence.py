"""Each evidence signal on small hand-written pairs."""

from app.grader.evidence import FEATURES, clean_answer, gather


def feature(ev, name: str) -> float:
    return ev.features()[FEATURES.index(name)]


def test_key_term_replaced_by_a_sibling_is_missing_and_wrong():
    ev = gather("The mitochondria", "the ribosome")
    assert ev.missing == ["mitochondria"] and ev.wrong_terms == ["ribosome"] and ev.matched == []
    assert feature(ev, "replaced") == 1.0 and feature(ev, "coverage") == 0.0


def test_asr_spelling_still_covers_the_term():
    ev = gather("The mitochondria", "might o condria")
    assert ev.matched == ["mitochondria"] and ev.missing == [] and ev.wrong_terms == []


def test_numbers_present_or_replaced():
    assert gather("1945", "nineteen forty five").missing == []
    ev = gather("1945", "1944", "In which year did World War II end?")
    assert ev.wrong_terms == ["1944"] and feature(ev, "number_mismatch") == 1.0


def test_multi_word_terms_are_reported_as_phrases():
    ev = gather("It decides what to remove from the cell state", "it decides what to remove")
    assert "cell state" in ev.missing


def test_a_swapped_word_in_a_list_is_wrong():
    ev = gather("Protons, neutrons and electrons.", "protons, neutrons and photons")
    assert ev.missing == ["electrons"] and ev.wrong_terms == ["photons"]
    assert gather("Gated recurrent unit.", "gated linear unit").wrong_terms == ["linear"]


def test_negation_on_one_side():
    assert feature(gather("The light reactions make ATP", "the light reactions do not make ATP"), "negation") == 1.0
    assert feature(gather("The light reactions make ATP", "light reactions make ATP"), "negation") == 0.0


def test_antonyms_are_contradictions():
    ev = gather("Gradients shrink as they flow back", "gradients grow as they flow back")
    assert feature(ev, "antonym") == 1.0 and "grow" in ev.wrong_terms
    assert feature(gather("Prices increase", "prices go up a lot"), "antonym") == 0.0


def test_extra_claims_with_numbers_the_reference_lacks():
    ev = gather("The Pacific Ocean", "the Pacific, about 1945 metres deep")
    assert feature(ev, "extra_numbers") == 1.0
    assert feature(gather("The Pacific Ocean", "the Pacific"), "extra_numbers") == 0.0


def test_question_words_are_not_evidence():
    q = "What is the largest ocean on Earth?"
    ev = gather("The Pacific Ocean.", "the Atlantic Ocean", q)
    assert ev.matched == [] and ev.missing == ["pacific"] and ev.wrong_terms == ["atlantic"]
    echo = gather("Canberra.", "the capital of Australia", "What is the capital of Australia?")
    assert feature(echo, "echo_only") == 1.0 and echo.wrong_terms == []


def test_filler_is_ignored_and_dont_know_names_nothing():
    plain, padded = gather("The Nile", "the Nile"), gather("The Nile", "um, I think it's, uh, the Nile, right?")
    assert plain.features() == padded.features()
    dk = gather("Canberra.", "I don't know")
    assert feature(dk, "dont_know") == 1.0 and dk.wrong_terms == []
    assert clean_answer("um, I guess the Nile") == "the nile"


def test_lists_and_the_answer_proper():
    part = gather("Solid, liquid and gas.", "solid and liquid")
    assert feature(part, "is_list") == 1.0 and feature(part, "list_missing") > 0
    short = gather("The Nile, which flows north into the Mediterranean Sea.", "the Nile")
    assert feature(short, "head_only_said") == 1.0 and feature(short, "is_list") == 0.0


def test_a_fact_and_its_elaboration_is_not_a_list():
    short = gather("Four: two atria and two ventricles.", "four")
    assert feature(short, "is_list") == 0.0 and feature(short, "head_only_said") == 1.0
    assert feature(gather("Arteries, veins and capillaries.", "arteries and veins"), "is_list") == 1.0


RANKS = {w: i for i, w in enumerate(["the", "of", "place", "lives", "fight", "defend", "body", "infection", "against"]
                                    + [f"filler{k}" for k in range(5000)] + ["organism", "ribosome"])}


def test_rare_terms_weigh_more():
    from app.grader.evidence import word_rarity

    assert word_rarity("the", RANKS) == 0.0 and word_rarity("mitochondria", RANKS) == 1.0
    assert word_rarity("1945", None) == 1.0 and word_rarity("ribosome", None) == 0.5
    assert 0.0 <= word_rarity("place", RANKS) < word_rarity("organism", RANKS) <= 1.0
    # A rare term swapped for another rare one (a near miss) against common words swapped (a paraphrase).
    near = gather("The mitochondria", "the ribosome", ranks=RANKS)
    para = gather("They defend the body against infection", "they fight infection", ranks=RANKS)
    assert feature(near, "rare_replaced") > 0.99 and feature(near, "rare_missing") == 1.0
    assert feature(para, "rare_replaced") < 0.5 and feature(para, "rare_missing") < 0.5
    assert feature(gather("The place where an organism lives", "where an organism lives", ranks=RANKS),
                   "rare_coverage") > feature(gather("The place where an organism lives", "the place where it lives",
                                                     ranks=RANKS), "rare_coverage")
