"""Reading an incoming activity, once, into the Turn the dialogs are given: who acts, in which
conversation, and what they pressed or typed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microsoft_agents.activity import Activity

from klussenbank.dialogs.turn import SearchQuery, Turn
from klussenbank.i18n import Translator
from klussenbank.services.ports.records import Actor, Channel, ConversationRef
from klussenbank.verbs import Dataset, Verb

PERSONAL = "personal"
CARD_ACTION = "adaptiveCard/action"  # the invoke of Action.Execute
SEARCH = "application/search"  # the invoke of a type-ahead list (`choices.data`) as someone types
MAX_QUERY = 100  # characters of a search we even look at


def channel_data_of(activity: Activity) -> Mapping[str, Any]:
    data = activity.channel_data
    return data if isinstance(data, Mapping) else {}


def _named(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) and isinstance(value.get("id"), str) else {}


def team_channel_of(activity: Activity) -> Channel | None:
    """The team channel an activity is about (a channel event names it; otherwise the one it is in)."""
    data = channel_data_of(activity)
    team, channel = _named(data.get("team")), _named(data.get("channel"))
    if not team:
        return None
    channel_id = channel.get("id") or (activity.conversation.id if activity.conversation else None)
    if not channel_id:
        return None
    conversation = activity.conversation
    here = conversation is not None and conversation.id == channel_id
    name = str(
        channel.get("name")
        or (conversation.name if here and conversation and conversation.name else "")
        or ("General" if channel_id == team["id"] else "")
    )
    return Channel(str(channel_id), str(team["id"]), str(team.get("name") or ""), name)


def channel_conversation(activity: Activity, channel: Channel) -> ConversationRef | None:
    """A reference to post in the channel, made from the activity (which may be in another one)."""
    conversation = conversation_of(activity, None)
    if conversation is None:
        return None
    reference = dict(conversation.reference)
    reference["conversation"] = {
        **dict(reference.get("conversation") or {}),
        "id": channel.conversation_id,
        "conversationType": "channel",
    }
    return ConversationRef(
        conversation_id=channel.conversation_id,
        conversation_type="channel",
        tenant_id=conversation.tenant_id,
        channel_id=conversation.channel_id,
        service_url=conversation.service_url,
        person_aad_object_id=None,
        reference=reference,
    )


def tenant_of(activity: Activity) -> str:
    # Teams puts the tenant in channelData in personal chats; conversation.tenantId elsewhere.
    channel_data = activity.channel_data
    if isinstance(channel_data, Mapping):
        tenant = channel_data.get("tenant")
        if isinstance(tenant, Mapping) and isinstance(tenant.get("id"), str):
            return str(tenant["id"])
    if activity.conversation and activity.conversation.tenant_id:
        return activity.conversation.tenant_id
    return ""


def actor_of(activity: Activity) -> Actor | None:
    sender = activity.from_property
    if sender is None or not sender.aad_object_id:
        return None
    return Actor(
        aad_object_id=sender.aad_object_id,
        tenant_id=tenant_of(activity),
        name=sender.name or "",
        locale=activity.locale or "",
    )


def conversation_type_of(activity: Activity) -> str:
    conversation = activity.conversation
    return (conversation.conversation_type if conversation else None) or PERSONAL


def conversation_of(activity: Activity, actor: Actor | None) -> ConversationRef | None:
    if activity.conversation is None or not activity.conversation.id or not activity.service_url:
        return None
    kind = conversation_type_of(activity)
    reference: dict[str, Any] = activity.get_conversation_reference().model_dump(
        mode="json", by_alias=True, exclude_none=True
    )
    return ConversationRef(
        conversation_id=activity.conversation.id,
        conversation_type=kind,
        tenant_id=tenant_of(activity),
        channel_id=str(activity.channel_id or ""),
        service_url=activity.service_url,
        person_aad_object_id=actor.aad_object_id if actor and kind == PERSONAL else None,
        reference=reference,
    )


def search_of(activity: Activity) -> SearchQuery | None:
    """A type-ahead list's search, read leniently: what is not text or a number counts as nothing."""
    if activity.name != SEARCH:
        return None
    value = activity.value if isinstance(activity.value, dict) else {}
    options = value.get("queryOptions")
    options = options if isinstance(options, dict) else {}
    dataset, text = value.get("dataset"), value.get("queryText")

    def number(key: str, default: int) -> int:
        raw = options.get(key)
        return raw if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw < 10_000 else default

    return SearchQuery(
        dataset=Dataset(dataset) if isinstance(dataset, str) and dataset in set(Dataset) else None,
        text=text[:MAX_QUERY] if isinstance(text, str) else "",
        top=number("top", 15),
        skip=number("skip", 0),
    )


def turn_of(activity: Activity, *, typeahead: bool = False) -> Turn:
    """The activity in the dialogs' terms; leniently: a malformed card payload is no verb, no data.
    `typeahead`: the client answers type-ahead lists' searches (see Turn)."""
    actor = actor_of(activity)
    channel = team_channel_of(activity)
    value = activity.value if isinstance(activity.value, dict) else {}
    action = value.get("action") if activity.name == CARD_ACTION else None
    if not isinstance(action, dict):
        action = {}
    verb = action.get("verb")
    event = channel_data_of(activity).get("eventType")
    recipient = activity.recipient.id if activity.recipient else None
    return Turn(
        actor=actor,
        conversation=conversation_of(activity, actor),
        personal=conversation_type_of(activity) == PERSONAL,
        channel=channel,
        channel_conversation=channel_conversation(activity, channel) if channel is not None else None,
        t=Translator.for_locale(activity.locale),
        verb=Verb(verb) if isinstance(verb, str) and verb in set(Verb) else None,
        data=action.get("data"),
        text=activity.text or "",
        event=event if isinstance(event, str) else None,
        members_added=bool(activity.members_added),
        bot_added=any(member.id == recipient for member in activity.members_added or []),
        install_action=activity.action or "",
        locale=activity.locale or "",
        bot_id=recipient or "",
        search=search_of(activity),
        typeahead=typeahead,
    )
