"""FileTokenStore as deployments use it: a symlinked token file (a secrets mount) written through to its target,
a file others can read, two processes sharing one file, a lock held too long. tests/test_portability.py runs
this whole file again in a Python where `fcntl` cannot be imported (as on Windows)."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from highlevel_contacts import AuthenticatedClient
from highlevel_contacts.api.contacts import get_appointments_for_contact
from highlevel_contacts.auth import FileTokenStore, TokenStoreError
from highlevel_contacts.testing import MockServer

from tests.helpers import CONTACT
from tests.oauth_helpers import oauth_for, seed_file


@pytest.fixture
def mock() -> Iterator[MockServer]:
    with MockServer(burst=(10_000, 1.0)) as server:
        yield server


def _fetch(mock: MockServer, store: FileTokenStore) -> None:
    oauth = oauth_for(store)
    with AuthenticatedClient(base_url=mock.base_url, auth=oauth) as client:
        get_appointments_for_contact.sync(CONTACT, client=client)


def test_a_symlinked_token_file_is_written_through_to_its_target(mock: MockServer, tmp_path: Path) -> None:
    secrets = tmp_path / "secrets"
    secrets.mkdir()
    target = secrets / "token.json"
    seed = {**mock.authorize(), "expires_at": 0}
    seed_file(target, seed, mode=0o600)
    link = tmp_path / "app" / "token.json"
    link.parent.mkdir()
    link.symlink_to(target)
    _fetch(mock, FileTokenStore(link))
    assert mock.token_calls == 1
    assert link.is_symlink()  # still a link
    assert os.readlink(link) == str(target)
    rotated = json.loads(target.read_text())
    assert rotated["refresh_token"] != seed["refresh_token"]  # the target holds the rotated refresh token
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    # one lock for users of the link and of the target: beside the target
    assert FileTokenStore(link).lock_path == FileTokenStore(target).lock_path == secrets / "token.json.lock"
    assert sorted(path.name for path in (tmp_path / "app").iterdir()) == ["token.json"]
    _fetch(mock, FileTokenStore(target))  # a process reading the target uses the rotated set: no refresh
    assert mock.token_calls == 1


def test_a_lock_held_through_the_link_blocks_users_of_the_target(tmp_path: Path) -> None:
    target = tmp_path / "token.json"
    seed_file(target, {"access_token": "a" * 20, "refresh_token": "r" * 20, "expires_at": 0}, mode=0o600)
    link = tmp_path / "link.json"
    link.symlink_to(target)
    with FileTokenStore(link).lock():
        started = time.monotonic()
        with pytest.raises(TokenStoreError, match=r"another process held the refresh lock for 0\.2 s"):
            with _locked_in_a_process(target, timeout=0.2):
                pass
        assert time.monotonic() - started >= 0.2


def _pool(processes: int) -> Any:
    """Worker processes like this one: where this one runs without fcntl, so do they (their locks must be the
    same kind to exclude each other)."""
    without_fcntl = "fcntl" in sys.modules and sys.modules["fcntl"] is None
    return multiprocessing.get_context("spawn").Pool(processes, initializer=_no_fcntl if without_fcntl else None)


def _no_fcntl() -> None:
    sys.modules["fcntl"] = None  # type: ignore[assignment]


class _locked_in_a_process:
    """Take `path`'s lock in another process (a lock is the process's own: another thread would not do)."""

    def __init__(self, path: Path, *, timeout: float) -> None:
        self.path, self.timeout = path, timeout

    def __enter__(self) -> None:
        with _pool(1) as pool:
            error = pool.apply(_take_lock, (str(self.path), self.timeout))
        if error:
            raise TokenStoreError(error)

    def __exit__(self, *args: object) -> None:
        return None


def _take_lock(path: str, timeout: float) -> str:
    try:
        with FileTokenStore(path, lock_timeout=timeout).lock():
            return ""
    except TokenStoreError as error:
        return str(error).split(": ", 1)[1]


def test_a_token_file_others_can_read_is_used_with_one_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "token.json"
    token_set = {"access_token": "a" * 20, "refresh_token": "r" * 20, "expires_at": 0}
    seed_file(path, token_set, mode=0o644)
    store = FileTokenStore(path)
    with caplog.at_level(logging.WARNING, logger="highlevel_contacts"):
        assert store.load() == token_set
        assert store.load() == token_set
    warnings = [record.getMessage() for record in caplog.records]
    assert warnings == [f"{path} holds OAuth tokens and can be read by others (mode 644): run `chmod 600 {path}`"]


def test_a_private_token_file_gives_no_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "token.json"
    seed_file(path, {"access_token": "a" * 20, "refresh_token": "r" * 20, "expires_at": 0}, mode=0o600)
    with caplog.at_level(logging.WARNING, logger="highlevel_contacts"):
        FileTokenStore(path).load()
    assert caplog.records == []


def test_save_replaces_the_file_atomically_and_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "token.json"
    store = FileTokenStore(path)
    store.save({"access_token": "a" * 20, "refresh_token": "r" * 20, "expires_at": 1})
    store.save({"access_token": "b" * 20, "refresh_token": "s" * 20, "expires_at": 2})
    assert store.load()["access_token"] == "b" * 20
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["token.json"]


def test_a_token_file_that_leads_to_no_regular_file_is_never_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "token.json"
    link.symlink_to(fifo)
    with pytest.raises(TokenStoreError, match=r"cannot save the token set \(OSError\)"):
        FileTokenStore(link).save({"access_token": "b" * 20, "refresh_token": "s" * 20, "expires_at": 2})
    assert stat.S_ISFIFO(fifo.stat().st_mode)  # still the pipe: never renamed over
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["pipe", "token.json"]


def _refresh_in_a_process(base_url: str, path: str, barrier: Any) -> str:
    store = FileTokenStore(path)
    oauth = oauth_for(store)
    barrier.wait()
    with AuthenticatedClient(base_url=base_url, auth=oauth) as client:
        get_appointments_for_contact.sync(CONTACT, client=client)
    return str(store.load()["access_token"])


def test_two_processes_sharing_the_file_refresh_once(mock: MockServer, tmp_path: Path) -> None:
    path = tmp_path / "token.json"
    seed_file(path, {**mock.authorize(), "expires_at": 0}, mode=0o600)
    with multiprocessing.get_context("spawn").Manager() as manager:
        barrier = manager.Barrier(2)
        with _pool(2) as pool:
            tokens = pool.starmap(_refresh_in_a_process, [(mock.base_url, str(path), barrier)] * 2)
    assert mock.token_calls == 1
    assert tokens[0] == tokens[1]
