"""The sampling documents (采样记录, 噪声测量记录, 样品交接单, 评价表) of the demo tasks: one PDF
whose text holds the enterprise, the sample numbers, the verdicts and the units; refused for a
task still in the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from ohinspect.demo.sampling import demo_task_ids
from ohinspect.reports.data import ReportError
from ohinspect.reports.fonts import missing_glyphs
from ohinspect.reports.sampling import load_sampling_document, render_sampling_report
from ohinspect.services.sampling_queries import get_task_view
from ohinspect.store.database import Store
from tests.unit.test_reports import flat


def _text(path: Path) -> str:
    return flat("\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages))


@pytest.fixture
def demo(demo_store: Store) -> Store:
    return demo_store


def test_every_signed_demo_task_renders_the_four_parts(demo: Store, tmp_path: Path) -> None:
    with demo.read() as s:
        signed = demo_task_ids(s, signed=True)
        views = [get_task_view(s, t) for t in signed]
    assert len(signed) == 3
    verdicts: set[str] = set()
    for n, (task_id, view) in enumerate(zip(signed, views)):
        out = render_sampling_report(demo, task_id, tmp_path / f"s{n}.pdf")
        assert out == tmp_path / f"s{n}.pdf"
        text = _text(out)
        for title in ("工作场所空气中有害物质采样记录", "工作场所噪声测量记录", "样品交接单",
                      "职业病危害因素检测结果评价表"):
            assert flat(title) in text
        assert flat(view.enterprise.name) in text
        assert flat(view.task.task_number) in text
        for sample in (*view.samples, *view.blanks):
            assert flat(sample.sample_number) in text
        assert "mg/m³" in text and "dB(A)" in text and "℃" in text
        verdicts |= {v for v in ("不符合", "不判定") if v in text}
        if "符合" in text.replace("不符合", ""):
            verdicts.add("符合")
    assert verdicts == {"符合", "不符合", "不判定"}


def test_by_task_number_and_contents(demo: Store, tmp_path: Path) -> None:
    with demo.read() as s:
        task_id = next(t for t in demo_task_ids(s, signed=True)
                       if "化工" in get_task_view(s, t).enterprise.name)
        view = get_task_view(s, task_id)
    out = render_sampling_report(demo, view.task.task_number, tmp_path / "c.pdf")
    text = _text(out)
    assert "苯" in text and "PC-TWA3" in text and "不符合" in text
    assert flat("装卸工3人轮流作业") in text      # the adjusted plan and its reason
    assert "刘晓东" in text                        # who received the samples
    doc = load_sampling_document(demo, task_id)
    assert doc.sampler_signature is not None and doc.escort_signature is not None
    assert not missing_glyphs("mg/m³ ℃ dB(A) L_EX,8h Σ C/OEL ≤ – ～")


def test_draft_and_unknown_are_refused(demo: Store, tmp_path: Path) -> None:
    with demo.read() as s:
        draft = demo_task_ids(s, signed=False)[0]
    with pytest.raises(ReportError, match="尚未签字"):
        render_sampling_report(demo, draft, tmp_path / "d.pdf")
    with pytest.raises(ReportError, match="no-such-task"):
        render_sampling_report(demo, "no-such-task", tmp_path / "x.pdf")
    assert not list(tmp_path.glob("*.pdf"))
