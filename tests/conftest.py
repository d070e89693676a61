"""Shared test setup: a throwaway keyring for the whole session (keys never live in the database)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from kouki.privacy.keys import create_keyring


@pytest.fixture(scope="session", autouse=True)
def keyring_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("keys") / "keyring.json"
    create_keyring(path)
    previous = settings.KOUKI_KEYRING
    settings.KOUKI_KEYRING = str(path)
    yield path
    settings.KOUKI_KEYRING = previous
