"""The lab's results CSV file (``docs/results-csv.md``): its columns and Chinese headings, its
encodings, and the rejection that lists every bad line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ohinspect.errors import OHInspectError
from ohinspect.i18n import tr

CSV_COLUMNS = ("sample_number", "analyte", "result", "unit", "lod", "method", "lab",
               "lab_sample_id", "analysed_on")
CSV_REQUIRED = ("sample_number", "analyte", "result", "unit")
#: Chinese column headings accepted as well (the lab's export or a hand-made sheet)
CSV_HEADINGS_ZH = {"样品编号": "sample_number", "检测项目": "analyte", "检测结果": "result",
                   "结果": "result", "单位": "unit", "检出限": "lod", "检测方法": "method",
                   "实验室": "lab", "实验室编号": "lab_sample_id", "分析日期": "analysed_on"}


@dataclass(frozen=True)
class LineProblems:
    line: int                      # line of the file (the heading is line 1)
    problems: tuple[str, ...]      # localised messages

    def text(self) -> str:
        return tr("results.import.line", line=self.line,
                  problems=tr("results.import.sep").join(self.problems))


class ResultsImportRejected(OHInspectError):
    """At least one line of the file is bad; nothing was imported."""

    def __init__(self, path: Path, lines: list[LineProblems]) -> None:
        self.path, self.lines = path, lines
        head = tr("results.import.rejected", file=path.name, count=len(lines))
        super().__init__(head + "\n" + "\n".join(p.text() for p in lines))


def read_csv_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), else GB18030 (GBK/GB2312 files included)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise OHInspectError(tr("results.import.unreadable", file=str(path),
                                reason=exc.strerror or str(exc))) from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise OHInspectError(tr("results.import.encoding", file=path.name))
