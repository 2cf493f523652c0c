"""Sample labels (样品标签): one label per sample and blank of a task, on the A4 sheet of
resources/documents/labels.yaml; each carries the number as a QR code and a Code128 barcode and
in words with the task, the enterprise, the post, the type, the hazard and the date. Also
``ohinspect report labels``."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from ohinspect.cli import main
from ohinspect.demo.sampling import demo_task_ids
from ohinspect.reports.data import ReportError
from ohinspect.reports.fonts import missing_glyphs
from ohinspect.reports.sample_labels import (Label, _barcode, _qr, build_labels_pdf,
                                             load_label_sheet, render_sample_labels, short_name,
                                             task_labels)
from ohinspect.services.sampling_queries import get_task_view
from ohinspect.store.database import Store
from tests.unit.test_reports import flat
from tests.unit.test_sampling_service import make_task


@pytest.fixture
def demo(demo_store: Store) -> Store:
    return demo_store


def _pages(path: Path) -> list[str]:
    return [flat(p.extract_text() or "") for p in PdfReader(str(path)).pages]


def test_the_sheet_is_data_and_fits_a4() -> None:
    sheet = load_label_sheet()
    assert (sheet.columns, sheet.rows, sheet.per_page) == (3, 8, 24)
    assert sheet.page == pytest.approx((595.2756, 841.8898), abs=0.01)   # A4 in points
    x, y = sheet.origin(sheet.per_page - 1)                              # bottom-right label
    assert x + sheet.width <= sheet.page[0] + 0.01 and y >= -0.01
    x0, y0 = sheet.origin(0)
    assert (x0, y0 + sheet.height) == pytest.approx((0, sheet.page[1] - sheet.top))


def test_short_name_drops_the_legal_form_and_keeps_it_short() -> None:
    sheet = load_label_sheet()
    assert short_name("合水县示例化工有限公司", sheet) == "合水县示例化工"
    assert short_name("庆阳长庆石化股份有限公司", sheet) == "庆阳长庆石化"
    long = short_name("甘肃省庆阳市合水县西华池镇示例建材有限责任公司", sheet)
    assert len(long) == sheet.short_chars and long.endswith("…")


def test_labels_of_the_demo_task(demo: Store, tmp_path: Path) -> None:
    with demo.read() as s:
        task_id = max(demo_task_ids(s), key=lambda t: len(get_task_view(s, t).samples))
        view = get_task_view(s, task_id)
    out = render_sample_labels(demo, view.task.task_number, tmp_path / "labels.pdf")
    assert out == tmp_path / "labels.pdf"
    numbers = sorted(s.sample_number for s in (*view.samples, *view.blanks))
    assert len(numbers) == 10                                 # 9 samples and a blank
    pages = _pages(out)
    assert len(pages) == 1                                    # 10 labels fit on one sheet
    text = pages[0]
    for number in numbers:
        assert flat(number) in text
    assert text.count(flat(view.task.task_number)) >= 2 * len(numbers)   # own line + prefix
    assert "合水兴隆化工" in text and "有限公司" not in text
    for word in ("个体", "定点", "空白", "苯", "甲苯", "2026-06-14", "罐区"):
        assert word in text, word
    assert not missing_glyphs("".join(" ".join(label.lines) for label in
                                      task_labels(view, load_label_sheet())))


def test_each_label_encodes_the_sample_number(demo: Store) -> None:
    sheet = load_label_sheet()
    with demo.read() as s:
        view = get_task_view(s, demo_task_ids(s, signed=True)[0])
    labels = task_labels(view, sheet)
    assert [lab.number for lab in labels] == sorted(
        s.sample_number for s in (*view.samples, *view.blanks))
    blank = next(lab for lab in labels if lab.number.endswith("K"))
    assert any("空白" in line for line in blank.lines)
    for label in labels:
        qr = _qr(label.number, sheet)
        assert [d.data for d in qr.dataList] == [label.number]
        assert len(qr.modules) == 21 + 4 * (qr.version - 1)        # a square QR matrix
        code = _barcode(label.number, sheet, sheet.width - 2 * sheet.padding)
        assert code.value == label.number
        assert sheet.min_bar <= code.barWidth <= sheet.max_bar
        assert code.width + 20 * code.barWidth <= sheet.width - 2 * sheet.padding + 0.01


def test_more_labels_than_a_sheet_go_on_to_a_second_page(tmp_path: Path) -> None:
    labels = [Label(f"CY20261123-QX01-{n:03d}", ("任务 CY20261123-QX01",)) for n in range(1, 30)]
    out = build_labels_pdf(labels, tmp_path / "many.pdf", title="t")
    pages = _pages(out)
    assert len(pages) == 2
    assert "CY20261123-QX01-024" in pages[0] and "CY20261123-QX01-025" in pages[1]


def test_a_number_too_long_for_a_readable_barcode_is_refused(tmp_path: Path) -> None:
    sheet = load_label_sheet()
    with pytest.raises(ReportError, match="太长"):
        _barcode("CY20261123-QX01-" + "X" * 40, sheet, sheet.width - 2 * sheet.padding)
    target = tmp_path / "bad.pdf"
    with pytest.raises(ReportError):
        build_labels_pdf([Label("X" * 60, ())], target, title="t")
    assert not target.exists() and list(tmp_path.iterdir()) == []   # nothing half-written


def test_a_task_without_samples_has_no_labels(store: Store, actor, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    task = make_task(store, actor)
    with pytest.raises(ReportError, match="还没有样品"):
        render_sample_labels(store, task, tmp_path / "none.pdf")
    with pytest.raises(ReportError, match="找不到"):
        render_sample_labels(store, "CY-NOPE", tmp_path / "none.pdf")


def test_report_labels_on_the_command_line(demo: Store, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with demo.read() as s:
        task_id = demo_task_ids(s, signed=False)[0]          # labels before the task is signed
        view = get_task_view(s, task_id)
    data_dir = demo.data_dir
    out = tmp_path / "out" / "labels.pdf"
    assert main(["--data-dir", str(data_dir), "report", "labels", view.task.task_number,
                 "--out", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    assert flat(view.samples[0].sample_number) in _pages(out)[0]
    assert main(["--data-dir", str(data_dir), "report", "labels", "CY-NOPE",
                 "--out", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "CY-NOPE" in err


def test_printed_codes_scan_back_to_the_sample_numbers(demo: Store, tmp_path: Path) -> None:
    """What a lab's scanner sees: the page rendered to pixels (pdftoppm, 200 dpi) and decoded
    by a real barcode reader (zxing-cpp) gives every sample number twice — QR and Code128."""
    import subprocess

    import zxingcpp
    from PIL import Image

    with demo.read() as s:
        task_id = max(demo_task_ids(s), key=lambda t: len(get_task_view(s, t).samples))
        view = get_task_view(s, task_id)
    pdf = render_sample_labels(demo, task_id, tmp_path / "labels.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True)
    found = zxingcpp.read_barcodes(Image.open(next(tmp_path.glob("page*.png"))))
    numbers = sorted(s.sample_number for s in (*view.samples, *view.blanks))
    assert sorted(r.text for r in found if r.format.name == "QRCode") == numbers
    assert sorted(r.text for r in found if r.format.name == "Code128") == numbers
