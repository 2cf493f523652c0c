"""Removing personal data and secrets from text that leaves the laptop (the diagnostics archive).

Chinese names of people and enterprises cannot be recognised reliably, so the rule is by
exclusion, in this order:

1. secrets: ``token=…``, ``password: …``, ``Authorization: Bearer …`` and long opaque strings
   (keys, signatures) become ``[SECRET]``;
2. patterns: resident ID numbers (GB 11643-1999, 17 digits and a check digit or X), Unified
   Social Credit Codes (GB 32100-2015, 18 characters), mobile phone numbers, e-mail addresses;
3. names the store and settings know (enterprises, people, signers, witnesses, users) and the
   login name, in any script, longest first;
4. every remaining run of Chinese characters, unless it is a phrase of the program's own
   message catalogue (4 characters or more, e.g. "数据文件夹"): such phrases carry no
   personal data and keep the messages readable;
5. the home folder in paths becomes ``~``.

Record ids (UUIDs), times, levels, module names and English program text are kept.
"""

from __future__ import annotations

import getpass
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from ohinspect.i18n import catalogue

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(f"[{_CJK}]+")
SECRET_ASSIGNMENT = re.compile(
    r"(?i)\b(token|secret|password|passwd|api[_-]?key|private[_-]?key|authorization|bearer)"
    r"(\s*[:=]\s*|\s+)(bearer\s+)?[^\s,;'\"]+")
OPAQUE = re.compile(r"(?<![\w/.-])[A-Za-z0-9+/_-]{40,}={0,2}(?![\w/.-])")
USCC = re.compile(r"(?<![0-9A-Z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}(?![0-9A-Z])")
RESIDENT_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d{9}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
MIN_KEPT_PHRASE = 4
MIN_LATIN_NAME = 3  # shorter Latin "names" (codes, initials) would eat ordinary log text


@lru_cache(maxsize=1)
def _catalogue_text() -> str:
    return "\n".join(catalogue("zh_CN").values())


class Scrubber:
    """Scrubs text; ``known_names`` are names to remove wherever they occur."""

    def __init__(self, known_names: Iterable[str] = (), home: Path | None = None) -> None:
        names = {n.strip() for n in known_names if n and len(n.strip()) >= 2}
        try:
            login = getpass.getuser()
        except (OSError, KeyError):
            login = ""
        if len(login) >= 2:
            names.add(login)
        self.home = str(home if home is not None else Path.home())
        # CJK names fall under rule 4 anyway unless they are catalogue phrases; the rest is
        # what a regex must find (longest first, so a name inside a longer one goes whole)
        latin = sorted((n for n in names if not CJK_RUN.search(n) and len(n) >= MIN_LATIN_NAME
                        and any(ch.isalpha() for ch in n)), key=len, reverse=True)
        self._names = (re.compile(r"\b(?:" + "|".join(map(re.escape, latin)) + r")\b")
                       if latin else None)
        self._cjk_names = {n for n in names if CJK_RUN.search(n)}

    def _cjk(self, match: re.Match[str]) -> str:
        run = match.group(0)
        if len(run) >= MIN_KEPT_PHRASE and run in _catalogue_text() and not self._names_in(run):
            return run
        return "[CJK]"

    def _names_in(self, run: str) -> bool:
        """Does a known CJK name occur in ``run``? (every substring looked up: runs are short,
        the names may be 100,000 enterprises)"""
        return any(run[i:j] in self._cjk_names
                   for i in range(len(run)) for j in range(i + 2, len(run) + 1))

    def scrub(self, text: str) -> str:
        if len(self.home) > 1:
            text = text.replace(self.home, "~")
        text = SECRET_ASSIGNMENT.sub(lambda m: f"{m.group(1)}{m.group(2)}[SECRET]", text)
        text = OPAQUE.sub("[SECRET]", text)
        text = RESIDENT_ID.sub("[ID-NO]", text)
        text = USCC.sub("[USCC]", text)
        text = MOBILE.sub("[PHONE]", text)
        text = EMAIL.sub("[EMAIL]", text)
        if self._names is not None:
            text = self._names.sub("[NAME]", text)
        return CJK_RUN.sub(self._cjk, text)
