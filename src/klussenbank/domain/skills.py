"""The curated skills vocabulary: domains, skills, and looking skills up by name.

Pure domain code: the vocabulary is built from an already-parsed mapping
(see ``klussenbank.data.load_skill_vocabulary`` for the I/O edge).

Look-ups are forgiving. A text is reduced to a *key*: case-folded, accents
removed, and everything that is not a letter or digit dropped. So
"Notuleren", " notuleren. ", "NOTULEREN" and "notuléren" all give the same
key, as do "data-analyse", "data analyse" and "dataanalyse". Because every
id, label and synonym of a skill is indexed by its key, the vocabulary
refuses data in which two different skills would share a key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

LANGUAGES: tuple[str, ...] = ("nl", "en")
SUPPORTED_VERSION = 1

_ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SEPARATORS = re.compile(r"[,;\r\n]+")
_LEADING_BULLET = re.compile(r"^[-*\u2022\u00b7\u2013\u2014]+\s*")


def normalise_term(text: str) -> str:
    """The look-up key of a text: case-folded, without accents, letters and digits only."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if char.isalnum())


def _sort_key(label: str) -> tuple[str, str]:
    """Locale-insensitive sort key: accent-free case-folded text, then plain case-folded."""
    folded = label.casefold()
    decomposed = unicodedata.normalize("NFKD", folded)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return plain, folded


def _is_english(lang: str) -> bool:
    return lang == "en"


@dataclass(frozen=True)
class SkillDomain:
    """A group of related skills, e.g. "Groenonderhoud"."""

    id: str
    label_nl: str
    label_en: str

    def label(self, lang: str) -> str:
        """The label in ``lang`` ("nl" or "en"); any other value gives Dutch."""
        return self.label_en if _is_english(lang) else self.label_nl


@dataclass(frozen=True)
class Skill:
    """One skill from the vocabulary.

    ``synonyms`` holds the Dutch synonyms followed by the English ones;
    ``related`` holds ids of skills that are close to this one.
    """

    id: str
    domain: str
    label_nl: str
    label_en: str
    synonyms: tuple[str, ...] = ()
    related: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        """The label in ``lang`` ("nl" or "en"); any other value gives Dutch."""
        return self.label_en if _is_english(lang) else self.label_nl


@dataclass(frozen=True)
class SkillHit:
    """A skill found by a search, and the synonym, other-language label or domain it was found
    by (None: by its own label). Lower ``rank`` is a better match."""

    skill: Skill
    via: str | None
    rank: int


def _words(text: str) -> list[str]:
    return [word for word in (normalise_term(part) for part in re.split(r"[^\w]+", text)) if word]


def _rank(words: list[str], term: str) -> int | None:
    """0: the term itself; 1: the term begins with it; 2: each word begins a word of the term;
    3: the term contains it (three letters or more); None: no match."""
    key, typed = normalise_term(term), "".join(words)
    if key == typed:
        return 0
    if key.startswith(typed):
        return 1
    term_words = _words(term)
    if all(any(w.startswith(word) for w in term_words) for word in words):
        return 2
    if len(typed) >= 3 and typed in key:
        return 3
    return None


class SkillVocabulary:
    """An immutable, validated set of skills grouped into domains."""

    __slots__ = ("_domains", "_domains_by_id", "_index", "_skills", "_skills_by_id")

    def __init__(self, domains: Iterable[SkillDomain], skills: Iterable[Skill]) -> None:
        """Build a vocabulary; raises ValueError when the parts do not fit together."""
        self._domains: tuple[SkillDomain, ...] = tuple(domains)
        self._skills: tuple[Skill, ...] = tuple(skills)

        self._domains_by_id: dict[str, SkillDomain] = {}
        for domain in self._domains:
            _check_id(domain.id, "domain")
            _check_text(domain.label_nl, f"domain {domain.id!r}: label.nl")
            _check_text(domain.label_en, f"domain {domain.id!r}: label.en")
            if domain.id in self._domains_by_id:
                raise ValueError(f"duplicate domain id {domain.id!r}")
            self._domains_by_id[domain.id] = domain

        self._skills_by_id: dict[str, Skill] = {}
        for skill in self._skills:
            _check_id(skill.id, "skill")
            if skill.id in self._skills_by_id:
                raise ValueError(f"duplicate skill id {skill.id!r}")
            if skill.domain not in self._domains_by_id:
                raise ValueError(f"skill {skill.id!r} refers to unknown domain {skill.domain!r}")
            _check_text(skill.label_nl, f"skill {skill.id!r}: label.nl")
            _check_text(skill.label_en, f"skill {skill.id!r}: label.en")
            self._skills_by_id[skill.id] = skill

        for skill in self._skills:
            seen: set[str] = set()
            for related_id in skill.related:
                if related_id == skill.id:
                    raise ValueError(f"skill {skill.id!r} lists itself as related")
                if related_id not in self._skills_by_id:
                    raise ValueError(f"skill {skill.id!r} lists unknown related skill {related_id!r}")
                if related_id in seen:
                    raise ValueError(f"skill {skill.id!r} lists related skill {related_id!r} twice")
                seen.add(related_id)

        self._index: dict[str, str] = {}
        owners: dict[str, tuple[str, str]] = {}
        for skill in self._skills:
            terms = [
                ("id", skill.id),
                ("label", skill.label_nl),
                ("label", skill.label_en),
                *(("synonym", synonym) for synonym in skill.synonyms),
            ]
            for kind, term in terms:
                key = normalise_term(term)
                if not key:
                    raise ValueError(f"skill {skill.id!r}: {kind} {term!r} has no letters or digits")
                owner = self._index.get(key)
                if owner is not None and owner != skill.id:
                    other_kind, other_term = owners[key]
                    raise ValueError(
                        f"{kind} {term!r} of skill {skill.id!r} collides with "
                        f"{other_kind} {other_term!r} of skill {owner!r}"
                    )
                if owner is None:
                    self._index[key] = skill.id
                    owners[key] = (kind, term)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> SkillVocabulary:
        """Build a vocabulary from parsed JSON (see ``data/skills.json``).

        Raises ValueError, naming the offending entry, when the data is malformed.
        """
        if not isinstance(data, Mapping):
            raise ValueError("vocabulary must be a mapping")
        version = data.get("version")
        if version != SUPPORTED_VERSION or isinstance(version, bool):
            raise ValueError(f"unsupported vocabulary version {version!r} (expected {SUPPORTED_VERSION})")
        raw_domains = _list(data.get("domains"), "domains")
        raw_skills = _list(data.get("skills"), "skills")
        domains = [_parse_domain(raw, f"domains[{n}]") for n, raw in enumerate(raw_domains)]
        skills = [_parse_skill(raw, f"skills[{n}]") for n, raw in enumerate(raw_skills)]
        return cls(domains, skills)

    def __len__(self) -> int:
        return len(self._skills)

    def __contains__(self, skill_id: object) -> bool:
        return isinstance(skill_id, str) and skill_id in self._skills_by_id

    def __iter__(self) -> Iterator[Skill]:
        return iter(self._skills)

    def get(self, skill_id: str) -> Skill:
        """The skill with this id; raises KeyError when there is none."""
        try:
            return self._skills_by_id[skill_id]
        except KeyError:
            raise KeyError(f"unknown skill id {skill_id!r}") from None

    @property
    def skills(self) -> tuple[Skill, ...]:
        """All skills, in the order of the source data."""
        return self._skills

    @property
    def domains(self) -> tuple[SkillDomain, ...]:
        """All domains, in the order of the source data."""
        return self._domains

    def by_domain(self) -> list[tuple[SkillDomain, list[Skill]]]:
        """Every domain (in source order) with its skills (in source order)."""
        grouped: dict[str, list[Skill]] = {domain.id: [] for domain in self._domains}
        for skill in self._skills:
            grouped[skill.domain].append(skill)
        return [(domain, grouped[domain.id]) for domain in self._domains]

    def find(self, text: str) -> Skill | None:
        """The skill whose id, label or synonym (either language) matches ``text``.

        Matching ignores case, accents, spaces and punctuation.
        """
        key = normalise_term(text)
        if not key:
            return None
        skill_id = self._index.get(key)
        return None if skill_id is None else self._skills_by_id[skill_id]

    def parse_free_text(self, text: str) -> tuple[list[str], list[str]]:
        """Split a comma, semicolon or newline separated list into known and free terms.

        Returns (ids of recognised skills in order of appearance, without
        duplicates; the remaining terms, trimmed, without duplicates when
        compared case- and accent-insensitively, empty ones dropped).
        """
        known: list[str] = []
        free: list[str] = []
        free_keys: set[str] = set()
        for piece in _SEPARATORS.split(text):
            term = _LEADING_BULLET.sub("", piece.strip()).strip()
            key = normalise_term(term)
            if not key:
                continue
            skill = self.find(term)
            if skill is not None:
                if skill.id not in known:
                    known.append(skill.id)
            elif key not in free_keys:
                free_keys.add(key)
                free.append(term)
        return known, free

    def search(self, text: str, lang: str) -> list[SkillHit]:
        """The skills ``text`` may mean, best first: by their label in ``lang``, then by a synonym
        or the other language's label ("notulist" finds Taking minutes), then by their domain.

        Every word typed must begin a word of the same term ("data an" finds "Data-analyse");
        from three letters on, a term that merely contains the text counts too, last.
        """
        words = _words(text)
        if not words:
            return []
        hits: dict[str, SkillHit] = {}
        other_lang = "nl" if _is_english(lang) else "en"
        domains = {d.id: (d.label(lang), d.label(other_lang)) for d in self._domains}
        for skill in self._skills:
            own = skill.label(lang)
            other = skill.label_nl if _is_english(lang) else skill.label_en
            terms = [(own, None), *((term, term) for term in (other, *skill.synonyms))]
            for term, via in terms:
                rank = _rank(words, term)
                if rank is not None:
                    # A synonym or the other language ranks after the reader's own label.
                    found = SkillHit(skill, via, rank + (0 if via is None else 3))
                    if skill.id not in hits or found.rank < hits[skill.id].rank:
                        hits[skill.id] = found
            if skill.id not in hits:
                domain = next((d for d in domains[skill.domain] if _rank(words, d) in (0, 1, 2)), None)
                if domain is not None:
                    hits[skill.id] = SkillHit(skill, domain, 6)
        return sorted(hits.values(), key=lambda hit: (hit.rank, *_sort_key(hit.skill.label(lang))))

    def sorted_for(self, lang: str) -> list[Skill]:
        """All skills sorted by their label in ``lang``, ignoring case and accents."""
        return sorted(self._skills, key=lambda skill: (*_sort_key(skill.label(lang)), skill.id))


def _check_id(value: str, what: str) -> None:
    if not _ID_PATTERN.fullmatch(value):
        raise ValueError(f"{what} id {value!r} is not lowercase kebab-case")


def _check_text(value: str, where: str) -> None:
    if not value.strip():
        raise ValueError(f"{where} must not be empty")


def _list(value: object, where: str) -> Sequence[object]:
    if not isinstance(value, Sequence) or isinstance(value, str | bytes):
        raise ValueError(f"{where} must be a list")
    return value


def _mapping(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where} must be an object")
    return value


def _string(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where} must be a non-empty string")
    return value.strip()


def _labels(value: object, where: str) -> tuple[str, str]:
    labels = _mapping(value, where)
    return (
        _string(labels.get("nl"), f"{where}.nl"),
        _string(labels.get("en"), f"{where}.en"),
    )


def _parse_domain(raw: object, where: str) -> SkillDomain:
    entry = _mapping(raw, where)
    domain_id = _string(entry.get("id"), f"{where}.id")
    label_nl, label_en = _labels(entry.get("label"), f"{where}.label")
    return SkillDomain(id=domain_id, label_nl=label_nl, label_en=label_en)


def _parse_skill(raw: object, where: str) -> Skill:
    entry = _mapping(raw, where)
    skill_id = _string(entry.get("id"), f"{where}.id")
    where = f"{where} ({skill_id!r})"
    domain = _string(entry.get("domain"), f"{where}.domain")
    label_nl, label_en = _labels(entry.get("label"), f"{where}.label")

    synonyms: list[str] = []
    raw_synonyms = _mapping(entry.get("synonyms", {}), f"{where}.synonyms")
    unknown_languages = sorted(set(raw_synonyms) - set(LANGUAGES))
    if unknown_languages:
        raise ValueError(f"{where}.synonyms has unknown language(s) {unknown_languages!r}")
    for lang in LANGUAGES:
        values = _list(raw_synonyms.get(lang, []), f"{where}.synonyms.{lang}")
        for n, value in enumerate(values):
            synonym = _string(value, f"{where}.synonyms.{lang}[{n}]")
            if synonym not in synonyms:
                synonyms.append(synonym)

    related_values = _list(entry.get("related", []), f"{where}.related")
    related = tuple(_string(value, f"{where}.related[{n}]") for n, value in enumerate(related_values))
    return Skill(
        id=skill_id,
        domain=domain,
        label_nl=label_nl,
        label_en=label_en,
        synonyms=tuple(synonyms),
        related=related,
    )
