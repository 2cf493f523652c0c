"""``ohinspect enroll`` / ``ohinspect sync`` / ``ohinspect sync status`` as a user runs them,
against the real platform, on a computer without a keyring (the password is given each run)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.integration.cli_run import ROOT
from tests.integration.sync.conftest import PASSWORD


def _run(data: Path, *args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "OHINSPECT_DATA_DIR"}
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"  # never the user's keyring
    return subprocess.run([sys.executable, "-m", "ohinspect", "--data-dir", str(data), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120, env=env,
                          input=None if password is None else password + "\n")


def test_enroll_sync_and_status_from_the_command_line(platform_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    platform_server.add_user("inspector1", "inspector", "6210", PASSWORD)
    url, data = platform_server.url, tmp_path / "laptop"
    assert _run(data, "init").returncode == 0
    assert _run(data, "inspectors", "add", "--name", "张三", "--id-no", "甘卫监证字第001号",
                "--jurisdiction", "621024").returncode == 0

    wrong = _run(data, "enroll", "--server", url, "--user", "inspector1", "--password-stdin",
                 password="wrong")
    assert wrong.returncode == 1
    assert wrong.stderr.strip() == "ohinspect: 用户名或密码不正确，登记失败。"

    ok = _run(data, "enroll", "--server", url, "--user", "inspector1", "--password-stdin",
              password=PASSWORD)
    assert ok.returncode == 0, ok.stderr
    assert "本设备已登记到" in ok.stdout and "没有可用的系统密钥环" in ok.stdout

    # a new run has no secret (no keyring): it says how to give the password
    bare = _run(data, "sync")
    assert bare.returncode == 1 and len(bare.stderr.strip().splitlines()) == 1
    assert "--password-stdin" in bare.stderr

    status = _run(data, "sync", "status")
    assert "待发送：1 条记录" in status.stdout and url in status.stdout

    done = _run(data, "sync", "--user", "inspector1", "--password-stdin", password=PASSWORD)
    assert done.returncode == 0, done.stderr
    assert "同步完成：发送 1 条记录" in done.stdout and "核对：本机与平台的数据一致。" in done.stdout
    assert "待发送：0 条记录" in _run(data, "sync", "status").stdout
