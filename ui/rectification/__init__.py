"""整改跟踪: rectification items to closure, look-back, periodic testing due dates, rates."""

from ui.rectification.page import RectificationPage

__all__ = ["RectificationPage"]
