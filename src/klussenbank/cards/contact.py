"""How the two sides of a match reach each other on a card: a Teams chat with them, and their e-mail.

The service decides who may see whom (`services/contacts.py`); this only draws it.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from klussenbank.cards.elements import Element, container, open_url, subtle, text
from klussenbank.i18n import Translator
from klussenbank.services.views import Contact

CHAT = "https://teams.microsoft.com/l/chat/0/0"  # Teams' deep link to a new or existing 1:1 chat


def chat_link(user: str) -> str:
    """A Teams chat with someone: by their sign-in name (UPN) or e-mail, or Entra object id; or with
    a bot, by its "28:" id."""
    return f"{CHAT}?{urlencode({'users': user}, quote_via=quote)}"


def contact_block(contact: Contact, t: Translator) -> Element:
    """Who to talk to, with a button for a Teams chat and one for an e-mail (when the directory has it)."""
    items: list[Element] = [text(t("contact.talk", name=contact.name), weight="Bolder")]
    if contact.email:
        items.append(text(t("contact.email", email=contact.email)))
    actions = []
    if contact.chat:
        actions.append(
            open_url(t("action.chat", name=contact.name), chat_link(contact.email or contact.aad_object_id))
        )
    else:  # another tenant, whose admins do not allow Teams chats between the two
        items.append(subtle(t("tenants.no_chat")))
    if contact.email:
        actions.append(open_url(t("action.email"), f"mailto:{contact.email}"))
    return container([*items, {"type": "ActionSet", "actions": actions}], separator=True, spacing="Medium")
