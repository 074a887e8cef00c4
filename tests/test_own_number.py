"""The rep's own number: one rule, whether it comes from --number, a pack or the script card."""

import pytest

from analyzer.errors import UsageError
from analyzer.numbers.own import own_number


@pytest.mark.parametrize("typed", ["816-916-6141", "(816) 916-6141", "816.916.6141", "8169166141", "816 916 6141",
                                   "1-816-916-6141", "+1 816 916 6141", "+1 (816) 916-6141", " 816-916-6141 "])
def test_what_reps_type_is_their_number(typed):
    assert own_number(typed, where="--number") == "8169166141"


@pytest.mark.parametrize("typed", ["abc", "12345", "", "916-6141", "816-916-61411", "2-816-916-6141",
                                   "816-916-6141 ext 204", "816-916-614x", "+44 20 7946 0958", "816+916+6141",
                                   "８１６９１６６１４１"])
def test_anything_else_is_refused_in_one_sentence_naming_where_and_the_form(typed):
    with pytest.raises(UsageError) as caught:
        own_number(typed, where="--number")
    said = str(caught.value)
    assert said.startswith(f"--number: {typed!r} is not a callback number; write 10 digits with the area code")
    assert "816-916-6141" in said and "\n" not in said and said.endswith(".")
