"""People: titles, speech verbs, surnames reused, and the names that are not places."""

from __future__ import annotations

from geo.article import read_article


def _people(text: str) -> dict[str, str]:
    return {person.name: person.title for person in read_article(text).people}


def test_seed_people_have_full_names_and_titles(seed_article):
    people = {p.name: p.title for p in seed_article.people}
    assert people == {
        "Gustavo Petro": "President",
        "Donald Trump": "President",
        "Daniel Noboa": "President",
        "Mario Pazmiño": "Colonel",
        "Fausto Cobo": "Colonel",
    }


def test_seed_surname_mentions_link_to_the_full_name(seed_article):
    petro = next(p for p in seed_article.people if p.name == "Gustavo Petro")
    named = {seed_article.text[a:b] for a, b in petro.mentions}
    assert named == {"Petro", "Gustavo Petro"}
    # The headline's "Colombia President Petro" and the possessive "Petro’s" both count.
    paragraphs = {seed_article.paragraph_of(a) for a, _ in petro.mentions}
    assert {0, 1, 3, 4, 5, 6, 7, 8, 9} <= paragraphs


def test_name_before_speech_verb_is_a_person():
    assert _people("Headline\nLuisa Fernanda Gómez said the port was closed.") == {"Luisa Fernanda Gómez": ""}


def test_full_name_whose_surname_speaks_later_is_a_person():
    assert _people("Headline\nAfter meeting Carlos Mendoza, the board voted. Mendoza says he agreed.") == {
        "Carlos Mendoza": ""
    }


def test_two_capitalised_place_words_are_not_a_person():
    assert _people("Headline\nThey sailed from Santa Marta to Puerto Bolívar.") == {}


def test_a_person_who_shares_a_name_with_a_town_blocks_the_place_reading():
    # Several towns are called Cobo; here it is a colonel.
    article = read_article("Headline\nColonel Fausto Cobo spoke in Quito. Cobo also says the army left.")
    cobo = next(p for p in article.people if p.name == "Fausto Cobo")
    assert len(cobo.mentions) == 2
    assert article.person_at(article.text.index("Cobo also")) is cobo


def test_surname_after_a_locative_preposition_is_the_place():
    article = read_article("Headline\nGeorge Washington said it. Washington replied. Then we flew to Washington.")
    washington = next(p for p in article.people if p.name == "George Washington")
    last = article.text.rindex("Washington")
    assert all(a != last for a, _ in washington.mentions)


def test_surname_after_a_preposition_that_takes_people_too_is_the_person():
    text = ("Headline\nThe board named Ann Preston chair. The job was offered to Preston in May. "
            "Residents of Preston cheered. Later we drove to Preston.")
    article = read_article(text)
    preston = next(p for p in article.people if p.name == "Ann Preston")
    starts = {a for a, _ in preston.mentions}
    assert text.index("Preston in May") in starts  # "to" after no word of going
    assert text.rindex("Preston") not in starts  # "drove to Preston" is the town
    assert text.index("Preston cheered") not in starts  # "residents of" a place
