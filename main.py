"""OHInspect 职业卫生现场检查 — start the desktop app (``--version`` answers without Qt)."""

import sys


def main() -> int:
    if "--version" in sys.argv[1:]:
        from ohinspect import __version__

        print(f"OHInspect {__version__}")
        return 0
    from ui.app import run_gui

    return run_gui(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
