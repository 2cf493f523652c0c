"""Regression guard for the PySide6 6.12.0 / CPython 3.11 bug: every Qt call returning nothing
dropped a reference to ``None`` and the process aborted after ~5,000 calls
(``Fatal Python error: none_dealloc``). Runs in a subprocess so an abort fails this test only."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

CALLS = 25_000


def test_many_void_qt_calls_do_not_leak_none() -> None:
    script = textwrap.dedent(f'''
        import sys
        from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
        app = QApplication([])
        label, edit = QLabel(), QLineEdit()
        before = sys.getrefcount(None)
        for i in range({CALLS} // 5):
            label.setText(str(i)); label.setEnabled(i % 2 == 0); label.setToolTip("t")
            edit.setText("x"); edit.clear()
        after = sys.getrefcount(None)
        print(before, after)
    ''')
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    before, after = map(int, result.stdout.split())
    # On 3.11 a leak shows as thousands of references lost; immortal None (3.12+) never moves.
    assert abs(after - before) < 100, (before, after)
