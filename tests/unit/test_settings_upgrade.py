"""Settings are versioned: a version-1 file (before roles and backups) upgrades on load."""

from __future__ import annotations

import json
from pathlib import Path

from ohinspect.resources import load_resource
from ohinspect.settings import CURRENT_VERSION, Settings, load_settings, save_settings


def _write(folder: Path, data: dict[str, object]) -> None:
    (folder / "settings.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_version_1_of_a_set_up_laptop_becomes_an_inspectors(tmp_path: Path) -> None:
    _write(tmp_path, {"version": 1, "language": "en", "user_name": "李检查",
                      "jurisdiction": "621024"})
    settings = load_settings(tmp_path)
    assert settings.version == CURRENT_VERSION == 2
    assert (settings.role, settings.user_name, settings.language) == ("inspector", "李检查", "en")
    default_keep = load_resource("app/maintenance.yaml")["backups"]["keep_daily_default"]
    assert settings.backup_keep_daily == default_keep


def test_version_1_never_set_up_still_gets_the_first_run_questions(tmp_path: Path) -> None:
    _write(tmp_path, {"version": 1, "language": "zh_CN"})
    assert load_settings(tmp_path).role == ""


def test_current_version_round_trips(tmp_path: Path) -> None:
    save_settings(tmp_path, Settings(role="sampler", backup_keep_daily=3, user_name="王采样"))
    again = load_settings(tmp_path)
    assert (again.role, again.backup_keep_daily, again.version) == ("sampler", 3, 2)


def test_unreadable_file_is_kept_aside_and_defaults_used(tmp_path: Path) -> None:
    (tmp_path / "settings.json").write_text("{not json", encoding="utf-8")
    assert load_settings(tmp_path) == Settings()
    assert (tmp_path / "settings.invalid.json").read_text(encoding="utf-8") == "{not json"
