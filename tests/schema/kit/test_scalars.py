"""Date and DateTime inputs: one calendar range (1970-2200) for every date input, inline or as
a variable, refused before anything runs with a message that names the range."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from graphql import GraphQLError

from schema.kit.scalars import parse_date, parse_datetime
from tests.conftest import Api
from tests.schema.factories import basic_plan

GQL_RESPONSE = "application/graphql-response+json"
DATE_RANGE = "dates run from 1970-01-01 to 2200-12-31"
DATETIME_RANGE = "dates and times run from 1970-01-01T00:00:00Z to 2200-12-31T23:59:59Z"
DATETIME_FORMAT = (
    "send an ISO 8601 date and time with its UTC offset, such as 2027-01-04T09:30:00+01:00; "
    + DATETIME_RANGE
)
COUNTS = (
    '{ art(key: "PAY") { planningIntervals { totalCount } refinementSessions { totalCount } } }'
)


async def counts(api: Api) -> dict[str, Any]:
    data: dict[str, Any] = (await api.query(COUNTS))["art"]
    return data


async def refused(
    api: Api, query: str, variables: dict[str, Any] | None = None, accept: str | None = None
) -> tuple[int, dict[str, Any]]:
    headers = {**api.headers, "content-type": "application/json"}
    if accept:
        headers["accept"] = accept
    response = await api.client.post(
        "/graphql", content=json.dumps({"query": query, "variables": variables}), headers=headers
    )
    body: dict[str, Any] = response.json()
    assert "data" not in body  # a request error: nothing ran
    return response.status_code, body


SESSION_VARIABLE = (
    "mutation($at: DateTime!, $team: ID!) { createRefinementSession(input: {teamId: $team, "
    "startsAt: $at, timeboxMinutes: 60}) { errors { code } } }"
)


@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        (
            "0001-01-01T00:30:00+01:00",
            f'DateTime "0001-01-01T00:30:00+01:00" is outside the supported range: '
            f"{DATETIME_RANGE}.",
        ),
        (
            "9999-12-31T23:59:59-12:00",
            f'DateTime "9999-12-31T23:59:59-12:00" is outside the supported range: '
            f"{DATETIME_RANGE}.",
        ),
        (
            "1969-12-31T23:59:59Z",
            f'DateTime "1969-12-31T23:59:59Z" is outside the supported range: {DATETIME_RANGE}.',
        ),
        ("not a date", f'"not a date" is not a DateTime: {DATETIME_FORMAT}.'),
    ],
)
async def test_refinement_session_start_outside_the_range_is_refused(
    api: Api, starts_at: str, message: str
) -> None:
    plan = await basic_plan(api)
    before = await counts(api)
    for accept, status in [(None, 200), (GQL_RESPONSE, 400)]:
        assert await refused(
            api, SESSION_VARIABLE, {"at": starts_at, "team": plan.atlas}, accept
        ) == (
            status,
            {
                "errors": [
                    {
                        "message": "Variable '$at' of type 'DateTime!' has an invalid value: "
                        + message,
                        "locations": [{"line": 1, "column": 10}],
                    }
                ],
                "extensions": {"cost": {"requested": 3, "limit": 250_000}},
            },
        )
    inline = (
        f'mutation {{ createRefinementSession(input: {{teamId: "{plan.atlas}", '
        f'startsAt: "{starts_at}", timeboxMinutes: 60}}) {{ errors {{ code }} }} }}'
    )
    column = inline.index(f'"{starts_at}"') + 1
    assert await refused(api, inline) == (
        200,
        {"errors": [{"message": message, "locations": [{"line": 1, "column": column}]}]},
    )
    assert (
        await counts(api)
        == before
        == {
            "planningIntervals": {"totalCount": 1},
            "refinementSessions": {"totalCount": 0},
        }
    )


PI_VARIABLE = (
    "mutation($day: Date!, $art: ID!) { createPlanningInterval(input: {artId: $art, "
    'name: "PI X", startDate: $day, endDate: "2027-03-01"}) { errors { code } } }'
)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2027-02-30", 'Date "2027-02-30" does not exist: day is out of range for month.'),
        ("10000-01-01", f'Date "10000-01-01" is outside the supported range: {DATE_RANGE}.'),
        ("0001-01-01", f'Date "0001-01-01" is outside the supported range: {DATE_RANGE}.'),
        ("2201-01-01", f'Date "2201-01-01" is outside the supported range: {DATE_RANGE}.'),
        ("01/02/2027", f'"01/02/2027" is not a Date: send YYYY-MM-DD; {DATE_RANGE}.'),
    ],
)
async def test_planning_interval_dates_outside_the_calendar_are_refused(
    api: Api, day: str, message: str
) -> None:
    plan = await basic_plan(api)
    before = await counts(api)
    for accept, status in [(None, 200), (GQL_RESPONSE, 400)]:
        assert await refused(api, PI_VARIABLE, {"day": day, "art": plan.art}, accept) == (
            status,
            {
                "errors": [
                    {
                        "message": f"Variable '$day' of type 'Date!' has an invalid value: {message}",
                        "locations": [{"line": 1, "column": 10}],
                    }
                ],
                "extensions": {"cost": {"requested": 3, "limit": 250_000}},
            },
        )
    inline = (
        f'mutation {{ createPlanningInterval(input: {{artId: "{plan.art}", name: "PI X", '
        f'startDate: "{day}", endDate: "2027-03-01"}}) {{ errors {{ code }} }} }}'
    )
    column = inline.index(f'"{day}"') + 1
    assert await refused(api, inline) == (
        200,
        {"errors": [{"message": message, "locations": [{"line": 1, "column": column}]}]},
    )
    assert await counts(api) == before


async def test_filters_take_the_same_range(api: Api) -> None:
    await basic_plan(api)
    query = (
        'query($since: DateTime) { art(key: "PAY") { activity(filter: {since: $since}) '
        "{ totalCount } } }"
    )
    everything = (await api.query(query, {"since": None}))["art"]["activity"]["totalCount"]
    assert everything > 0
    for since, total in [
        ("1970-01-01T00:00:00Z", everything),
        ("2200-12-31T23:59:59", 0),
        ("2200-12-31T23:59:59+00:00", 0),
    ]:
        data = await api.query(query, {"since": since})
        assert data["art"]["activity"]["totalCount"] == total
    status, body = await refused(api, query, {"since": "2201-01-01T00:00:00Z"})
    assert (status, [e["message"] for e in body["errors"]]) == (
        200,
        [
            "Variable '$since' of type 'DateTime' has an invalid value: DateTime "
            f'"2201-01-01T00:00:00Z" is outside the supported range: {DATETIME_RANGE}.'
        ],
    )


def test_the_range_ends_are_inside_it() -> None:
    assert parse_date("1970-01-01") == dt.date(1970, 1, 1)
    assert parse_date("2200-12-31") == dt.date(2200, 12, 31)
    assert parse_datetime("1970-01-01T00:00:00Z") == dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    assert parse_datetime("1970-01-01T01:00:00+01:00") == dt.datetime(
        1970, 1, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )
    assert parse_datetime("2200-12-31T23:59:59.999999Z") == dt.datetime(
        2200, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC
    )
    # A value without an offset is read as UTC.
    assert parse_datetime("2200-12-31T23:59:59") == dt.datetime(2200, 12, 31, 23, 59, 59)
    for outside in ["1970-01-01T00:59:59+01:00", "2200-12-31T23:00:00-01:00", "2201-01-01"]:
        with pytest.raises(GraphQLError) as error:
            parse_datetime(outside)
        assert error.value.message == (
            f'DateTime "{outside}" is outside the supported range: {DATETIME_RANGE}.'
        )
    with pytest.raises(GraphQLError) as error:
        parse_date("1969-12-31")
    assert error.value.message == f'Date "1969-12-31" is outside the supported range: {DATE_RANGE}.'
    with pytest.raises(GraphQLError) as error:
        parse_date(20270104)
    assert error.value.message == f"Date cannot represent 20270104: send YYYY-MM-DD; {DATE_RANGE}."
