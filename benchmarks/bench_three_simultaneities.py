"""Issue 3 figures: opening a project with 4 stages and 200 photos (service and screen), and
answering a checklist item until it is saved. Prints figures; asserts nothing.

    .venv/bin/python -m benchmarks.bench_three_simultaneities

Targets (2 cores): open ≤ 300 ms; answer ≤ 50 ms to saved. The record PDF (20 pages, 30 photos)
is measured by benchmarks/bench_reports.py.
"""

from __future__ import annotations

import io
import os
import random
import statistics
import tempfile
import time
from pathlib import Path

from PIL import Image

from ohinspect.demo import DEMO_USER, build_demo
from ohinspect.services.attachments import add_attachment
from ohinspect.services.inspection_queries import get_inspection_view, list_inspections
from ohinspect.services.inspections import answer_item
from ohinspect.services.project_queries import get_project_detail
from ohinspect.store.database import Store
from ohinspect.store.models import Project, ProjectStage

PHOTOS = 200


def photo(rng: random.Random) -> bytes:
    img = Image.new("RGB", (1600, 1200), tuple(rng.randrange(256) for _ in range(3)))
    for _ in range(40):  # some detail so JPEG sizes are realistic
        x, y = rng.randrange(1500), rng.randrange(1100)
        img.paste(tuple(rng.randrange(256) for _ in range(3)), (x, y, x + 100, y + 100))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85)
    return out.getvalue()


def prepare(store: Store) -> str:
    build_demo(store)
    actor = store.actor(DEMO_USER)
    with store.read() as session:
        project = session.query(Project).join(ProjectStage).group_by(Project.id).having(
            __import__("sqlalchemy").func.count(ProjectStage.id) == 4).first()
        stages = session.query(ProjectStage).filter_by(project_id=project.id).all()
    rng = random.Random(7)
    started = time.perf_counter()
    for n in range(PHOTOS):
        stage = stages[n % len(stages)]
        add_attachment(store, actor, "project_stage", stage.id, photo(rng), kind="photo",
                       media_type="image/jpeg", original_name=f"现场{n:03d}.jpg")
    print(f"  (added {PHOTOS} photos in {time.perf_counter() - started:.1f} s)")
    return project.id


def open_project_core(store: Store, project_id: str) -> list[float]:
    times = []
    for _ in range(10):
        t = time.perf_counter()
        with store.read() as session:
            detail = get_project_detail(session, project_id)
        times.append((time.perf_counter() - t) * 1000)
    assert sum(len(v) for v in detail.attachments.values()) >= PHOTOS
    return times


def open_project_screen(store: Store, project_id: str) -> list[float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from ohinspect.settings import Settings
    from ui.context import AppContext
    from ui.projects.page import ProjectsPage
    from ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    ctx = AppContext(store, Settings(), TaskRunner(), store.actor(DEMO_USER))
    page = ProjectsPage(ctx)
    page.resize(1366, 740)
    page.show()
    times = []
    for _ in range(5):
        t = time.perf_counter()
        page.show_project(project_id)
        while page.list_panel.dialog is None or not page.list_panel.dialog.isVisible():
            app.processEvents()
        page.list_panel.dialog.repaint()
        times.append((time.perf_counter() - t) * 1000)
        page.list_panel.dialog.reject()
        while page.list_panel.dialog is not None:
            app.processEvents()
    ctx.runner.wait_idle()
    page.close()
    return times


def answer_items(store: Store) -> list[float]:
    actor = store.actor(DEMO_USER)
    with store.read() as session:
        draft = next(i for i in list_inspections(session) if i.locked_at is None)
        view = get_inspection_view(session, draft.id)
    times = []
    for n, item in enumerate(view.items * 3):
        t = time.perf_counter()
        answer_item(store, actor, draft.id, item.id, ("conform", "not_applicable")[n % 2],
                    f"第{n}次")
        times.append((time.perf_counter() - t) * 1000)
    return times


def fmt(times: list[float]) -> str:
    return f"{statistics.median(times):7.1f} ms median, {max(times):7.1f} max ({len(times)} runs)"


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder))
        try:
            print("preparing: demo store + one project with 4 stages and 200 photos")
            project_id = prepare(store)
            print(f"open project, service (get_project_detail)  {fmt(open_project_core(store, project_id))}")
            print(f"open project, screen (dialog painted)       {fmt(open_project_screen(store, project_id))}")
            print(f"answer an item until committed (fsync)      {fmt(answer_items(store))}")
        finally:
            store.close()


if __name__ == "__main__":
    main()
