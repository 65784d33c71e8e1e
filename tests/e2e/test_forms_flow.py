"""The sign-up card and the klus form as a newcomer meets them, end to end in the Agents Playground:
skills found by typing, the essentials first, and no silent Save button. The run also takes the
screenshots that the README shows (light, and dark when the Playground switches): into docs/ with
KLUSSENBANK_E2E_SCREENSHOTS=docs, else into the run's work directory (a test run leaves the
checkout as it was)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page

from klussenbank.i18n import Translator
from tests.e2e.flows import bot_today, welcomed
from tests.e2e.playground import PLAYGROUND_LOCALE, Card, Chat

pytestmark = pytest.mark.e2e

NL = Translator("nl")
T = Translator.for_locale(PLAYGROUND_LOCALE)


class Actions:
    """What a person does, counted: each click and each typed word is one action."""

    def __init__(self) -> None:
        self.count = 0

    def click(self, card: Card, title: str) -> dict[str, object] | None:
        self.count += 1
        return card.click(title)

    def find_skill(self, card: Card, input_id: str, typed: str, title: str) -> None:
        self.count += 1
        popup = card.type_into(input_id, typed)
        self.count += 1
        card.pick(popup, title)


def _shoot(chat: Chat, card: Card, name: str, workdir: Path) -> None:
    """The card as people see it, in light and (when the Playground has it) dark theme."""
    folder = Path(os.environ.get("KLUSSENBANK_E2E_SCREENSHOTS") or workdir)
    folder.mkdir(parents=True, exist_ok=True)
    page = chat.page
    size = page.viewport_size
    box = card.locator.bounding_box()
    if size and box:  # the chat pane clips a tall card: make the window tall enough for all of it
        page.set_viewport_size({"width": size["width"], "height": int(box["height"]) + 400})
    try:
        card.locator.scroll_into_view_if_needed()
        card.locator.screenshot(path=str(folder / f"{name}-light.png"))
        if _dark(page):
            card.locator.screenshot(path=str(folder / f"{name}-dark.png"))
            _dark(page)  # and back
    finally:
        if size:
            page.set_viewport_size(size)


def _dark(page: Page) -> bool:
    """Switch the Playground's colour theme (its menu bar button); False when it has none."""
    button = page.get_by_role("button", name="Change Color Theme")
    if not button.count():
        more = page.get_by_role("button", name="More", exact=True)
        if not more.count():
            return False
        more.first.click()
        button = page.get_by_role("menuitem", name="Change Color Theme")
        if not button.count():
            page.keyboard.press("Escape")
            return False
    button.first.click()
    page.wait_for_timeout(300)  # the theme's colours fade in
    return True


def test_sign_up_with_two_skills_found_by_typing_in_six_actions(chat: Chat, e2e_workdir: Path) -> None:
    [welcome] = welcomed(chat)
    actions = Actions()
    actions.click(welcome, T("action.sign_up"))  # the form replaces the welcome
    form = chat.wait_for_card(T("form.title_new"), after=welcome.index)
    text = form.text()
    assert T("form.skills_other_help") in text  # under the free-text box: known skills are recognised
    assert T("form.more_options") in text
    assert T("form.any_day") in text  # the defaults, as text
    actions.find_skill(form, "skills", "minu", "Taking minutes")
    actions.find_skill(form, "skills", "copy", "Copywriting")
    _shoot(chat, form, "sign-up-card", e2e_workdir)
    actions.click(form, T("action.save"))

    saved = chat.wait_for_card(T("profile.saved"), after=form.index)
    assert "Taking minutes" in saved.text() and "Copywriting" in saved.text()
    assert actions.count <= 6, f"{actions.count} actions from Sign up to saved"


def test_the_essentials_come_first_and_the_rest_is_one_click_away(chat: Chat, e2e_workdir: Path) -> None:
    welcomed(chat)
    before = chat.card_count()
    chat.send(NL("command.post_klus"))
    form = chat.wait_for_card(T("klus_form.title_new"), after=before)
    # The fields with a default are hidden: what they are set to is shown as text.
    assert T("klus_form.internal_first_short") in form.text()
    assert T("klus_form.internal_first_until_help") not in form.text()
    _shoot(chat, form, "klus-form", e2e_workdir)
    form.click(T("form.more_options"))
    assert T("klus_form.internal_first_until_help") in form.text()
    assert form.input("visibility").is_visible()
    _shoot(chat, form, "klus-form-more-options", e2e_workdir)
    # A needed skill found by typing, like on the sign-up card.
    form.fill("title", "Notulist voor de raadscommissie")
    form.fill("description", "Notuleren bij de raadscommissie, twee avonden per maand.")
    popup = form.type_into("required_skills", "minu")
    form.pick(popup, "Taking minutes")
    posted = form.click(T("action.klus_post"))
    assert posted is not None and T("klus.posted") in str(posted), posted


def test_a_date_before_its_minimum_says_why_and_hours_0_is_not_changed_into_1(chat: Chat) -> None:
    welcomed(chat)
    before = chat.card_count()
    chat.send(NL("command.available"))
    form = chat.wait_for_card(T("form.title_new"), after=before)
    popup = form.type_into("skills", "minu")
    form.pick(popup, "Taking minutes")
    yesterday = bot_today() - timedelta(days=1)
    form.fill("start_date", yesterday.isoformat())
    form.fill("hours_per_week", 0)
    assert form.value_of("hours_per_week") == "0"  # not quietly made 1
    form.button(T("action.save")).click()
    # The client refuses the date, and says so by the field (it sends nothing).
    message = T("error.date_min", date=T.date(bot_today()))
    chat.page.get_by_text(message).wait_for(state="visible")

    form.fill("start_date", bot_today().isoformat())
    form.click(T("action.save"))
    again = chat.wait_for_card(T("form.errors_fields", fields=f"'{T('form.hours')}'"), after=form.index)
    assert again.message_after("hours_per_week") == T("error.hours_range", min=1, max=40)
    assert again.json_value("hours_per_week") == "0"
