import pytest
from fsrs import Rating

from app.scheduling.grades import rating_for_confidence, rating_for_result, rating_for_verdict


def test_confidence_scale_maps_onto_fsrs_ratings():
    got = [rating_for_confidence(level) for level in (1, 2, 3, 4, 5)]
    assert got == [Rating.Again, Rating.Again, Rating.Hard, Rating.Good, Rating.Easy]


@pytest.mark.parametrize("level", [0, 6, -1, True])
def test_confidence_out_of_range_is_refused(level):
    with pytest.raises(ValueError):
        rating_for_confidence(level)


def test_pass_fail_results():
    assert rating_for_result(False) == Rating.Again
    assert rating_for_result(False, 0.99) == Rating.Again
    assert rating_for_result(True) == Rating.Good
    assert rating_for_result(True, 0.3) == Rating.Hard
    assert rating_for_result(True, 0.8) == Rating.Good
    assert rating_for_result(True, 0.97) == Rating.Easy
    with pytest.raises(ValueError):
        rating_for_result(True, 1.5)


def test_call_verdicts():
    assert rating_for_verdict("correct", 0.8) == Rating.Good
    assert rating_for_verdict("correct", 0.99) == Rating.Easy
    assert rating_for_verdict("partial", 0.5) == Rating.Hard
    assert rating_for_verdict("wrong", 0.1) == Rating.Again
    assert rating_for_verdict(" Wrong ", 0.0) == Rating.Again
    with pytest.raises(ValueError):
        rating_for_verdict("maybe", 0.5)
    with pytest.raises(ValueError):
        rating_for_verdict("correct", -0.1)
