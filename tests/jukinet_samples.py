"""A small synthetic national register for the simulated 住基ネット CS, written where the setting points."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kouki.sandbox.jukinet.register import RegisterEntry, build_register, write_register
from kouki.sandbox.synth.model import SynthConfig

CONFIG = SynthConfig(residents=40, seed=11)


@dataclass(frozen=True)
class Register:
    directory: Path
    resident: RegisterEntry = field(repr=False)  # registered in the city
    outsider: RegisterEntry = field(repr=False)  # lives elsewhere (a move-in to be)
    entries: list[RegisterEntry] = field(repr=False)


def seed_register(directory: Path, settings: object) -> Register:
    entries = build_register(CONFIG, outsiders=6)
    write_register(directory, entries, seed=CONFIG.seed, as_of=CONFIG.as_of)
    settings.KOUKI_JUKINET_SIM_DIR = str(directory)  # type: ignore[attr-defined]
    return Register(
        directory=directory,
        resident=next(e for e in entries if e.in_city),
        outsider=entries[-1],
        entries=entries,
    )


@pytest.fixture
def register(tmp_path: Path, settings: object) -> Register:
    return seed_register(tmp_path / "jukinet", settings)
