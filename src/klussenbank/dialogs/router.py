"""Routing by card verb and command word: each feature registers its handlers next to them, and one
table joins the features, refusing a verb or a word that two handlers claim."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from klussenbank.cards.elements import Element
from klussenbank.dialogs.turn import Services, Turn
from klussenbank.i18n import LANGUAGES, catalog
from klussenbank.services.ports.records import Actor
from klussenbank.verbs import Dataset, Verb

Handler = Callable[[Services, Actor, Turn], Awaitable[Element]]
H = TypeVar("H", bound=Handler)
# A type-ahead list's search: the choices to offer, each {"title": …, "value": …}.
SearchHandler = Callable[[Services, Actor, Turn], Awaitable[list[dict[str, str]]]]
S = TypeVar("S", bound=SearchHandler)


class DuplicateRoute(ValueError):
    """Two handlers for one verb or one command word: a programming error, found at start-up."""


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z ]", "", text.lower()).strip()


class Router:
    """One feature's routes, registered with decorators: `@router.verb(Verb.X)`, `@router.command("x")`,
    `@router.search(Dataset.X)`."""

    def __init__(self) -> None:
        self.verbs: dict[Verb, Handler] = {}
        self.words: dict[str, Handler] = {}
        self.searches: dict[Dataset, SearchHandler] = {}

    def verb(self, verb: Verb) -> Callable[[H], H]:
        def register(handler: H) -> H:
            _add_verb(self.verbs, verb, handler)
            return handler

        return register

    def search(self, dataset: Dataset) -> Callable[[S], S]:
        def register(handler: S) -> S:
            _add_search(self.searches, dataset, handler)
            return handler

        return register

    def command(self, name: str, *, also: Iterable[str] = ()) -> Callable[[H], H]:
        """The command `command.<name>` in every language (whatever the Teams locale), and the
        words in `also`."""

        def register(handler: H) -> H:
            words = {normalise(catalog(lang)[f"command.{name}"]) for lang in LANGUAGES} | set(also)
            for word in words:
                _add_word(self.words, word, handler)
            return handler

        return register


class Routes:
    """All features' routes in one table."""

    def __init__(self, *routers: Router) -> None:
        self.verbs: dict[Verb, Handler] = {}
        self.words: dict[str, Handler] = {}
        self.searches: dict[Dataset, SearchHandler] = {}
        for router in routers:
            for verb, handler in router.verbs.items():
                _add_verb(self.verbs, verb, handler)
            for dataset, search in router.searches.items():
                _add_search(self.searches, dataset, search)
            for word, handler in router.words.items():
                _add_word(self.words, word, handler)

    def for_verb(self, verb: Verb | None) -> Handler | None:
        return self.verbs.get(verb) if verb is not None else None

    def for_text(self, text: str) -> Handler | None:
        return self.words.get(normalise(text))

    def for_dataset(self, dataset: Dataset | None) -> SearchHandler | None:
        return self.searches.get(dataset) if dataset is not None else None


def _add_verb(verbs: dict[Verb, Handler], verb: Verb, handler: Handler) -> None:
    if verb in verbs:
        raise DuplicateRoute(f"verb {verb} has two handlers: {_names(verbs[verb], handler)}")
    verbs[verb] = handler


def _add_search(searches: dict[Dataset, SearchHandler], dataset: Dataset, handler: SearchHandler) -> None:
    if dataset in searches:
        raise DuplicateRoute(f"dataset {dataset} has two searches: {_names(searches[dataset], handler)}")
    searches[dataset] = handler


def _add_word(words: dict[str, Handler], word: str, handler: Handler) -> None:
    # One handler may have the same word in both languages ("help"); two handlers may not share one.
    if words.get(word, handler) is not handler:
        raise DuplicateRoute(f"command {word!r} has two handlers: {_names(words[word], handler)}")
    words[word] = handler


def _names(*handlers: Handler | SearchHandler) -> str:
    return " and ".join(f"{h.__module__}.{h.__qualname__}" for h in handlers)
