"""Photos of samples: attached to the sample (file by SHA-256, one unit of work with its audit
entry), shown with the task, counted in the sampling record PDF; refused for a signed task, a
file that is no image or cannot be read — nothing written then."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from ohinspect.errors import LockedRecordError, NotFoundError, ValidationError
from ohinspect.reports.sampling import render_sampling_report
from ohinspect.services.attachments import attachment_path
from ohinspect.services.sampling import add_sample_photo, sign_task, transfer_custody
from ohinspect.store.database import Store
from ohinspect.store.models import AuditEntry
from tests.unit.test_reports import flat
from tests.unit.test_sampling_service import at, counts, finished_task, png, view


def photo(tmp_path: Path, name: str = "pump.jpg", colour: tuple[int, int, int] = (200, 30, 30)
          ) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="JPEG")
    path = tmp_path / name
    path.write_bytes(out.getvalue())
    return path


def test_a_photo_belongs_to_its_sample(store: Store, actor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tid, ids = finished_task(store, actor)
    result = add_sample_photo(store, actor, ids["a1"], photo(tmp_path), "泵佩戴在左胸")
    add_sample_photo(store, actor, ids["a1"], photo(tmp_path, "point.png", (0, 90, 0)))
    add_sample_photo(store, actor, ids["fixed"], photo(tmp_path, "fixed.jpg", (0, 0, 200)))
    v = view(store, tid)
    first, second = v.photos[ids["a1"]]
    assert first.id == result.record_id and first.kind == "photo"
    assert first.caption == "泵佩戴在左胸" and first.original_name == "pump.jpg"
    assert first.media_type == "image/jpeg" and second.media_type == "image/png"
    assert attachment_path(store, first.sha256).is_file()
    assert len(v.photos[ids["fixed"]]) == 1 and v.photos[ids["a2"]] == []
    assert ids["a1"] in result.changes.record_ids and tid in result.changes.record_ids
    with store.read() as s:
        audit = s.query(AuditEntry).filter(AuditEntry.action == "attachment.add").all()
    assert len(audit) == 3


def test_refusals_write_nothing(store: Store, actor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    tid, ids = finished_task(store, actor)
    before = counts(store)
    text = tmp_path / "notes.txt"
    text.write_text("not a picture", encoding="utf-8")
    with pytest.raises(ValidationError) as not_image:
        add_sample_photo(store, actor, ids["a1"], text)
    assert not_image.value.problems[0].field == "photo"
    assert "notes.txt" in not_image.value.problems[0].message
    with pytest.raises(ValidationError) as missing:
        add_sample_photo(store, actor, ids["a1"], tmp_path / "gone.jpg")
    assert "gone.jpg" in missing.value.problems[0].message
    with pytest.raises(NotFoundError):
        add_sample_photo(store, actor, "no-such-sample", photo(tmp_path))
    assert counts(store) == before
    assert not any(p.is_file() for p in store.attachments_dir.rglob("*"))   # no stray file


def test_a_signed_task_takes_no_photos_and_the_record_counts_them(store: Store, actor,  # type: ignore[no-untyped-def]
                                                                   tmp_path: Path) -> None:
    tid, ids = finished_task(store, actor)
    for name in ("a.jpg", "b.jpg"):
        add_sample_photo(store, actor, ids["a2"], photo(tmp_path, name, (len(name), 1, 2)))
    everything = [i for k, i in ids.items() if k != "noise"]
    transfer_custody(store, actor, tid, everything, "李振华", "刘洋", "庆阳市疾控中心", at(16),
                     "完好")
    sign_task(store, actor, tid, png(), png())
    before = counts(store)
    with pytest.raises(LockedRecordError):
        add_sample_photo(store, actor, ids["a1"], photo(tmp_path))
    assert counts(store) == before
    out = render_sampling_report(store, tid, tmp_path / "record.pdf")
    text = flat(PdfReader(str(out)).pages[0].extract_text() or "")
    number = view(store, tid).samples[1].sample_number
    assert flat(number) + "照片2张" in text
    assert text.count("照片") == 1                                  # only the sample with photos
