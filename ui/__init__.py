"""The Qt user interface. Views and view-models only: SQL and transactions live in ``ohinspect``."""
