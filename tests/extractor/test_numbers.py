from __future__ import annotations

import pytest

from evidence_tables.extractor.numbers import find_numbers, hedge_before, parse_digits, parse_words


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2,545", 2545),
        ("11\u00b73", 11.3),
        ("1\u2009234", 1234),
        ("1\u00a0234", 1234),
        (".30", 0.3),
        ("305", 305),
    ],
    ids=[
        "thousands-comma",
        "lancet-middot",
        "thin-space",
        "no-break-space",
        "leading-dot",
        "plain",
    ],
)
def test_parse_digits(text, value):
    assert parse_digits(text) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("one hundred and twelve", 112),
        ("Fifty-six", 56),
        ("twenty", 20),
        ("three hundred thirty-two", 332),
        ("two thousand three hundred and one", 2301),
        ("twelve and six", None),
        ("hundred", None),
    ],
    ids=["hundred-and", "hyphenated", "tens", "no-and", "thousands", "two-numbers", "bare-scale"],
)
def test_parse_words(text, value):
    assert parse_words(text) == value


def spans(text):
    return [(text[n.start : n.end], n.value, n.percent) for n in find_numbers(text)]


def test_find_numbers_in_context():
    text = "Of 1,204 patients (n=305), 182/305 (60%) and Fifty-six women; CPX-351 and CD19 are names, 60 percent."
    assert spans(text) == [
        ("1,204", 1204, False),
        ("305", 305, False),
        ("182", 182, False),
        ("305", 305, False),
        ("60%", 60, True),
        ("Fifty-six", 56, False),
        ("60 percent", 60, True),
    ]


def test_word_numbers_split_at_and():
    assert [n.value for n in find_numbers("One hundred and twelve and Fifty-six patients")] == [
        112,
        56,
    ]


@pytest.mark.parametrize("hedge", ["approximately", "about", "nearly", "over", "more than", "~"])
def test_hedges(hedge):
    text = f"in {hedge} 300 patients"
    assert hedge_before(text, text.index("300")) == hedge.lower()
