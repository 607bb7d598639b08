"""Quotes and speakers: the seed's gold quotes, and each rule on sentences of our own."""

from __future__ import annotations

import pytest

from geo.article import read_article


def _quotes(text: str) -> list[tuple[str, str]]:
    article = read_article(text)
    return [(article.quote_text(q), q.speaker) for q in article.quotes]


def test_seed_quotes_match_gold(seed_article, gold):
    found = [(q.paragraph, seed_article.quote_text(q), q.speaker) for q in seed_article.quotes]
    matched = 0
    for expected in gold["quotes"]:
        hits = [f for f in found if f[0] == expected["paragraph"] and f[1].startswith(expected["starts"])]
        if expected.get("optional") and not hits:
            continue
        assert hits, f"gold quote not found: {expected['starts']!r}"
        assert hits[0][2] == expected["speaker"], expected["starts"]
        matched += 1
    assert matched >= 13


def test_seed_quotes_have_only_gold_speakers(seed_article, gold):
    assert set(seed_article.speakers) == set(gold["speakers"])


def test_seed_last_quote_has_no_opening_mark(seed_article):
    last = seed_article.quotes[-1]
    assert last.opening_mark_missing
    assert seed_article.quote_text(last).startswith("The objective is to reduce the flow")
    assert seed_article.quote_text(last).endswith("The ports must be secured.")
    assert last.speaker == "Fausto Cobo"


def test_said_after_quote_with_title_stripped():
    assert _quotes("Headline\n“We will win,” Defense Minister Ana María Ruiz said on Monday.") == [
        ("We will win", "Ana María Ruiz")
    ]


def test_said_before_name():
    assert _quotes("Headline\n“Nothing changed,” said Colonel Luis Vega.") == [("Nothing changed", "Luis Vega")]


def test_surname_after_says_gets_full_name():
    text = "Headline\nGeneral Marta Ochoa spoke first.\n“It is over,” says Ochoa."
    assert _quotes(text) == [("It is over", "Marta Ochoa")]


def test_pronoun_is_the_person_the_paragraph_is_about():
    text = (
        "Headline\n"
        "Mayor Tom Baker met Judge Rosa Lind on Friday. Baker claimed the roads were safe. "
        "“We patrol every night,” he said. “Every single night.”"
    )
    assert _quotes(text) == [("We patrol every night", "Tom Baker"), ("Every single night.", "Tom Baker")]


def test_pronoun_at_paragraph_start_continues_the_last_speaker():
    text = (
        "Headline\n"
        "Senator Joan Pike, head of the ethics panel, agrees that the port is busy, but she says ships “come and go freely.”\n"
        "She also says the rules are “too weak”."
    )
    assert _quotes(text) == [("come and go freely.", "Joan Pike"), ("too weak", "Joan Pike")]


def test_partial_quote_is_marked_partial():
    article = read_article("Headline\nMayor Tom Baker said the plan was “a disaster” for the city.")
    (quote,) = article.quotes
    assert quote.partial and quote.speaker == "Tom Baker"


def test_quote_split_by_its_attribution_is_one_quote():
    article = read_article("Headline\n“The roads are open,” Mayor Tom Baker said, “and they will stay open.”")
    (quote,) = article.quotes
    assert quote.speaker == "Tom Baker"
    assert len(quote.parts) == 2
    assert article.quote_text(quote) == "The roads are open \u2026 and they will stay open."


def test_quote_with_no_opening_mark_starts_after_the_previous_quote():
    text = (
        "Headline\n"
        "“Ports are key,” says Captain Ines Mora. The fleet is ready. We sail at dawn.”"
    )
    article = read_article(text)
    assert [article.quote_text(q) for q in article.quotes] == ["Ports are key", "The fleet is ready. We sail at dawn."]
    assert article.quotes[1].opening_mark_missing
    assert {q.speaker for q in article.quotes} == {"Ines Mora"}


def test_straight_quotes_pair_like_curly_ones():
    assert _quotes('Headline\n"We are ready," said Colonel Luis Vega. "All of us."') == [
        ("We are ready", "Luis Vega"),
        ("All of us.", "Luis Vega"),
    ]


def test_unclosed_quote_runs_to_the_end_of_its_paragraph():
    article = read_article("Headline\nColonel Luis Vega said: “We stay here\nNext paragraph.")
    (quote,) = article.quotes
    assert quote.closing_mark_missing and article.quote_text(quote) == "We stay here"


def test_unattributed_quote_takes_the_paragraph_speaker():
    text = "Headline\nOn Tuesday President Ana Ruiz imposed tariffs, and Mayor Tom Baker said trade would suffer. “It hurts.”"
    assert _quotes(text) == [("It hurts.", "Tom Baker")]


@pytest.mark.parametrize("text", ["Headline\nNo quotes here.", "Headline\n“”", "Headline\n\u201d"])
def test_no_quotes(text):
    assert _quotes(text) == []


def test_low_opening_mark_closes_with_a_high_one():
    assert _quotes("Headline\n„We are ready“, said General Hans Vogel.") == [("We are ready", "Hans Vogel")]
