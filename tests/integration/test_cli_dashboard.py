"""``ohinspect dashboard``: the Excel workbook and the PDF hold the same figures as the service
(read back with openpyxl and pypdf), JSON too; bad input is one line and exit 1."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from ohinspect.cli import main
from ohinspect.dashboards import PERCENT, Scope, compute_dashboard
from ohinspect.i18n import set_language, tr
from ohinspect.reports.dashboard_pdf import fmt
from ohinspect.reports.dashboard_xlsx import PERCENT_FORMAT
from ohinspect.services.inspection_helpers import local_today
from ohinspect.store.database import Store
from tests.demo_store import demo_copy

ARGS = ("dashboard", "--jurisdiction", "621024", "--from", "2026-01-01", "--to", "2026-06-30")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_copy(Path(tmp_path_factory.mktemp("dash-cli")) / "data")


@pytest.fixture(scope="module")
def expected(data_dir: Path):  # type: ignore[no-untyped-def]
    set_language("zh_CN")
    store = Store.open(data_dir)
    with store.read() as s:
        dash = compute_dashboard(s, Scope("621024", date(2026, 1, 1), date(2026, 6, 30),
                                          local_today()))
    store.close()
    return dash


def test_xlsx_and_pdf_hold_the_service_figures(data_dir: Path, expected, tmp_path: Path,  # type: ignore[no-untyped-def]
                                               capsys: pytest.CaptureFixture[str]) -> None:
    xlsx, pdf = tmp_path / "d.xlsx", tmp_path / "d.pdf"
    assert main(["--data-dir", str(data_dir), "--lang", "zh_CN", *ARGS, "--xlsx", str(xlsx),
                 "--pdf", str(pdf)]) == 0
    assert str(xlsx) in capsys.readouterr().out
    wb = load_workbook(xlsx)
    assert wb.sheetnames[0] == "汇总" and len(wb.sheetnames) == 1 + len(expected.indicators)
    summary = wb["汇总"]
    for row, ind in enumerate(expected.indicators, 5):
        assert summary.cell(row=row, column=1).value == tr(f"dash.ind.{ind.id}")
        assert summary.cell(row=row, column=2).value == pytest.approx(ind.overall())
    for sheet, ind in zip(wb.worksheets[1:], expected.indicators):
        assert sheet["A1"].value == tr(f"dash.ind.{ind.id}")
        assert [c.value for c in sheet[5]][2:] == [tr(f"dash.col.{c.id}") for c in ind.columns]
        for row, fig in enumerate(ind.figures, 6):
            assert sheet.cell(row=row, column=1).value == fig.key
            for col, c in enumerate(ind.columns, 3):
                cell = sheet.cell(row=row, column=col)
                value = fig.values[c.id]
                assert cell.value == (pytest.approx(value) if value is not None else None)
                if c.kind == PERCENT and value is not None:
                    assert isinstance(cell.value, (int, float)) and cell.number_format == PERCENT_FORMAT
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages).replace(" ", "")
    for ind in expected.indicators:
        column = ind.chart_column()
        assert f"{tr(f'dash.col.{column.id}')}：{fmt(ind.overall(), column)}" in text
        for fig in ind.figures:
            assert fmt(fig.values[column.id], column) in text


def test_json_and_bad_input(data_dir: Path, expected,  # type: ignore[no-untyped-def]
                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data-dir", str(data_dir), *ARGS, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [i["id"] for i in out["indicators"]] == [i.id for i in expected.indicators]
    cov = out["indicators"][0]["figures"][0]
    assert cov["verified"] == expected.indicators[0].figures[0].values["verified"]
    assert main(["--data-dir", str(data_dir), "--lang", "zh_CN", "dashboard", "--jurisdiction",
                 "621024", "--from", "2026-13-01", "--to", "2026-06-30"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "2026-13-01" in err
    assert main(["--data-dir", str(data_dir), "--lang", "zh_CN", "dashboard", "--jurisdiction",
                 "621024", "--from", "2026-07-01", "--to", "2026-06-30"]) == 1
    assert "早于" in capsys.readouterr().err
