"""The audit record PDF: header, every item with its grade and note, the overall result with its
reasons and tallies, findings, signatures; refused for a draft or a 三同时 verification."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from ohinspect.reports.audit import render_audit_report
from ohinspect.reports.data import ReportError
from ohinspect.services.inspections import sign_and_lock
from ohinspect.store.database import Store
from tests.unit.test_audits import _answer, _findings, _start, _view, parties  # noqa: F401
from tests.unit.test_inspections import answer_all, good_signatures, start


def _text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(str(path)).pages).replace("\n", "")


def test_the_record_of_a_signed_institution_audit(store: Store, actor, parties,  # noqa: F811
                                                  tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    iid = _start(store, actor, parties)
    items = _view(store, iid).items
    key = next(n for n, i in enumerate(items) if i.key)
    _answer(store, actor, iid, {key: "not_conform", key + 1: "basically_conform"})
    with pytest.raises(ReportError, match="尚未签字"):
        render_audit_report(store, iid, tmp_path / "draft.pdf")
    assert not (tmp_path / "draft.pdf").exists()
    sign_and_lock(store, actor, iid, good_signatures(), _findings(store, iid))
    number = _view(store, iid).inspection.record_number
    out = render_audit_report(store, number, tmp_path / "audit.pdf")   # by its number too
    text = _text(out)
    for words in ("职业卫生机构能力审核记录", number, "合水县审核对象2", "合水县卫生健康局",
                  "总体结论", "不符合（关键项不符合）", "共22项：符合20项，基本符合1项，不符合1项",
                  "★", "李振华", "疾病预防控制机构职业卫生能力审核表", "基本符合"):
        assert words in text, words
    assert text.count("现场查见问题") >= 2     # the notes of the two findings


def test_a_verification_is_not_an_audit(store: Store, actor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    iid = start(store, actor)
    answer_all(store, actor, iid)
    sign_and_lock(store, actor, iid, good_signatures(), [])
    with pytest.raises(ReportError, match="不是审核记录"):
        render_audit_report(store, iid, tmp_path / "x.pdf")
