"""统计 / Dashboards area (issue 7 item 4)."""

from ui.dashboards.page import DashboardsPage

__all__ = ["DashboardsPage"]
