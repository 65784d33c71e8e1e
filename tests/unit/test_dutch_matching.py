"""Unit tests for Dutch word handling in matching (domain/matching/words.py and the names of skills in
domain/matching/profiles.py), the weak evidence of a klus's text, and the graded evaluation set."""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import pytest

from bench import matching_quality
from klussenbank.domain.matching import MENTIONED_WEIGHT, CandidatePool, Match, Reason
from tests.unit.test_matching import MATCHER, TODAY, VOCABULARY, candidate, explain, formula, klus, reason

LEXICON = MATCHER._lexicon


def named(text: str) -> set[str]:
    """The ids of the skills a person's free text names."""
    mask = MATCHER._named(text)
    return {skill.id for skill in VOCABULARY if mask >> MATCHER._bit[skill.id] & 1}


def skill_reason(match: Match) -> Reason:
    return reason(match, "skills")


# -- words: lemmas and compounds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "lemma"),
    [
        ("adviezen", "advies"),
        ("financiële", "financieel"),
        ("administraties", "administratie"),
        ("geschreven", "schrijven"),
        ("roosters", "rooster"),
        ("vergunningen", "vergunning"),
        ("Bestemmingsplannen", "bestemmingsplan"),
    ],
)
def test_inflected_words_become_their_lemma(written: str, lemma: str) -> None:
    assert LEXICON.lemmas(written) == {lemma}


@pytest.mark.parametrize(
    ("compound", "parts"),
    [
        # The dictionary knows neither: split on a head it knows, the plural folded on the head.
        ("crediteurenadministratie", ("crediteur", "administratie")),
        ("inkoopfacturen", ("inkoop", "factuur")),
        ("evenementenvergunningen", ("evenement", "vergunning")),
        ("wijkteams", ("wijk", "team")),
        # The dictionary knows it, and both parts are words of the vocabulary.
        ("salarisadministratie", ("salaris", "administratie")),
    ],
)
def test_compounds_split_into_their_parts(compound: str, parts: tuple[str, ...]) -> None:
    (token,) = LEXICON.tokens(compound)

    assert token.parts == parts
    assert token.lemma == "".join(parts)
    assert LEXICON.words(compound) == set(parts)


def test_spelling_variants_of_a_compound_meet() -> None:
    # The linking -s- and -en- go: both spellings are in use.
    assert LEXICON.lemmas("klachtenbehandeling") == LEXICON.lemmas("klachtbehandeling")
    assert LEXICON.lemmas("personeelsplanning") == LEXICON.lemmas("personeelplanning")
    assert LEXICON.lemmas("evenementenvergunningen") == LEXICON.lemmas("evenementenvergunning")


@pytest.mark.parametrize("word", ["boekhouding", "verwerken", "rapporten", "notulist", "projectleider"])
def test_a_word_is_not_split_on_a_mere_ending(word: str) -> None:
    # "boek" + "houding", "ver" + "werken", "rap" + "porten": known words whose parts are not both
    # words of the vocabulary stay whole.
    (token,) = LEXICON.tokens(word)

    assert len(token.parts) == 1


def test_stopwords_and_possessive_s_are_left_out_and_single_letters_kept() -> None:
    assert LEXICON.lemmas("Roosters maken voor de zomer") == {"rooster", "zomer"}
    assert LEXICON.lemmas("beleidsnota's") == LEXICON.lemmas("beleidsnota")
    assert LEXICON.lemmas("rijbewijs C") == {"rijbewijs", "c"}


# -- skills named in people's own words -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "skills"),
    [
        ("boekhouding", {"bookkeeping"}),
        ("financiële administraties", {"bookkeeping"}),
        ("crediteurenadministratie", {"invoice-processing"}),
        ("inkoopfacturen verwerken", {"invoice-processing"}),
        ("roosters maken", {"staff-scheduling"}),
        ("juridische adviezen", {"legal-advice"}),
        ("begrotingen opstellen", {"budgeting"}),
        ("Teams en SharePoint uitleggen", {"microsoft-365"}),
        # A name is only there when all of it is: "rijbewijs C" is not in "rijbewijzen".
        ("paspoorten en rijbewijzen", {"travel-documents"}),
        ("koken voor groepen", set()),
    ],
)
def test_a_person_owns_the_skills_their_words_name(written: str, skills: set[str]) -> None:
    assert named(written) == skills


def test_no_two_skills_share_a_name_lemma_for_lemma() -> None:
    # A klus's free-text skill that is a name, lemma for lemma, is that one skill.
    owners: dict[frozenset[str], set[str]] = defaultdict(set)
    for skill in VOCABULARY:
        for name in (skill.id, skill.label_nl, skill.label_en, *skill.synonyms):
            owners[LEXICON.lemmas(name)].add(skill.id)

    assert {lemmas: ids for lemmas, ids in owners.items() if len(ids) > 1} == {}


def test_financial_administration_finds_bookkeepers_and_the_related() -> None:
    # The example: a klus asking "financiële administratie" in the poster's own words.
    wanted = klus(required_skills=(), free_skills=("Financiële administratie",), title="", description="")
    bookkeeper = explain(wanted, candidate(skills=(), free_skills=("boekhouding",)))
    creditors = explain(wanted, candidate(skills=(), free_skills=("crediteurenadministratie",)))

    assert bookkeeper is not None and creditors is not None
    assert dict(skill_reason(bookkeeper).params) == {"matched": 1, "related": 0, "total": 1}
    # Invoice processing (crediteurenadministratie) is related to bookkeeping.
    assert dict(skill_reason(creditors).params) == {"matched": 0, "related": 1, "total": 1}


def test_rosters_are_staff_planning() -> None:
    # The example: "roosters maken" for a klus that asks "personeelsplanning".
    wanted = klus(required_skills=(), free_skills=("personeelsplanning",), title="", description="")
    match = explain(wanted, candidate(skills=(), free_skills=("Roosters maken",)))

    assert match is not None
    assert dict(skill_reason(match).params) == {"matched": 1, "related": 0, "total": 1}


def test_inflections_of_a_free_text_skill_meet() -> None:
    wanted = klus(required_skills=(), free_skills=("historische rondleidingen",), title="", description="")
    match = explain(wanted, candidate(skills=("mowing",), free_skills=("rondleiding Historisch",)))

    assert match is not None
    assert dict(reason(match, "free_skills").params) == {"matched": 1, "partial": 0, "total": 1}


def test_a_compound_meets_its_parts_half() -> None:
    # "projectadministratie" has the parts "project" and "administratie"; someone who wrote
    # "administratie" brings half of it.
    wanted = klus(
        required_skills=(), free_skills=("projectadministratie bijhouden",), title="", description=""
    )
    match = explain(wanted, candidate(skills=("mowing",), free_skills=("administratie", "project")))

    assert match is not None
    assert dict(reason(match, "free_skills").params) == {"matched": 0, "partial": 1, "total": 1}


# -- the klus's title and description: weak evidence --------------------------------------------------------


def test_the_text_of_a_klus_lifts_those_whose_skills_it_names_and_says_so() -> None:
    text = "Door ziekte lopen we achter met de crediteurenadministratie."
    wanted = klus(required_skills=("bookkeeping",), title="Financiën", description=text)
    plain = dataclasses.replace(wanted, description="")
    person = candidate(skills=("invoice-processing",), organisation_key="harderwijk")

    lifted, without = explain(wanted, person), explain(plain, person)

    assert lifted is not None and without is not None
    assert dict(reason(lifted, "mentioned").params) == {"words": "crediteurenadministratie"}
    assert reason(lifted, "mentioned").weight == MENTIONED_WEIGHT
    assert [r.code for r in without.reasons if r.code == "mentioned"] == []
    assert without.score < lifted.score < 1.0
    assert lifted.score == formula(lifted)


def test_the_text_of_a_klus_is_never_enough_on_its_own() -> None:
    # The description names mowing, but the klus asks for minute-taking: nothing in common.
    wanted = klus(description="Tussendoor ook gras maaien.")

    assert explain(wanted, candidate(skills=("mowing",))) is None


def test_a_klus_text_naming_nobodys_skill_changes_no_score() -> None:
    person = candidate(hours_per_week=8)
    base = explain(klus(title="", description=""), person)
    other = explain(klus(title="Koken voor de kantine", description=""), person)

    assert base is not None and other is not None
    assert base.score == other.score and base.reasons == other.reasons


def test_the_pool_gives_the_lift_too() -> None:
    text = "Je maakt de notulen en houdt de agenda van de directeur bij."
    offered = [klus(id=n, title="Secretariaat", description=text if n % 2 else "") for n in range(1, 7)]
    people = [
        candidate("anna"),
        candidate("bram", skills=("diary-management",), organisation_key="harderwijk"),
        candidate("cem", skills=("report-writing",), hours_per_week=8),
    ]
    pool = CandidatePool(MATCHER, people)

    for k in offered:
        assert pool.top_candidates(k, today=TODAY) == MATCHER.rank_candidates(k, people, today=TODAY)
    assert any(r.code == "mentioned" for m in pool.top_candidates(offered[0], today=TODAY) for r in m.reasons)


# -- the graded evaluation set -------------------------------------------------------------------------------


def test_the_evaluation_set_proposes_nobody_forbidden_and_ranks_well() -> None:
    evaluation = matching_quality.load(matching_quality.EVAL_SET, VOCABULARY)
    outcomes = matching_quality.evaluate(MATCHER, evaluation)

    assert len(evaluation.cases) >= 30 and len(evaluation.people) >= 50
    assert [o.case.klus.id for o in outcomes if o.forbidden] == []
    # A regression floor, below the figure the bench prints (0.95 or more), not a target.
    assert sum(o.expected_ndcg for o in outcomes) / len(outcomes) >= 0.9
    assert matching_quality.pool_agrees(MATCHER, evaluation)


def test_ndcg_counts_graded_gains_and_ties() -> None:
    assert matching_quality.ndcg([2, 1, 0], [2, 1]) == 1.0
    assert matching_quality.ndcg([1, 2], [2, 1]) < 1.0
    assert matching_quality.ndcg([0, 0, 2], [2]) == pytest.approx(0.5)
    assert matching_quality.ndcg([], []) == 1.0


def test_a_talent_search_reads_the_own_text_of_findable_people_and_nothing_else_does() -> None:
    text = "Ik maak graag podcasts en korte filmpjes."
    people = [
        candidate("anna", findable=True, talent_text=text),
        candidate("bram", findable=False, talent_text=text),  # not findable: the text is nobody's business
        candidate("cem", free_skills=("podcasts maken",)),
    ]
    pool = CandidatePool(MATCHER, people)
    search = klus(id=0, required_skills=(), free_skills=("podcasts",), talent_search=True)
    poster = dataclasses.replace(search, talent_search=False)

    assert [m.person_id for m in pool.top_candidates(search, today=TODAY)] == ["anna", "cem"]
    assert pool.top_candidates(search, today=TODAY) == MATCHER.rank_candidates(search, people, today=TODAY)
    assert [m.person_id for m in pool.top_candidates(poster, today=TODAY)] == ["cem"]
    assert pool.top_candidates(poster, today=TODAY) == MATCHER.rank_candidates(poster, people, today=TODAY)
