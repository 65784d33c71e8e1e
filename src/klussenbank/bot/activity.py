"""What we read from an incoming activity: who acts, in which conversation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microsoft_agents.activity import Activity

from klussenbank.services.ports import Actor, ConversationRef

PERSONAL = "personal"


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
