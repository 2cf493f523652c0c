"""The diagnostics archive: logs, versions and the store's shape, and never secrets or personal
data — checked with a log full of exactly that."""

from __future__ import annotations

import errno
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from ohinspect.diagnostics import export_diagnostics
from ohinspect.errors import OHInspectError
from ohinspect.logs import log_dir, log_files
from ohinspect.scrub import Scrubber
from ohinspect.services.roster import add_inspector
from ohinspect.settings import Settings, save_settings
from ohinspect.store.database import Store
from ohinspect.store.models import Enterprise
from tests.demo_store import demo_copy

LATIN_INSPECTOR = "Wang Xiaoming"
ID_NO = "62102519800101123X"
SECRET_TOKEN = "s3cr3t-device-token-value"
PRIVATE_KEY = "MC4CAQAwBQYDK2VwBCIEIBd3ZmZ3ZmZ3ZmZ3ZmZ3ZmZ3ZmZ3ZmZ3ZmZ3ZmZ3Zm"


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo store (plus an inspector with a Latin name), settings with a user name, and a
    log quoting an enterprise, its USCC, people, an ID number, a phone, secrets."""
    tmp_path = tmp_path_factory.mktemp("diag")
    store = Store.open(demo_copy(tmp_path))   # the demo, built once per session
    try:
        add_inspector(store, store.actor("管理员"), LATIN_INSPECTOR, "GS-0099", "621024")
        with store.read() as session:
            ent = session.query(Enterprise).first()
            name, uscc, contact = ent.name, ent.uscc, ent.contact_person
    finally:
        store.close()
    save_settings(tmp_path, Settings(user_name="赵丽华", jurisdiction="621024"))
    log = log_dir(tmp_path) / "ohinspect.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(
        "2026-05-01 10:00:00 INFO 42 ui.app: OHInspect 0.1.0 starts on /tmp/x\n"
        f"2026-05-01 10:00:01 ERROR 42 ui.tasks: unexpected error saving {name} ({uscc}), "
        f"contact {contact} 13912345678 zhao@example.cn\n"
        f"2026-05-01 10:00:02 WARNING 42 sync: token={SECRET_TOKEN} key {PRIVATE_KEY}\n"
        f"2026-05-01 10:00:03 INFO 42 sign: {LATIN_INSPECTOR} signed, witness 赵丽华 {ID_NO} "
        "record 0eb9cf5c-b195-524a-bf69-b7ba18d674a9\n"
        "2026-05-01 10:00:04 WARNING 42 ui.app: start refused: 数据文件夹 /tmp/x 无法写入\n",
        encoding="utf-8")
    (tmp_path / "marker").write_text(f"{name}\n{uscc}\n{contact}\n", encoding="utf-8")
    return tmp_path


def _archive(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n).decode("utf-8") for n in zf.namelist()}


def test_archive_has_versions_store_shape_settings_and_logs(data_dir: Path, tmp_path: Path) -> None:
    files = _archive(export_diagnostics(data_dir, tmp_path / "out" / "diag.zip",
                                        extra_versions={"qt": "6.10.3"}))
    assert set(files) == {"diagnostics.json", "logs/ohinspect.log"}
    info = json.loads(files["diagnostics.json"])
    assert {"app", "python", "sqlite", "platform", "SQLAlchemy", "qt"} <= info["versions"].keys()
    assert info["store"]["quick_check"] == "ok" and info["store"]["schema_revision"]
    with sqlite3.connect(data_dir / "ohinspect.sqlite3") as conn:
        enterprises = conn.execute("SELECT count(*) FROM enterprise").fetchone()[0]
    assert info["store"]["rows"]["enterprise"] == enterprises > 0
    assert info["settings"]["jurisdiction"] == "621024" and "user_name" not in info["settings"]
    log = files["logs/ohinspect.log"]
    assert "unexpected error saving" in log and "ui.tasks" in log  # what IT needs stays
    assert "0eb9cf5c-b195-524a-bf69-b7ba18d674a9" in log
    assert "数据文件夹" in log and "无法写入" in log  # the program's own phrases stay


def test_no_personal_data_or_secret_leaves_in_the_archive(data_dir: Path, tmp_path: Path) -> None:
    name, uscc, contact = (data_dir / "marker").read_text(encoding="utf-8").split()
    text = "\n".join(_archive(export_diagnostics(data_dir, tmp_path / "d.zip")).values())
    for personal in (name, uscc, contact, "赵丽华", LATIN_INSPECTOR, ID_NO, "13912345678",
                     "zhao@example.cn", SECRET_TOKEN, PRIVATE_KEY):
        assert personal not in text, personal
    assert "[USCC]" in text and "[ID-NO]" in text and "[PHONE]" in text and "[NAME]" in text


def test_scrubber_rules_one_by_one(tmp_path: Path) -> None:
    s = Scrubber(["Li Ming"], home=tmp_path)
    assert s.scrub(f"{tmp_path}/data/ohinspect.log") == "~/data/ohinspect.log"
    assert s.scrub("password: hunter22 ok") == "password: [SECRET] ok"
    assert s.scrub("Authorization: Bearer abc.def") == "Authorization: [SECRET]"
    assert s.scrub("by Li Ming.") == "by [NAME]."
    assert s.scrub("Li Mingyang") == "Li Mingyang"  # whole words only
    assert s.scrub("单位 91620000MA74H0FJ1A 已保存") == "[CJK] [USCC] [CJK]"
    assert s.scrub("数据文件夹") == "数据文件夹"   # a catalogue phrase
    assert s.scrub("王芳") == "[CJK]"             # anything else Chinese goes


def test_full_disk_leaves_no_partial_archive(data_dir: Path, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import ohinspect.diagnostics as diagnostics

    def full(*_a, **_k):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(diagnostics.os, "fsync", full)
    out = tmp_path / "d.zip"
    with pytest.raises(OHInspectError, match="No space left on device"):
        export_diagnostics(data_dir, out)
    assert list(tmp_path.glob("d.zip*")) == []


def test_log_files_rotate_in_the_data_folder(tmp_path: Path) -> None:
    import logging

    from ohinspect.logs import close_logging, setup_logging

    path = setup_logging(tmp_path)
    try:
        handler = next(h for h in logging.getLogger().handlers if h.get_name() == "ohinspect-file")
        handler.maxBytes = 200  # type: ignore[attr-defined]
        for n in range(20):
            logging.getLogger("t").warning("line %d %s", n, "x" * 40)
    finally:
        close_logging()
    assert path == log_dir(tmp_path) / "ohinspect.log"
    files = log_files(tmp_path)
    assert files[0] == path and len(files) == 1 + 5  # current + backup_count (data file)
