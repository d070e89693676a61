"""The simulator's national register is seeded from the synthetic city (same people, same personal
numbers as `kouki synth` loads with the same size and seed) plus people living elsewhere; the loaded
city's people all get their 団体内統合宛名番号 in the load. Assertions compare counts, never numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from jukinet_samples import CONFIG

from kouki.cli import main
from kouki.privacy.context import Actor
from kouki.privacy.models import IntegratedAddressee, PersonalNumber
from kouki.privacy.vault import blind_index
from kouki.sandbox.jukinet.register import REGISTER_FILE, read_register
from kouki.sandbox.synth.load import synthetic_city_load

pytestmark = pytest.mark.django_db


def test_seed_command_writes_the_city_and_outsiders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["jukinet", "seed", "--residents", str(CONFIG.residents), "--seed", str(CONFIG.seed)]
    assert main([*argv, "--outsiders", "5", "--dir", str(tmp_path)]) == 0
    assert "people" in capsys.readouterr().out
    assert (tmp_path / REGISTER_FILE).stat().st_mode & 0o077 == 0
    operators, entries = read_register(tmp_path)
    assert operators == ("kouki:number_clerk", "kouki:supervisor")
    outside = [e for e in entries if not e.in_city]
    assert sum(e.in_city for e in entries) == CONFIG.residents and len(outside) >= 5
    codes = [e.resident_code for e in entries]
    assert len(set(codes)) == len(codes) and all(len(c) == 11 and c.isdigit() for c in codes)
    assert len({e.personal_number for e in entries}) == len(entries)
    assert main([*argv, "--residents", "0", "--dir", str(tmp_path)]) == 2


def test_the_register_holds_the_loaded_city_people_by_their_numbers(tmp_path: Path) -> None:
    result = synthetic_city_load(actor=Actor.counterpart("synth"), config=CONFIG)
    assert IntegratedAddressee.objects.count() == PersonalNumber.objects.count() == result.personal_numbers
    assert (
        main(
            [
                "jukinet",
                "seed",
                "--residents",
                str(CONFIG.residents),
                "--seed",
                str(CONFIG.seed),
                "--outsiders",
                "3",
                "--dir",
                str(tmp_path),
            ]
        )
        == 0
    )
    _, entries = read_register(tmp_path)
    stored = set(PersonalNumber.objects.values_list("blind_index", flat=True))
    in_city = [e for e in entries if e.in_city]
    assert all(blind_index(e.personal_number) in stored for e in in_city)
    outsiders = [e for e in entries if not e.in_city and blind_index(e.personal_number) not in stored]
    assert len(outsiders) >= 3
