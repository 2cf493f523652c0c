"""The demo sampling tasks: three signed tasks with custody and lab results (one corrected),
one task still in the field; the evaluation gives 符合, 不符合 (a chemical and noise) and 不判定;
deterministic and idempotent (tests/integration/test_cli.py compares this file's fingerprint of
a fresh ``init --demo`` with the session's demo)."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from ohinspect.demo.sampling import TASKS, demo_task_ids
from ohinspect.services.evaluation import evaluate_task
from ohinspect.services.sampling_queries import get_task_view
from ohinspect.store.database import Store
from ohinspect.store.models import (CustodyTransfer, LabResult, NoiseMeasurement, Sample,
                                    SamplingPost, SamplingTask)

MODELS = (SamplingTask, SamplingPost, Sample, NoiseMeasurement, CustodyTransfer, LabResult)


def _counts(store: Store) -> dict[str, int]:
    with store.read() as s:
        return {m.__name__: s.scalar(select(func.count()).select_from(m)) or 0 for m in MODELS}


def _fingerprint(store: Store) -> list[tuple[object, ...]]:
    with store.read() as s:
        rows: list[tuple[object, ...]] = []
        for task in s.scalars(select(SamplingTask).order_by(SamplingTask.id)):
            rows.append((task.id, task.task_number, task.status, task.planned_on))
        for sample in s.scalars(select(Sample).order_by(Sample.id)):
            rows.append((sample.id, sample.sample_number, sample.started_at, sample.volume_l,
                         sample.standard_volume_l))
        for r in s.scalars(select(LabResult).order_by(LabResult.id)):
            rows.append((r.id, r.sample_id, r.analyte, r.value, r.lod, r.supersedes_id))
        rows.append(tuple(s.scalars(select(CustodyTransfer.id).order_by(CustodyTransfer.id))))
        return rows


def test_demo_sampling_records(demo_store: Store) -> None:
    store = demo_store
    counts = _counts(store)
    assert counts["SamplingTask"] == len(TASKS) == 4
    assert counts["CustodyTransfer"] == 3
    assert counts["NoiseMeasurement"] == 4
    with store.read() as s:
        signed, draft = demo_task_ids(s, signed=True), demo_task_ids(s, signed=False)
        assert len(signed) == 3 and len(draft) == 1
        assert s.get(SamplingTask, draft[0]).locked_at is None
        kinds: Counter[str] = Counter()
        adjusted = 0
        for task_id in signed:
            view = get_task_view(s, task_id)
            assert view.locked and view.task.sampler_signature_sha256
            assert view.task.escort_signature_sha256
            assert view.blanks and view.noise and view.custody
            assert all(v for v in view.results.values())  # every sample has a result
            kinds.update(sample.kind for sample in view.samples)
            adjusted += sum(1 for p in view.posts if p.adjust_reason)
        assert kinds["personal"] >= 8 and kinds["fixed"] >= 3
        assert adjusted == 1
        corrected = s.scalars(select(LabResult).where(LabResult.supersedes_id.is_not(None))).all()
        assert len(corrected) == 1 and corrected[0].analyte == "chem.methanol"
        silica = s.scalars(select(LabResult).where(LabResult.analyte == "lab.free_silica")).all()
        assert silica and all(r.unit == "%" for r in silica)


def test_demo_verdict_mix(demo_store: Store) -> None:
    store = demo_store
    outcomes: Counter[str] = Counter()
    not_conform: set[str] = set()
    with store.read() as s:
        for task_id in demo_task_ids(s, signed=True):
            ev = evaluate_task(s, task_id)
            for f in ev.factors:
                outcomes[f.outcome] += 1
                if f.outcome == "not_conform":
                    not_conform.add(f.hazard_code)
            for n in ev.noise:
                outcomes[n.verdict.outcome] += 1
                if n.verdict.outcome == "not_conform":
                    assert n.lex_8h is not None and n.lex_8h > 85
                    not_conform.add("phys.noise")
    assert outcomes["conform"] >= 4
    assert outcomes["not_conform"] >= 2
    assert outcomes["not_judged"] >= 1
    assert "chem.benzene" in not_conform and "phys.noise" in not_conform
