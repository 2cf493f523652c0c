"""Every user-visible string of the GUI comes from the message catalogues: no Chinese (or
full-width punctuation) literals in ui/ code outside docstrings, and every message key the code
names exists in the Chinese catalogue (English parity is tests/unit/test_i18n.py)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from ohinspect.i18n import catalogue

UI = Path(__file__).resolve().parents[2] / "ui"
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
KEY_PREFIXES = ("aud_ui.", "ent_ui.", "inst_ui.", "ntc_ui.", "prj_ui.", "rect_ui.", "ver_ui.", "cov_ui.", "smp_ui.", "sync_ui.", "rev_ui.", "dash_ui.", "ui.", "nav.", "menu.", "app.")


def _literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef))
                  and n.body and isinstance(n.body[0], ast.Expr)}
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
            and isinstance(n.value, str) and id(n) not in docstrings]


def test_no_hard_coded_user_text_and_every_key_exists() -> None:
    files = sorted(UI.rglob("*.py"))
    assert len(files) > 40  # really scanned the GUI
    zh = catalogue("zh_CN")
    offenders, missing = [], []
    for path in files:
        for text in _literals(path):
            if CJK.search(text):
                offenders.append(f"{path.relative_to(UI)}: {text!r}")
            elif text.startswith(KEY_PREFIXES) and "{" not in text and " " not in text \
                    and not text.endswith((".", "_")) and text not in zh:  # prefixes of built keys
                missing.append(f"{path.relative_to(UI)}: {text}")
    assert offenders == []
    assert missing == []


def test_english_text_has_no_untranslated_chinese() -> None:
    """Chinese may appear in the English catalogue only as a gloss or an example in
    parentheses, e.g. "Random draw (双随机)"; anything else is a missed translation."""
    cjk = re.compile(r"[\u4e00-\u9fff]")
    left = {key: text for key, text in catalogue("en").items()
            if cjk.search(re.sub(r"\([^()]*\)", "", text))}
    assert not left, left
