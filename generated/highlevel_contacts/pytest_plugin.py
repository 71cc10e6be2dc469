# Vendored from runtime/pytest_plugin.py by `make generate`: edit that file, never this copy.
"""highlevel-contacts' pytest plugin: the fixture `highlevel_mock`, a started mock of HighLevel for your tests.

    def test_my_sync(highlevel_mock):
        client = AuthenticatedClient(base_url=highlevel_mock.base_url, token="any-private-integration-token")
        ...

Installed with the package (`pip install 'highlevel-contacts[testing]'` brings pytest), pytest finds it through
the `pytest11` entry point: nothing to import or configure. The fixture yields a `testing.MockServer` on
127.0.0.1 (its `base_url`, `authorize()`/`authorize_agency()` for token sets to seed a store with, and the
counters of what was asked), started for the test and stopped after it.
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
