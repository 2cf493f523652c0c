"""A review decision travels through the REAL platform (server process, PostgreSQL): the demo
county goes up from the inspector's laptop, the supervisor pulls it, returns one verification
with comments; the decision is frozen once the platform acknowledged it, reaches the author's
laptop, shows up in "returned to me" and is corrected there as an amendment."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from ohinspect.errors import ValidationError
from ohinspect.services.review import (QueueFilter, decide, is_synced, returned_to_me,
                                       review_queue, start_correction)
from ohinspect.store.models import Inspection, ReviewDecision
from ohinspect.sync.session import run_sync
from tests.integration.sync.conftest import PASSWORD, Devices
from tests.unit.review.world import AUTHOR, REVIEWER, SUPERVISOR_ROLE, build_demo_folder

pytestmark = pytest.mark.postgres


@pytest.fixture
def devices(platform_server, tmp_path: Path) -> Iterator[Devices]:  # type: ignore[no-untyped-def]
    platform_server.add_user("inspector1", "inspector", "6210", PASSWORD)
    platform_server.add_user("supervisor", "supervisor", "62", PASSWORD)
    d = Devices(tmp_path / "devices", platform_server)
    yield d
    d.close()


def test_a_returned_record_reaches_its_author(devices, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url, creds = devices.server.url, devices.creds
    shutil.copytree(build_demo_folder(tmp_path / "demo"), tmp_path / "devices" / "field")
    field = devices.new("field", "inspector1")         # the demo records' own laptop
    assert run_sync(field, creds, url).pushed > 0
    supervisor = devices.new("supervisor", "supervisor")
    assert run_sync(supervisor, creds, url).received > 0
    with supervisor.read() as s:
        queue = review_queue(s, QueueFilter(kind="three_simultaneities"))
    assert len(queue) == 5
    item = queue[0]
    reviewer = supervisor.actor(REVIEWER)
    decision_id = decide(supervisor, reviewer, item.record_type, item.record_id, "return",
                         "缺少第 3 项的现场照片", role=SUPERVISOR_ROLE).record_id
    assert run_sync(supervisor, creds, url).pushed == 1   # the platform accepted it
    with supervisor.read() as s:
        assert is_synced(s, decision_id)
    with pytest.raises(ValidationError) as exc:          # frozen after it synced
        decide(supervisor, reviewer, item.record_type, item.record_id, "approve",
               role=SUPERVISOR_ROLE)
    assert [p.code for p in exc.value.problems] == ["review.error.synced"]

    assert run_sync(field, creds, url).received == 1     # the decision comes back
    with field.read() as s:
        (returned,) = returned_to_me(s, AUTHOR)
    assert (returned.record_id, returned.decision.comments, returned.decision.reviewer) == (
        item.record_id, "缺少第 3 项的现场照片", REVIEWER)
    with field.unit_of_work(field.actor(AUTHOR)) as uow:
        with pytest.raises(IntegrityError, match="after it synced"):
            uow.session.execute(update(ReviewDecision).values(decision="approve"))
    amendment = start_correction(field, field.actor(AUTHOR), decision_id).record_id
    with field.read() as s:
        new = s.get(Inspection, amendment)
        assert new.amends_id == item.record_id and "缺少第 3 项的现场照片" in new.amendment_reason
        assert returned_to_me(s, AUTHOR)[0].correction_id == amendment
