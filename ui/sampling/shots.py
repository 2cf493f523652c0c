"""Screenshots of the sampling screens for ui/screenshots.py (demo store, main window shown):
the sample form with a saved sample open (its photo) and the label sheet made, a post with its
hazard factors, a signed task's signatures and the evaluation with its group statistics."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

Wait = Callable[..., None]


def _photo(folder: Path) -> Path:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 240), (170, 190, 210))
    ImageDraw.Draw(img).rectangle((110, 60, 210, 200), fill=(40, 60, 90))
    out = io.BytesIO()
    img.save(out, format="JPEG")
    path = folder / "pump.jpg"
    path.write_bytes(out.getvalue())
    return path


def sampling_shots(qt_app: QApplication, app: Any, out: Path, wait_for: Wait) -> None:
    from ohinspect.demo.sampling import demo_task_ids
    from ohinspect.services.sampling import add_sample_photo
    from ohinspect.services.sampling_queries import get_task_view
    from ui.pages import page_specs

    ctx = app.ctx
    with ctx.store.read() as session:
        draft = demo_task_ids(session, signed=False)[0]
        signed = demo_task_ids(session, signed=True)[-1]
        sample = get_task_view(session, draft).samples[0].id
    with tempfile.TemporaryDirectory() as folder:
        add_sample_photo(ctx.store, ctx.actor, sample, _photo(Path(folder)))
    app.window.nav.setCurrentRow([spec.page_id for spec in page_specs()].index("sampling"))
    page = app.window.page("sampling")
    view = page.task_view

    def settle() -> None:
        for _ in range(30):
            qt_app.processEvents()

    def shot(name: str) -> None:
        settle()
        app.window.grab().save(str(out / f"sampling_{name}.png"))

    page.open_task(draft)
    wait_for(qt_app, lambda: view.bundle is not None and view.task_id == draft)
    view.tabs.setCurrentWidget(view.samples)
    view.samples.table.selectRow(0)
    view.samples.open_selected()
    wait_for(qt_app, lambda: view.samples.photos.thumbnail_count() == 1)
    view.labels.render()
    wait_for(qt_app, lambda: view.labels.file is not None or not view.labels.busy)
    shot("task_sample_open")
    view.tabs.setCurrentWidget(view.posts)
    view.posts.table.selectRow(0)
    shot("task_post_hazards")
    page.open_task(signed)
    wait_for(qt_app, lambda: view.bundle is not None and view.task_id == signed)
    view.tabs.setCurrentWidget(view.sign)
    shot("task_signed")
    view.tabs.setCurrentWidget(view.evaluation)
    wait_for(qt_app, lambda: view.evaluation.evaluation is not None)
    shot("task_evaluation")
