from tests.conftest import Api


async def test_create_art_and_read_it_back(api: Api) -> None:
    payload = await api.mutate(
        "createArt", "art { key name version }", {"key": "PAY", "name": "Payments"}
    )
    assert payload == {"art": {"key": "PAY", "name": "Payments", "version": 1}, "errors": []}
    data = await api.query('{ art(key: "PAY") { key name } arts { totalCount } }')
    assert data == {"art": {"key": "PAY", "name": "Payments"}, "arts": {"totalCount": 1}}


async def test_database_is_empty_between_tests(api: Api) -> None:
    data = await api.query("{ arts { totalCount } }")
    assert data == {"arts": {"totalCount": 0}}
