"""Unit tests for the skills vocabulary (domain code and the shipped data file)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from klussenbank.data import load_json, load_skill_vocabulary
from klussenbank.domain.skills import Skill, SkillDomain, SkillVocabulary, normalise_term

REQUIRED_DOMAINS = (
    "administration",
    "communication",
    "customer-contact",
    "green-maintenance",
    "events",
    "data-it",
    "finance",
    "legal",
    "social-domain",
    "permits",
    "enforcement",
    "project-work",
    "hr",
    "facilities",
    "crisis-management",
    "sports-recreation",
    "civil-affairs",
    "spatial-planning",
)

KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@pytest.fixture(scope="module")
def vocab() -> SkillVocabulary:
    return load_skill_vocabulary()


def _skill(
    skill_id: str,
    domain: str = "admin",
    nl: str | None = None,
    en: str | None = None,
    synonyms_nl: list[Any] | None = None,
    synonyms_en: list[str] | None = None,
    related: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "id": skill_id,
        "domain": domain,
        "label": {"nl": nl or f"NL {skill_id}", "en": en or f"EN {skill_id}"},
        "synonyms": {"nl": synonyms_nl or [], "en": synonyms_en or []},
        "related": related or [],
    }


def _data(*skills: object, domains: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    if domains is None:
        domains = [{"id": "admin", "label": {"nl": "Administratie", "en": "Administration"}}]
    return {"version": 1, "domains": domains, "skills": list(skills)}


# --- the shipped vocabulary ---------------------------------------------------------------


def test_shipped_vocabulary_has_at_least_90_skills(vocab: SkillVocabulary) -> None:
    assert len(vocab) >= 90
    assert len(vocab.skills) == len(vocab)


@pytest.mark.parametrize("domain_id", REQUIRED_DOMAINS)
def test_required_domain_is_present_with_at_least_four_skills(vocab: SkillVocabulary, domain_id: str) -> None:
    grouped = {domain.id: skills for domain, skills in vocab.by_domain()}
    assert domain_id in grouped
    assert len(grouped[domain_id]) >= 4


def test_every_domain_has_at_least_four_skills(vocab: SkillVocabulary) -> None:
    too_small = [domain.id for domain, skills in vocab.by_domain() if len(skills) < 4]
    assert too_small == []


def test_labels_are_filled_in_both_languages(vocab: SkillVocabulary) -> None:
    for domain in vocab.domains:
        assert domain.label("nl").strip() and domain.label("en").strip(), domain.id
    for skill in vocab.skills:
        assert skill.label_nl.strip() and skill.label_en.strip(), skill.id
        assert skill.label_nl == skill.label_nl.strip()
        assert skill.label_en == skill.label_en.strip()


def test_ids_are_unique_kebab_case(vocab: SkillVocabulary) -> None:
    ids = [skill.id for skill in vocab.skills]
    assert len(set(ids)) == len(ids)
    assert all(KEBAB.fullmatch(skill_id) for skill_id in ids)
    assert all(KEBAB.fullmatch(domain.id) for domain in vocab.domains)


def test_raw_data_has_one_to_five_synonyms_per_language() -> None:
    raw = load_json("skills.json")
    for entry in raw["skills"]:
        for lang in ("nl", "en"):
            synonyms = entry["synonyms"][lang]
            assert 1 <= len(synonyms) <= 5, (entry["id"], lang, synonyms)
            assert all(isinstance(s, str) and s.strip() == s and s for s in synonyms)


def test_related_ids_exist_and_are_symmetric(vocab: SkillVocabulary) -> None:
    for skill in vocab.skills:
        assert skill.id not in skill.related
        for related_id in skill.related:
            assert related_id in vocab
            assert skill.id in vocab.get(related_id).related, (skill.id, related_id)


def test_every_label_and_synonym_finds_its_own_skill(vocab: SkillVocabulary) -> None:
    for skill in vocab.skills:
        for term in (skill.id, skill.label_nl, skill.label_en, *skill.synonyms):
            found = vocab.find(term)
            assert found is not None and found.id == skill.id, (term, skill.id, found)


def test_by_domain_lists_every_skill_once_in_domain_order(vocab: SkillVocabulary) -> None:
    grouped = vocab.by_domain()
    assert [domain for domain, _ in grouped] == list(vocab.domains)
    listed = [skill.id for _, skills in grouped for skill in skills]
    assert sorted(listed) == sorted(skill.id for skill in vocab.skills)
    for domain, skills in grouped:
        assert all(skill.domain == domain.id for skill in skills)


def test_loader_caches_the_vocabulary() -> None:
    assert load_skill_vocabulary() is load_skill_vocabulary()


@pytest.mark.parametrize("name", ["../__init__.py", "sub/skills.json", "..\\x.json", "", ".hidden"])
def test_load_json_refuses_paths(name: str) -> None:
    with pytest.raises(ValueError, match="plain data file name"):
        load_json(name)


# --- find ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Notuleren", "minute-taking"),  # Dutch label
        ("Taking minutes", "minute-taking"),  # English label
        ("minute-taking", "minute-taking"),  # id
        ("notulist", "minute-taking"),  # Dutch synonym
        ("note taking", "minute-taking"),  # English synonym
        ("NOTULEREN", "minute-taking"),  # case
        ("  notuleren.  ", "minute-taking"),  # surrounding whitespace and punctuation
        ("notuléren", "minute-taking"),  # accent the data does not have
        ("secretariele ondersteuning", "secretarial-support"),  # accent the user left out
        ("KLACHTENCOORDINATOR", "complaints-handling"),
        ("wmo", "wmo-assessment"),
        ("BOA", "boa-patrol"),
        ("kcc", "phone-customer-service"),
        ("Excel", "excel"),
        ("Omgevingswet", "omgevingswet"),
        ("data analyse", "data-analysis"),  # inner spacing/hyphenation ignored
        ("Publiekszaken", "front-desk"),
        ("groen", None),
        ("kaas maken", None),
        ("", None),
        ("   ", None),
        ("?!", None),
    ],
)
def test_find(vocab: SkillVocabulary, text: str, expected: str | None) -> None:
    found = vocab.find(text)
    assert (found.id if found else None) == expected


def test_get_and_contains(vocab: SkillVocabulary) -> None:
    skill = vocab.get("minute-taking")
    assert skill.label("nl") == "Notuleren"
    assert "minute-taking" in vocab
    assert "no-such-skill" not in vocab
    assert 42 not in vocab
    with pytest.raises(KeyError):
        vocab.get("no-such-skill")


def test_label_language_falls_back_to_dutch() -> None:
    skill = Skill(id="x", domain="d", label_nl="Notuleren", label_en="Taking minutes")
    domain = SkillDomain(id="d", label_nl="Groen", label_en="Green")
    assert skill.label("en") == "Taking minutes"
    assert skill.label("nl") == "Notuleren"
    assert skill.label("de") == "Notuleren"
    assert skill.label("") == "Notuleren"
    assert domain.label("en") == "Green"
    assert domain.label("fr") == "Groen"


def test_normalise_term() -> None:
    assert normalise_term("  Café-Éclair! ") == "cafeeclair"
    assert normalise_term("Reïntegratie") == normalise_term("reintegratie")
    assert normalise_term("...") == ""


# --- parse_free_text ----------------------------------------------------------------------


def test_parse_free_text_separates_known_and_unknown(vocab: SkillVocabulary) -> None:
    text = "Notuleren, kaas maken; EXCEL\nWmo,notulist , Kaas Maken,  ,\n\n;bijen houden"
    known, free = vocab.parse_free_text(text)
    assert known == ["minute-taking", "excel", "wmo-assessment"]
    assert free == ["kaas maken", "bijen houden"]


def test_parse_free_text_handles_bullets_and_crlf(vocab: SkillVocabulary) -> None:
    known, free = vocab.parse_free_text("- Snoeien\r\n* Vrachtwagen rijden\r\n• BHV")
    assert known == ["pruning", "emergency-response"]
    assert free == ["Vrachtwagen rijden"]


@pytest.mark.parametrize("text", ["", "   ", ",,;\n", " - , * "])
def test_parse_free_text_of_nothing(vocab: SkillVocabulary, text: str) -> None:
    assert vocab.parse_free_text(text) == ([], [])


def test_parse_free_text_dedupes_free_terms_ignoring_case_and_accents(
    vocab: SkillVocabulary,
) -> None:
    _, free = vocab.parse_free_text("Beekeeping; beekeeping ;BEEKEEPING, Crème brûlée, creme brulee")
    assert free == ["Beekeeping", "Crème brûlée"]


# --- sorted_for ---------------------------------------------------------------------------


def test_sorted_for_ignores_case_and_accents() -> None:
    vocab = SkillVocabulary.from_mapping(
        _data(
            _skill("b", nl="beta", en="Zulu"),
            _skill("a", nl="Ábc", en="alpha"),
            _skill("c", nl="abd", en="Échelle"),
            _skill("d", nl="Abe", en="echo"),
        )
    )
    assert [s.id for s in vocab.sorted_for("nl")] == ["a", "c", "d", "b"]
    assert [s.id for s in vocab.sorted_for("en")] == ["a", "c", "d", "b"]
    assert [s.id for s in vocab.sorted_for("xx")] == ["a", "c", "d", "b"]
    vocab_en = [s.label_en for s in vocab.sorted_for("en")]
    assert vocab_en == ["alpha", "Échelle", "echo", "Zulu"]


def test_shipped_vocabulary_sorted_for_each_language(vocab: SkillVocabulary) -> None:
    for lang in ("nl", "en"):
        ordered = vocab.sorted_for(lang)
        assert len(ordered) == len(vocab)
        assert {skill.id for skill in ordered} == {skill.id for skill in vocab.skills}
        # Alphabetical by first letter, ignoring case and accents.
        first_letters = [normalise_term(skill.label(lang))[0] for skill in ordered]
        assert first_letters == sorted(first_letters), lang


# --- from_mapping -------------------------------------------------------------------------


def test_from_mapping_builds_a_small_vocabulary() -> None:
    vocab = SkillVocabulary.from_mapping(
        _data(
            _skill("minute-taking", nl="Notuleren", synonyms_nl=["notulist"], related=["typing"]),
            _skill("typing", nl="Typen", synonyms_en=["typing fast"], related=["minute-taking"]),
        )
    )
    assert len(vocab) == 2
    assert vocab.get("minute-taking") == Skill(
        id="minute-taking",
        domain="admin",
        label_nl="Notuleren",
        label_en="EN minute-taking",
        synonyms=("notulist",),
        related=("typing",),
    )
    assert vocab.domains == (SkillDomain("admin", "Administratie", "Administration"),)
    found = vocab.find("typing fast")
    assert found is not None and found.id == "typing"


def test_synonyms_and_related_are_optional() -> None:
    vocab = SkillVocabulary.from_mapping(
        _data({"id": "a", "domain": "admin", "label": {"nl": "Aa", "en": "Ah"}})
    )
    assert vocab.get("a").synonyms == ()
    assert vocab.get("a").related == ()


def test_same_synonym_twice_within_one_skill_is_fine() -> None:
    vocab = SkillVocabulary.from_mapping(
        _data(_skill("excel", nl="Werken met Excel", synonyms_nl=["Excel"], synonyms_en=["Excel"]))
    )
    assert vocab.get("excel").synonyms == ("Excel",)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_data(_skill("a"), _skill("a")), "duplicate skill id 'a'"),
        (
            _data(
                _skill("a"),
                domains=[
                    {"id": "admin", "label": {"nl": "A", "en": "A"}},
                    {"id": "admin", "label": {"nl": "B", "en": "B"}},
                ],
            ),
            "duplicate domain id 'admin'",
        ),
        (_data(_skill("a", domain="garden")), "skill 'a' refers to unknown domain 'garden'"),
        (_data(_skill("a", related=["b"])), "skill 'a' lists unknown related skill 'b'"),
        (_data(_skill("a", related=["a"])), "skill 'a' lists itself as related"),
        (_data(_skill("a", related=["b", "b"]), _skill("b")), "related skill 'b' twice"),
        (
            _data(_skill("a", synonyms_nl=["notulist"]), _skill("b", synonyms_en=["notulist"])),
            "synonym 'notulist' of skill 'b' collides with synonym 'notulist' of skill 'a'",
        ),
        (
            _data(_skill("a", synonyms_nl=["Notulíst"]), _skill("b", synonyms_nl=[" NOTULIST "])),
            "synonym 'NOTULIST' of skill 'b' collides with synonym 'Notulíst' of skill 'a'",
        ),
        (
            _data(_skill("a", nl="Notuleren"), _skill("b", synonyms_nl=["notuleren"])),
            "synonym 'notuleren' of skill 'b' collides with label 'Notuleren' of skill 'a'",
        ),
        (
            _data(_skill("a", synonyms_en=["Gardening"]), _skill("b", en="gardening")),
            "label 'gardening' of skill 'b' collides with synonym 'Gardening' of skill 'a'",
        ),
        (
            _data(_skill("a", nl="Snoeien"), _skill("b", nl="snoeien")),
            "label 'snoeien' of skill 'b' collides with label 'Snoeien' of skill 'a'",
        ),
        (
            _data(_skill("tree-care"), _skill("b", synonyms_en=["Tree care"])),
            "collides with id 'tree-care' of skill 'tree-care'",
        ),
        (_data(_skill("a", synonyms_nl=["..."])), "synonym '...' has no letters or digits"),
        (_data(_skill("Bad_Id")), "skill id 'Bad_Id' is not lowercase kebab-case"),
        ({**_data(_skill("a")), "version": 2}, "unsupported vocabulary version 2"),
        ({"domains": [], "skills": []}, "unsupported vocabulary version None"),
        ({**_data(), "skills": {"a": 1}}, "skills must be a list"),
        ({**_data(), "domains": "admin"}, "domains must be a list"),
        (_data("not an object"), r"skills\[0\] must be an object"),
        (
            _data({"id": "a", "domain": "admin", "label": {"nl": "Aa"}}),
            r"skills\[0\] \('a'\)\.label\.en must be a non-empty string",
        ),
        (
            _data({"id": "a", "domain": "admin", "label": {"nl": "  ", "en": "Ah"}}),
            r"label\.nl must be a non-empty string",
        ),
        (_data({"domain": "admin", "label": {"nl": "A", "en": "A"}}), r"skills\[0\]\.id"),
        (_data(_skill("a", synonyms_nl=[3])), r"synonyms\.nl\[0\] must be a non-empty string"),
        (
            _data({**_skill("a"), "synonyms": {"nl": [], "de": ["x"]}}),
            r"unknown language\(s\) \['de'\]",
        ),
        (_data({**_skill("a"), "synonyms": {"nl": "notulist"}}), r"synonyms\.nl must be a list"),
        (_data({**_skill("a"), "related": "b"}), r"\.related must be a list"),
        (
            _data(_skill("a"), domains=[{"id": "admin", "label": "Admin"}]),
            "label must be an object",
        ),
    ],
)
def test_from_mapping_rejects_bad_data(data: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SkillVocabulary.from_mapping(data)


def test_from_mapping_rejects_a_non_mapping() -> None:
    with pytest.raises(ValueError, match="must be a mapping"):
        SkillVocabulary.from_mapping([])  # type: ignore[arg-type]


# -- finding a skill by typing -------------------------------------------------------------------


def _found(vocab: SkillVocabulary, text: str, lang: str = "en") -> list[tuple[str, str | None]]:
    return [(hit.skill.id, hit.via) for hit in vocab.search(text, lang)]


def test_search_finds_a_skill_by_a_synonym_and_says_by_which(vocab: SkillVocabulary) -> None:
    assert _found(vocab, "notulist")[0] == ("minute-taking", "notulist")
    assert _found(vocab, "NOTULÍST")[0] == ("minute-taking", "notulist")  # case and accents
    assert _found(vocab, "minute-taker")[0] == ("minute-taking", "minute-taker")


def test_search_puts_the_readers_own_label_first(vocab: SkillVocabulary) -> None:
    assert _found(vocab, "minu")[0] == ("minute-taking", None)
    assert _found(vocab, "notul", "nl")[0] == ("minute-taking", None)
    # In English, the Dutch label is another word for it, and named.
    assert _found(vocab, "notul", "en")[0] == ("minute-taking", "Notuleren")


def test_search_finds_the_skills_of_a_domain_last(vocab: SkillVocabulary) -> None:
    found = vocab.search("groenonderhoud", "en")
    assert found and all(hit.skill.domain == "green-maintenance" for hit in found)
    assert {hit.via for hit in found} == {"Groenonderhoud"}
    ranks = [hit.rank for hit in vocab.search("minu", "en")]
    assert ranks == sorted(ranks) and ranks[-1] > ranks[0]


def test_search_needs_every_word_typed(vocab: SkillVocabulary) -> None:
    assert ("data-analysis", None) in _found(vocab, "data an")
    assert ("data-analysis", None) not in _found(vocab, "data zzz")
    assert _found(vocab, "") == [] and _found(vocab, " ,. ") == []
