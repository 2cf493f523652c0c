"""Names shared by the review tests (unit, integration and UI)."""

AUTHOR = "演示检查员"        # who made the demo records
REVIEWER = "监督科长"
SUPERVISOR_ROLE = "supervisor"
