"""No lost updates: 20 writers change the same story at once through a real server on
PostgreSQL. Every accepted write is in the history (and the last one is the final state);
every refused one was told so with CONFLICT and wrote nothing."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from schema.kit.relay import to_global_id
from services.access import tokens
from services.access.permissions import system_actor
from services.core.db import create_engine, create_sessionmaker, upgrade_to_head
from services.core.enums import FeatureKind, StoryKind, TokenScope
from services.core.settings import load_settings
from services.history import audit
from services.org import arts, people, teams
from services.work import features, stories
from tests.conftest import fresh_database_url
from tests.server import running_server

WRITERS = 20
SETUP = system_actor("concurrency test setup")
UPDATE = """
mutation($input: UpdateStoryInput!) {
  updateStory(input: $input) { story { title version } errors { code currentVersion } }
}
"""
READ = """
query($id: ID!) {
  node(id: $id) {
    ... on Story {
      title version
      history(first: 100) { nodes { action version fieldChanges { field oldValue newValue } } }
    }
  }
}
"""


async def _seed(url: str) -> tuple[str, str]:
    engine = create_engine(load_settings({}, database_url=url))
    try:
        async with create_sessionmaker(engine).begin() as s:
            audit.bind(s, SETUP)
            admin = await people.create_person(
                s, SETUP, people.PersonDraft(name="Admin", email="admin@race.test", is_admin=True)
            )
            made = await tokens.create_token(s, SETUP, admin.id, "race", TokenScope.WRITE)
            art = await arts.create_art(s, SETUP, arts.ArtDraft(key="PAY", name="Payments"))
            team = await teams.create_team(
                s, SETUP, art.id, teams.TeamDraft(key="ATL", name="Atlas")
            )
            feature = await features.create_feature(
                s,
                SETUP,
                art.id,
                features.FeatureDraft(key="PAY-1", title="Refunds", kind=FeatureKind.BUSINESS),
            )
            story = await stories.create_story(
                s,
                SETUP,
                stories.StoryDraft(
                    feature_id=feature.id,
                    team_id=team.id,
                    key="ATL-1",
                    title="original",
                    kind=StoryKind.USER_STORY,
                ),
            )
            return made.secret, to_global_id("Story", story.id)
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def race(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, str]]:
    url, drop = fresh_database_url("postgresql", tmp_path_factory.mktemp("race"))
    try:
        upgrade_to_head(url)
        secret, story_id = asyncio.run(_seed(url))
        log = tmp_path_factory.mktemp("race-log") / "server.log"
        with running_server(url, log) as base_url:
            yield base_url, secret, story_id
    finally:
        drop()


async def _post(client: httpx.AsyncClient, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body


async def _story(client: httpx.AsyncClient, story_id: str) -> dict[str, Any]:
    story: dict[str, Any] = (await _post(client, READ, {"id": story_id}))["data"]["node"]
    return story


def _client(base_url: str, secret: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url,
        headers={"authorization": f"Bearer {secret}"},
        limits=httpx.Limits(max_connections=WRITERS),
        timeout=60,
    )


def test_twenty_writers_on_one_story_lose_nothing(race: tuple[str, str, str]) -> None:
    base_url, secret, story_id = race

    async def scenario() -> None:
        async with _client(base_url, secret) as client:
            start = await _story(client, story_id)
            assert (start["title"], start["version"]) == ("original", 1)

            # Round 1: everyone read version 1 and writes at once: exactly one wins.
            async def blind(n: int) -> dict[str, Any]:
                variables = {"input": {"id": story_id, "version": 1, "title": f"blind {n}"}}
                payload: dict[str, Any] = (await _post(client, UPDATE, variables))["data"][
                    "updateStory"
                ]
                return payload

            results = await asyncio.gather(*(blind(n) for n in range(WRITERS)))
            winners = [r for r in results if not r["errors"]]
            losers = [r for r in results if r["errors"]]
            assert len(winners) == 1
            assert winners[0]["story"]["version"] == 2
            assert len(losers) == WRITERS - 1
            assert all(r["story"] is None for r in losers)
            assert {(e["code"], e["currentVersion"]) for r in losers for e in r["errors"]} == {
                ("CONFLICT", 2)
            }

            # Round 2: every writer retries on CONFLICT with the version it is told: all land.
            conflicts = 0

            async def careful(n: int) -> str:
                nonlocal conflicts
                version = 2
                for _ in range(200):
                    variables = {
                        "input": {"id": story_id, "version": version, "title": f"careful {n}"}
                    }
                    payload = (await _post(client, UPDATE, variables))["data"]["updateStory"]
                    if not payload["errors"]:
                        return f"careful {n}"
                    assert [e["code"] for e in payload["errors"]] == ["CONFLICT"]
                    conflicts += 1
                    version = payload["errors"][0]["currentVersion"]
                raise AssertionError(f"writer {n} never got through")

            accepted = await asyncio.gather(*(careful(n) for n in range(WRITERS)))
            assert sorted(accepted) == sorted(f"careful {n}" for n in range(WRITERS))

            final = await _story(client, story_id)
            history = list(reversed(final["history"]["nodes"]))  # oldest first
            updates = [h for h in history if h["action"] == "UPDATE"]
            # One entry per accepted write: the round-1 winner and all 20 careful writers.
            assert len(updates) == 1 + WRITERS
            assert [h["version"] for h in updates] == list(range(2, 3 + WRITERS))
            titles = [{c["field"]: c for c in h["fieldChanges"]}["title"] for h in updates]
            # A chain: each write changed exactly what the previous one had written.
            previous = "original"
            for change in titles:
                assert change["oldValue"] == previous
                previous = change["newValue"]
            assert titles[0]["newValue"] == winners[0]["story"]["title"]
            assert sorted(c["newValue"] for c in titles[1:]) == sorted(accepted)
            assert (final["title"], final["version"]) == (previous, 2 + WRITERS)

    asyncio.run(scenario())
