"""Screenshots of every main screen, taken under Xvfb at 1366×768 in the test run (issue 8),
in Chinese at 100 % and in English at 150 % scaling — for a person to look at before a screen
is called done. Set OHINSPECT_SCREENSHOTS_DIR to keep them (CI keeps them as an artifact);
otherwise they are written under pytest's temporary folder.

The test checks what a machine can: every area and dialog of ``ui/screenshots.py`` was shot,
each picture fits the screen, and none is blank. A wait that never ends inside the script
exits naming the line it waited at (ui/screenshots.py ``wait_for``), so a failure says where.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from tests.demo_store import demo_template
from ui.pages import page_specs

SCREEN = (1366, 768)
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("lang", "scale"), [("zh_CN", "1"), ("en", "1.5")])
def test_every_main_screen_is_shot_fits_the_screen_and_is_not_blank(
        tmp_path: Path, lang: str, scale: str) -> None:
    if shutil.which("xvfb-run") is None:
        pytest.fail("xvfb-run is missing: ./scripts/test.sh installs it (Debian package xvfb)",
                    pytrace=False)
    keep = os.environ.get("OHINSPECT_SCREENSHOTS_DIR")
    out = (Path(keep) if keep else tmp_path) / f"{lang}-{scale}"
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # a real X screen
    # -a takes the first free display from -n on; starting where this process's id points
    # keeps two concurrent runs (pytest-xdist workers, other sessions) off the same number
    first = str(100 + os.getpid() % 800)
    done = subprocess.run(
        ["xvfb-run", "-a", "-n", first, "-s", f"-screen 0 {SCREEN[0]}x{SCREEN[1]}x24",
         sys.executable, "-m",
         "ui.screenshots", str(out), "--lang", lang, "--scale", scale,
         "--from", str(demo_template())],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=280)
    assert done.returncode == 0, done.stderr[-2000:]
    shots = sorted(out.glob("*.png"))
    expected = {f"main_{spec.page_id}.png" for spec in page_specs()}
    assert expected <= {p.name for p in shots}
    assert len(shots) >= len(expected) + 10  # plus the editors, dialogs and tabs
    slack = 0 if scale == "1" else 1  # 911 logical px × 1.5 = 1366.5: rounds up by one
    for path in shots:
        with Image.open(path) as image:
            assert image.width <= SCREEN[0] + slack and image.height <= SCREEN[1] + slack, \
                path.name
            colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
            assert colours is None or len(colours) > 8, f"{path.name} looks blank"
