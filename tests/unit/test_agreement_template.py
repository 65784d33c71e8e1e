"""Agreement templates in the organisations file: found next to it, inherited from [default], and
checked when the file is loaded, with a message that names the file, the language and the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from klussenbank.data import PolicyFileError, load_rules
from klussenbank.domain.agreement_wording import AgreementTemplate, Clause
from tests.unit.test_config import run_cli

GOOD = """
[nl]
employment_text = "{employee} blijft in dienst van {lending}."
[[nl.clauses]]
heading = "Reiskosten"
text = "{lending} vergoedt de reiskosten."

[en]
employment_text = "{employee} stays employed by {lending}."
[[en.clauses]]
heading = "Travel costs"
text = "{lending} pays the travel costs."
"""
NOORD = '[organisations.noord]\nagreement_template = "noord.toml"\n'


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_demo_gives_zeewolde_its_own_wording_and_the_others_the_built_in_one() -> None:
    rules = load_rules("demo")

    zeewolde = rules.of("zeewolde").agreement_template
    assert [c.heading for c in zeewolde.extra_clauses("nl")] == ["Reiskosten en werkplek"]
    assert [c.heading for c in zeewolde.extra_clauses("en")] == ["Travel costs and place of work"]
    assert "vóór 9.00 uur" in zeewolde.words("nl")["employment_text"]
    assert "before 9.00 a.m." in zeewolde.words("en")["employment_text"]
    assert rules.of("ermelo").agreement_template == AgreementTemplate()
    assert rules.default.agreement_template == AgreementTemplate()


def test_a_template_is_found_relative_to_the_organisations_file_and_inherited_from_default(
    tmp_path: Path,
) -> None:
    write(tmp_path / "templates" / "pool.toml", GOOD)
    write(tmp_path / "zuid.toml", GOOD.replace("Travel costs", "Working from home"))
    source = write(
        tmp_path / "organisations.toml",
        '[default]\nagreement_template = "templates/pool.toml"\n'
        '[organisations.noord]\nchain = "manager"\n'
        '[organisations.zuid]\nagreement_template = "zuid.toml"\n',
    )

    rules = load_rules(source)

    assert rules.of("noord").agreement_template.extra_clauses("nl") == (
        Clause("Reiskosten", "{lending} vergoedt de reiskosten."),
    )
    assert rules.of("elders").agreement_template == rules.of("noord").agreement_template
    assert rules.of("zuid").agreement_template.extra_clauses("en")[0].heading == "Working from home"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("[nl\n", "is not TOML"),
        (GOOD + "[fr]\ntitle = 'Contrat'", "has unknown tables ['fr']; known are ['nl', 'en']"),
        (
            GOOD.replace("employment_text =", "employment_txt =", 1),
            "[nl] has an unknown key 'employment_txt'; known are ['approved', 'assignment'",
        ),
        (
            GOOD.replace("{employee} stays", "{werknemer} stays"),
            "[en] employment_text has an unknown placeholder {werknemer}; "
            "it may use {borrowing}, {employee}, {lending}",
        ),
        (  # a placeholder of another text: the employment text has no amount
            GOOD.replace("{employee} blijft", "{rate} blijft"),
            "[nl] employment_text has an unknown placeholder {rate}",
        ),
        (
            GOOD.replace('"Reiskosten"', '"Reiskosten voor {hours} uur"'),
            "[nl] clause 1 heading has an unknown placeholder {hours}; it may use {borrowing}, {employee}, {lending}",
        ),
        (
            GOOD.replace("{lending} pays", "{lending pays"),
            "[en] clause 1 text is not a valid text (expected '}' before end of string)",
        ),
        (GOOD.replace("{employee} blijft", "{} blijft"), "[nl] employment_text is not a valid text"),
        (GOOD.replace("[en]", "[en]\ntitle = 3"), "[en] title must be a text that is not empty"),
        (
            GOOD.replace('"{employee} stays employed by {lending}."', '""'),
            "[en] employment_text must be a text",
        ),
        (
            GOOD.replace('text = "{lending} vergoedt de reiskosten."', 'tekst = "x"'),
            "[nl] clause 1 must be a table with just a heading and a text",
        ),
        (
            GOOD.replace('employment_text = "{employee} stays employed by {lending}."', ""),
            "both languages must say the same: change the same keys and add as many clauses in each "
            "(now it changes {'nl': ['employment_text'], 'en': []}",
        ),
        (
            GOOD.split("[[en.clauses]]")[0],
            "both languages must say the same",
        ),
    ],
)
def test_a_wrong_template_says_which_file_language_and_key(
    tmp_path: Path, template: str, message: str
) -> None:
    write(tmp_path / "noord.toml", template)
    source = write(tmp_path / "organisations.toml", NOORD)

    with pytest.raises(PolicyFileError) as raised:
        load_rules(source)

    assert str(raised.value).startswith(
        f"agreement template {tmp_path / 'noord.toml'} ([organisations.noord])"
    )
    assert message in str(raised.value)


def test_a_missing_template_or_a_name_that_is_no_text_is_named(tmp_path: Path) -> None:
    missing = write(tmp_path / "organisations.toml", '[default]\nagreement_template = "ontbreekt.toml"\n')
    with pytest.raises(
        PolicyFileError,
        match=re.escape(f"[default] agreement_template {tmp_path}/ontbreekt.toml does not exist"),
    ):
        load_rules(missing)

    number = write(tmp_path / "organisations.toml", "[organisations.noord]\nagreement_template = 3\n")
    with pytest.raises(
        PolicyFileError, match=re.escape("[organisations.noord] agreement_template must be text")
    ):
        load_rules(number)


def test_serve_stops_on_a_wrong_template_with_its_message(tmp_path: Path) -> None:
    write(tmp_path / "noord.toml", GOOD.replace("{employee} blijft", "{werknemer} blijft"))
    source = write(tmp_path / "organisations.toml", NOORD)

    result = run_cli(tmp_path, "serve", "--port", "1", KLUSSENBANK_ORGANISATIONS_FILE=source)

    assert result.returncode == 2
    assert f"agreement template {tmp_path / 'noord.toml'} ([organisations.noord]): " in result.stderr
    assert "[nl] employment_text has an unknown placeholder {werknemer}" in result.stderr
    assert "Traceback" not in result.stderr
