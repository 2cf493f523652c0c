"""``ohinspect rectification list [--overdue] [--json]`` and ``ohinspect due list [--json]``,
in process."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from ohinspect.cli import main
from ohinspect.services.inspection_helpers import local_today
from ohinspect.services.rectification import open_item_in
from ohinspect.store.database import Store
from tests.unit.test_rectification import make_enterprise


def test_lists(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = Store.open(tmp_path)
    actor = store.actor("cli")
    ent = make_enterprise(store, actor)
    today = local_today()
    with store.unit_of_work(actor) as uow:
        for days, finding in ((-4, "警示标识缺失"), (30, "培训记录不全")):
            open_item_in(uow, enterprise_id=ent, source_type="audit", source_id="a",
                         source_ref="", finding=finding, requirement="整改",
                         deadline=today + timedelta(days=days), today=today - timedelta(days=9))
        uow.commit()
    store.close()
    assert main(["--data-dir", str(tmp_path), "rectification", "list", "--overdue", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["finding"], row["days_overdue"], row["overdue"]) == ("警示标识缺失", 4, True)
    assert row["enterprise_name"] == "合水县整改测试有限公司1" and row["source_type"] == "audit"
    assert main(["--data-dir", str(tmp_path), "rectification", "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "逾期 4 天" in out[0] and "培训记录不全" in out[1] and out[-1] == "显示 2 项，共 2 项。"
    assert main(["--data-dir", str(tmp_path), "due", "list", "--json"]) == 0
    dues = json.loads(capsys.readouterr().out)
    assert {(d["kind"], d["state"]) for d in dues} == {("test", "never"), ("evaluation", "never")}
    assert main(["--data-dir", str(tmp_path), "due", "list"]) == 0
    assert "严重危害：从未进行检测，应立即完成" in capsys.readouterr().out
