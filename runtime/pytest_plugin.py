"""highlevel-contacts' pytest plugin: the fixture `highlevel_mock`, a started mock of HighLevel for your tests.

    def test_my_sync(highlevel_mock):
        client = AuthenticatedClient(base_url=highlevel_mock.base_url, token="any-private-integration-token")
        ...

Installed with the package (`pip install 'highlevel-contacts[testing]'` brings pytest), pytest finds it through
the `pytest11` entry point: nothing to import or configure. The fixture yields a `testing.MockServer` on
127.0.0.1 (its `base_url`, `authorize()`/`authorize_agency()` for token sets to seed a store with, and the
counters of what was asked), started for the test and stopped after it. Each test gets a fresh one, so what a
test sets or scripts does not leak into the next:

    from highlevel_contacts.testing import Answer

    def test_retries_a_503(highlevel_mock):
        highlevel_mock.set_appointments("c1", [{"title": "Intro call"}])
        highlevel_mock.script(Answer(status=503))  # the next appointments request only
        ...  # your code fetches c1's appointments through the mock
        assert [request.headers["Version"] for request in highlevel_mock.requests_for("c1")] == ["2021-07-28"] * 2
"""

from collections.abc import Iterator

import pytest

from .testing import MockServer


@pytest.fixture
def highlevel_mock() -> Iterator[MockServer]:
    """A started mock of HighLevel on 127.0.0.1, stopped after the test (HighLevel's rate limits, OAuth and agency
    semantics, the spec's documented examples)."""
    with MockServer() as mock:
        yield mock


__all__ = ["highlevel_mock"]
