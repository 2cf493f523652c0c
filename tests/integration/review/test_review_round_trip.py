"""A review decision travels through the REAL platform (server process, PostgreSQL): the demo
county goes up from the inspector's laptop, the supervisor pulls it, returns one verification
and one sampling task with comments; a decision is frozen once the platform acknowledged it,
reaches the author's laptop, shows up in "returned to me" and is corrected there as an
amendment — the signed sampling amendment travels back up to the supervisor's queue."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ohinspect.errors import ValidationError
from ohinspect.services.review import (QueueFilter, decide, is_synced, returned_to_me,
                                       review_queue, start_correction)
from ohinspect.services.sampling import sign_task
from ohinspect.store.models import Inspection, ReviewDecision, Sample, SamplingTask
from ohinspect.sync.session import run_sync
from tests.integration.sync.conftest import PASSWORD, Devices
from tests.unit.review.world import AUTHOR, REVIEWER, SUPERVISOR_ROLE, build_demo_folder
from tests.unit.test_sampling_service import png

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
        task = review_queue(s, QueueFilter(kind="sampling_task"))[0]
    assert len(queue) == 5
    item = queue[0]
    reviewer = supervisor.actor(REVIEWER)
    decision_id = decide(supervisor, reviewer, item.record_type, item.record_id, "return",
                         "缺少第 3 项的现场照片", role=SUPERVISOR_ROLE).record_id
    task_decision = decide(supervisor, reviewer, task.record_type, task.record_id, "return",
                           "噪声测点需补测", role=SUPERVISOR_ROLE).record_id
    assert run_sync(supervisor, creds, url).pushed == 2   # the platform accepted them
    with supervisor.read() as s:
        assert is_synced(s, decision_id)
    with pytest.raises(ValidationError) as exc:          # frozen after it synced
        decide(supervisor, reviewer, item.record_type, item.record_id, "approve",
               role=SUPERVISOR_ROLE)
    assert [p.code for p in exc.value.problems] == ["review.error.synced"]

    assert run_sync(field, creds, url).received == 2     # the decisions come back
    with field.read() as s:
        returned, _task = sorted(returned_to_me(s, AUTHOR), key=lambda r: r.record_type)
    assert (returned.record_id, returned.decision.comments, returned.decision.reviewer) == (
        item.record_id, "缺少第 3 项的现场照片", REVIEWER)
    with field.unit_of_work(field.actor(AUTHOR)) as uow:
        with pytest.raises(IntegrityError, match="after it synced"):
            uow.session.execute(update(ReviewDecision).values(decision="approve"))
    amendment = start_correction(field, field.actor(AUTHOR), decision_id).record_id
    with field.read() as s:
        new = s.get(Inspection, amendment)
        assert new.amends_id == item.record_id and "缺少第 3 项的现场照片" in new.amendment_reason
        assert {r.record_id: r.correction_id for r in returned_to_me(s, AUTHOR)}[
            item.record_id] == amendment

    # a returned sampling task: its amendment (new columns, copied children) goes up, is signed
    # there and reaches the supervisor's queue saying what it amends
    task_amendment = start_correction(field, field.actor(AUTHOR), task_decision).record_id
    sign_task(field, field.actor(AUTHOR), task_amendment, png(), png())
    assert run_sync(field, creds, url).pushed > 0
    assert run_sync(supervisor, creds, url).received > 0
    with supervisor.read() as s:
        arrived = s.get(SamplingTask, task_amendment)
        assert arrived.amends_id == task.record_id and "噪声测点需补测" in arrived.amendment_reason
        assert arrived.locked_at is not None
        assert s.scalars(select(Sample.id).where(Sample.task_id == task_amendment)).first()
        assert task_amendment in {i.record_id for i in review_queue(s)}
