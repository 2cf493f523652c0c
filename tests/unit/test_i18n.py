"""Chinese first, English complete: every message exists in both languages with the same
placeholders, and tr() falls back instead of crashing."""

from __future__ import annotations

import json
import string

from ohinspect.i18n import catalogue, i18n_dir, set_language, tr


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_file_has_a_twin_with_the_same_keys_and_placeholders() -> None:
    zh_files = sorted(p.name for p in (i18n_dir() / "zh_CN").glob("*.json"))
    en_files = sorted(p.name for p in (i18n_dir() / "en").glob("*.json"))
    assert zh_files == en_files and len(zh_files) >= 3
    for name in zh_files:
        zh = json.loads((i18n_dir() / "zh_CN" / name).read_text(encoding="utf-8"))
        en = json.loads((i18n_dir() / "en" / name).read_text(encoding="utf-8"))
        assert zh.keys() == en.keys(), name
        for key in zh:
            assert _fields(zh[key]) == _fields(en[key]), (name, key)
            assert zh[key].strip() and en[key].strip(), (name, key)


def test_chinese_is_chinese_and_english_is_not() -> None:
    zh, en = catalogue("zh_CN"), catalogue("en")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh["app.title"])
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in en["field.required"])


def test_switching_and_fallback() -> None:
    set_language("en")
    assert tr("field.required") == "Required."
    assert tr("no.such.key") == "no.such.key"
    set_language("zh_CN")
    assert tr("field.too_long", max=5) == "不能超过 5 个字符。"
