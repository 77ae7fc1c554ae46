"""Key terms: numbers read from words, filler and hedges dropped, sound-alike matching."""

from app.grader.terms import Term, match_term, names_in, says_dont_know, strip_filler, words_of


def test_numbers_said_in_words_become_digits():
    assert words_of("nineteen forty five") == ["1945"]
    assert words_of("a hundred and eighty degrees") == ["180", "degrees"]
    assert words_of("three point one four") == ["3.14"]
    assert words_of("minus 273.15") == ["-273.15"]
    assert words_of("about 300,000 km") == ["about", "300000", "km"]
    assert words_of("between zero and one") == ["between", "0", "and", "1"]


def test_filler_and_hedges_are_dropped():
    assert strip_filler(words_of("um, I think it's the mitochondria, right?")) == ["the", "mitochondria"]
    assert strip_filler(words_of("uh so basically Canberra I guess")) == ["canberra"]
    assert strip_filler(words_of("the Nile")) == ["the", "nile"]


def test_dont_know_is_recognised_but_not_inside_an_answer():
    assert says_dont_know(words_of("I don't know"))
    assert says_dont_know(words_of("um, no idea"))
    assert not says_dont_know(words_of("I forget the name but it is the Nile in Africa"))


def test_spelling_and_sound_matching_over_split_words():
    term = Term("mitochondria", "word", 0)
    assert match_term(term, words_of("might o condria"), set())[0] in ("fuzzy", "sound")
    assert match_term(term, words_of("the mitokondria"), set())[0] == "fuzzy"
    assert match_term(term, words_of("the ribosome"), set())[0] == ""
    assert match_term(Term("haemoglobin", "word", 0), words_of("hemoglobin"), set())[0] in ("fuzzy", "sound")
    assert match_term(Term("1945", "number", 0), words_of("nineteen forty five"), set())[0] == "exact"
    assert match_term(Term("1945", "number", 0), words_of("1944"), set())[0] == ""


def test_names_are_capitalised_words_after_the_start():
    assert names_in("Mount Everest, in the Himalayas on the border of Nepal and China.") >= {"everest", "nepal"}
    assert "the" not in names_in("The Pacific Ocean.")
