"""The one-machine trial: the same server on SQLite, set up with the command line only."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.integration.cli_run import run_cli
from tests.integration.platform.device import Device, item, new, outcomes
from tests.integration.platform_server import PlatformServer

from ohinspect.cli import main


def _cli(capsys: pytest.CaptureFixture[str], *args: str, stdin: str = "") -> tuple[int, str, str]:
    """The ``ohinspect`` command in this process (a real process is run_cli's business)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_sqlite_trial_with_the_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'platform.db'}"
    first = run_cli("platform", "init-db", "--db", url)  # as a real process, once
    assert first.returncode == 0, first.stderr
    code, again, _ = _cli(capsys, "platform", "init-db", "--db", url)
    assert code == 0 and again.strip() != first.stdout.strip()  # created, then "up to date"
    add = ("platform", "add-user", "--db", url, "--jurisdiction", "621024", "--password-stdin")
    assert _cli(capsys, *add, "--user", "alice", "--role", "inspector", stdin="s3cret\n")[0] == 0
    code, _, err = _cli(capsys, *add, "--user", "x", "--role", "boss", stdin="pw\n")
    assert code == 1 and "boss" in err
    code, _, err = _cli(capsys, "platform", "revoke-device", "--db", url, "--device", "nope")
    assert code == 1 and "nope" in err
    with PlatformServer(url, tmp_path / "logs") as server:
        alice = Device(server.url, "alice", "s3cret")
        alice.enroll()
        blob = b"signature image"
        sha = hashlib.sha256(blob).hexdigest()
        put = alice.send("PUT", f"/v1/attachments/{sha}", blob,
                         {"Content-Range": f"bytes 0-{len(blob) - 1}/{len(blob)}"})
        assert put.json()["complete"]
        ent = new(division_code="621024")
        att = new(owner_type="enterprise", owner_id=ent["id"], sha256=sha)
        batch = [item("enterprise", ent), item("attachment", att)]
        assert outcomes(alice.push_ok(batch, "b1")) == ["accepted", "accepted"]
        assert alice.push_ok(batch, "b1") == alice.push_ok(batch, "b1")
        code, _, _ = _cli(capsys, "platform", "revoke-device", "--db", url,
                          "--device", alice.device_id)
        assert code == 0
        assert alice.get("/v1/check").json()["error"] == "token_revoked"
        alice.enroll()
        assert alice.get("/v1/check").json()["types"]["attachment"]["count"] == 1
        assert alice.get(f"/v1/attachments/{sha}").content == blob
        alice.close()
    # init-db refuses a database made by a newer server
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE platform_meta SET value = '99' WHERE key = 'schema_version'"))
    engine.dispose()
    code, _, err = _cli(capsys, "platform", "init-db", "--db", url)
    assert code == 1 and "99" in err
