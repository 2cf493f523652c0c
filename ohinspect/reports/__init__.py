"""Documents produced on site, as PDF with an embedded CJK font (reportlab, no Qt):
现场检查笔录 (:func:`render_inspection_record`) and 卫生监督意见书
(:func:`render_supervision_opinion`). Both write atomically: a failed render leaves no file."""

from ohinspect.reports.data import (
           InspectionDocument,
           ReportError,
           load_inspection_document,
)
from ohinspect.reports.opinion import render_supervision_opinion
from ohinspect.reports.record import render_inspection_record

__all__ = ["InspectionDocument", "ReportError", "load_inspection_document",
           "render_inspection_record", "render_supervision_opinion"]
