"""OHInspect 职业卫生现场检查 — start the desktop app.

    OHInspect [--demo] [--data-dir DIR] [--lang L] [--smoke]   the window
    OHInspect --version                                      answers without Qt
    OHInspect --cli COMMAND ...                              the ``ohinspect`` command (no Qt)

The bundle's console program ``ohinspect-cli`` (pyinstaller.spec) is the ``ohinspect`` command.
"""

import sys
from pathlib import Path

CLI_FLAG = "--cli"
CLI_PROGRAM = "ohinspect-cli"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if Path(sys.argv[0]).stem.lower() == CLI_PROGRAM or args[:1] == [CLI_FLAG]:
        from ohinspect.cli import main as cli_main

        return cli_main(args[1:] if args[:1] == [CLI_FLAG] else args)
    if "--version" in args:
        from ohinspect import __version__

        print(f"OHInspect {__version__}")
        return 0
    from ui.app import run_gui

    return run_gui(args)


if __name__ == "__main__":
    raise SystemExit(main())
