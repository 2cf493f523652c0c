"""``ohinspect batch export | import | export-key | trust-key`` end to end, in process."""

from __future__ import annotations

from pathlib import Path

import keyring
import pytest
from tests.unit.batches.conftest import SUPERVISOR_JURISDICTION, MemoryKeyring, small_device_store
from keyring.backends import fail

from ohinspect.cli import main
from ohinspect.store.database import Store
from ohinspect.sync import local


def _run(data: Path, *args: str) -> int:
    return main(["--data-dir", str(data), "--user", "检查员甲", *args])


@pytest.fixture
def with_keyring():  # type: ignore[no-untyped-def]
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    yield
    keyring.set_keyring(previous)


def test_export_trust_import_with_per_file_results(tmp_path: Path, with_keyring: None,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    dev, sup = tmp_path / "device", tmp_path / "supervisor"
    small_device_store(dev).close()
    key, batch = tmp_path / "device.key", tmp_path / "b1.ohbatch"
    assert _run(dev, "batch", "export-key", "--out", str(key)) == 0
    assert _run(dev, "batch", "export", "--out", str(batch)) == 0
    assert "5 条记录、2 个附件文件" in capsys.readouterr().out

    supervisor = Store.open(sup)
    with supervisor.unit_of_work(supervisor.actor("科长")) as uow:
        local.set_meta(uow.session, local.JURISDICTION, SUPERVISOR_JURISDICTION)
        uow.commit()
    supervisor.close()
    assert _run(sup, "batch", "import", str(batch)) == 1  # key not trusted yet
    assert "不信任该设备密钥" in capsys.readouterr().err
    assert _run(sup, "batch", "trust-key", str(key)) == 0
    assert _run(sup, "batch", "trust-key", str(key)) == 0
    assert "已经受信任" in capsys.readouterr().out

    notes = tmp_path / "notes.txt"
    notes.write_text("不是批次", encoding="utf-8")
    assert _run(sup, "batch", "import", str(batch), str(notes)) == 1
    out, err = capsys.readouterr()
    assert "b1.ohbatch：已导入" in out and "新增 5" in out and "enterprise：新增 3" in out
    assert "notes.txt：拒绝导入" in err and "不是 OHInspect 批次文件" in err

    assert _run(sup, "batch", "import", str(batch)) == 0  # a re-import is not a refusal
    assert "已有 5" in capsys.readouterr().out


def test_without_a_keyring_export_says_why(tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        small_device_store(tmp_path / "device").close()
        assert _run(tmp_path / "device", "batch", "export", "--out",
                    str(tmp_path / "b.ohbatch")) == 1
    finally:
        keyring.set_keyring(previous)
    assert "没有可用的系统密钥环" in capsys.readouterr().err
    assert not (tmp_path / "b.ohbatch").exists()


def test_trusting_something_that_is_not_a_key_file(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "key.json"
    bogus.write_text('{"format": "ohinspect-device-key", "format_version": 1}', encoding="utf-8")
    assert _run(tmp_path / "s", "batch", "trust-key", str(bogus)) == 1
    assert "不是 OHInspect 设备密钥文件" in capsys.readouterr().err
