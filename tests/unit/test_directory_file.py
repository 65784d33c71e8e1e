"""Unit tests for the directory file adapter (graph/directory_file.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from klussenbank.domain.people import Organisation
from klussenbank.graph.directory_file import DirectoryFileError, FileDirectory

ANNA = "6c1f2a10-0d1e-4a6b-9a51-1a2b3c4d5e01"


def small_directory() -> dict[str, Any]:
    return {
        "organisations": [
            {"key": "ermelo", "name": "Gemeente Ermelo"},
            {"key": "harderwijk", "name": "Gemeente Harderwijk"},
        ],
        "people": [
            {
                "aad_object_id": "AAAA-0001",
                "name": "Bram Jansen",
                "email": "bram@ermelo.example",
                "organisation": "ermelo",
                "roles": [],
            },
            {
                "aad_object_id": "aaaa-0002",
                "name": "Chantal Bakker",
                "organisation": "ermelo",
                "manager": "AAAA-0001",
            },
            {
                "aad_object_id": "aaaa-0003",
                "name": "Anna de Vries",
                "email": "anna@harderwijk.example",
                "organisation": "harderwijk",
                "roles": ["hr"],
            },
        ],
    }


async def test_the_demo_directory_loads() -> None:
    directory = FileDirectory.load("demo")

    organisations = await directory.organisations()
    people = await directory.people()
    assert len(organisations) == 3
    assert len({org.key for org in organisations}) == 3
    assert all(org.name.strip() for org in organisations)
    assert len(people) == 8
    assert len({person.aad_object_id.lower() for person in people}) == 8
    assert all(person.organisation in organisations for person in people)
    assert all(person.name.strip() and "@" in person.email for person in people)


async def test_the_demo_managers_are_people_in_the_directory() -> None:
    directory = FileDirectory.load("demo")
    people = await directory.people()

    managers = [person.manager_aad_object_id for person in people if person.manager_aad_object_id]
    assert managers, "the demo should show people with a manager"
    for manager in managers:
        found = await directory.person(manager)
        assert found is not None
        assert found.aad_object_id != ""
    assert all(person.manager_aad_object_id != person.aad_object_id for person in people)


async def test_the_demo_has_one_hr_person() -> None:
    people = await FileDirectory.load("demo").people()

    hr = [person for person in people if "hr" in person.roles]
    assert len(hr) == 1
    assert hr[0].roles == ("hr",)


async def test_look_ups_ignore_the_case_of_the_object_id() -> None:
    directory = FileDirectory.load("demo")

    anna = await directory.person(ANNA)
    assert anna is not None
    assert anna.name == "Anna de Vries"
    assert anna.organisation == Organisation("harderwijk", "Gemeente Harderwijk")
    assert await directory.person(ANNA.upper()) == anna
    assert await directory.person("00000000-0000-0000-0000-000000000000") is None
    assert await directory.person("") is None


async def test_a_directory_from_a_mapping() -> None:
    directory = FileDirectory(small_directory())

    bram = await directory.person("aaaa-0001")
    chantal = await directory.person("AAAA-0002")
    assert bram is not None
    assert chantal is not None
    assert bram.aad_object_id == "AAAA-0001"  # kept as written
    assert bram.email == "bram@ermelo.example"
    assert bram.roles == ()
    assert bram.manager_aad_object_id is None
    assert chantal.email == ""  # optional
    assert chantal.manager_aad_object_id == "AAAA-0001"
    assert [org.key for org in await directory.organisations()] == ["ermelo", "harderwijk"]


async def test_a_directory_file_on_disk_loads(tmp_path: Path) -> None:
    path = tmp_path / "directory.json"
    path.write_text(json.dumps(small_directory()), encoding="utf-8")

    directory = FileDirectory.load(str(path))

    assert len(await directory.people()) == 3
    anna = await directory.person("AAAA-0003")
    assert anna is not None
    assert anna.roles == ("hr",)


def _broken(change: str) -> Any:
    data = small_directory()
    if change == "no organisations":
        del data["organisations"]
    elif change == "no people":
        del data["people"]
    elif change == "organisation without key":
        del data["organisations"][0]["key"]
    elif change == "person without name":
        del data["people"][0]["name"]
    elif change == "person without id":
        del data["people"][1]["aad_object_id"]
    elif change == "unknown organisation":
        data["people"][2]["organisation"] = "atlantis"
    elif change == "people not a list":
        data["people"] = 42
    elif change == "person not an object":
        data["people"][0] = "Bram Jansen"
    elif change == "roles not a list":
        data["people"][2]["roles"] = "hr"
    elif change == "roles null":
        data["people"][2]["roles"] = None
    return data


@pytest.mark.parametrize(
    ("change", "mentions"),
    [
        ("no organisations", "organisations"),
        ("no people", "people"),
        ("organisation without key", "'key'"),
        ("person without name", "people[0]: missing or wrong 'name'"),
        ("person without id", "people[1]: missing or wrong 'aad_object_id'"),
        ("unknown organisation", "people[2]: missing or wrong 'atlantis'"),
        ("people not a list", "people"),
        ("person not an object", "people[0]"),
        ("roles not a list", "people[2]: roles must be a list of strings"),
        ("roles null", "people[2]: roles must be a list of strings"),
    ],
)
def test_a_broken_directory_says_what_is_wrong(change: str, mentions: str) -> None:
    with pytest.raises(DirectoryFileError) as raised:
        FileDirectory(_broken(change))

    assert mentions in str(raised.value)


@pytest.mark.parametrize("data", [[], "people", None, 3])
def test_a_directory_that_is_not_an_object_is_refused(data: Any) -> None:
    with pytest.raises(DirectoryFileError, match="directory"):
        FileDirectory(data)


def test_a_file_that_is_not_json_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "directory.json"
    path.write_text('{"organisations": [', encoding="utf-8")

    with pytest.raises(DirectoryFileError) as raised:
        FileDirectory.load(str(path))

    assert str(path) in str(raised.value)
    assert "JSON" in str(raised.value)


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "directory.json"
    path.write_bytes(json.dumps(small_directory()).replace("Bram", "Br\u00e1m").encode("latin-1"))

    with pytest.raises(DirectoryFileError) as raised:
        FileDirectory.load(str(path))

    assert str(path) in str(raised.value)


def test_a_broken_file_on_disk_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "directory.json"
    path.write_text(json.dumps(_broken("unknown organisation")), encoding="utf-8")

    with pytest.raises(DirectoryFileError, match="atlantis"):
        FileDirectory.load(str(path))


@pytest.mark.parametrize("name", ["missing.json", "sub/dir/missing.json", ""])
def test_a_missing_file_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name

    with pytest.raises(DirectoryFileError) as raised:
        FileDirectory.load(str(path))

    assert str(path) in str(raised.value)
    assert "does not exist" in str(raised.value)


async def test_reports_are_everyone_below_at_any_level_whatever_the_case_of_the_ids() -> None:
    data = small_directory()
    data["people"][2]["manager"] = "AAAA-0002"  # Anna reports to Chantal, who reports to Bram
    data["people"].append({"aad_object_id": "aaaa-0004", "name": "Lus", "organisation": "ermelo"})
    # Bad data: two people each other's manager. The walk stops instead of going round.
    data["people"][-1]["manager"] = "aaaa-0005"
    data["people"].append(
        {"aad_object_id": "aaaa-0005", "name": "Kring", "organisation": "ermelo", "manager": "aaaa-0004"}
    )
    directory = FileDirectory(data)

    assert await directory.reports("aaaa-0001") == {"aaaa-0002", "aaaa-0003"}
    assert await directory.reports("AAAA-0002") == {"aaaa-0003"}
    assert await directory.reports("aaaa-0003") == frozenset()
    assert await directory.reports("aaaa-0004") == {"aaaa-0005", "aaaa-0004"}
