"""Document numbers (文书编号): region + 卫 + category + nature + 〔year〕 + sequence + 号
(《卫生行政执法文书规范》, shared/DOMAIN.md §5), e.g. ``合卫职查〔2026〕0007号``.

Everything but the rule itself is data: ``resources/documents/numbering.yaml`` names the
document types with their category/nature characters, the region abbreviation of each issuing
jurisdiction and the sequence width.

A device issues numbers only from blocks reserved for it (:func:`reserve_block`: from the
platform, an administrator or the demo), so numbers made offline on two laptops never collide.
:func:`issue_number` runs inside the caller's unit of work: the number, the block's advance and
the ``issued_number`` row commit (or roll back) together with the document that carries it. A
number whose document never committed was never issued — nobody can have seen it on a signed
paper — so the next document gets it; once committed, a number is never issued again (unique
``issued_number.number``, and issuing skips any number already there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from ohinspect.errors import DataFileError, OHInspectError
from ohinspect.i18n import current_language, tr
from ohinspect.paths import resources_dir
from ohinspect.resources import load_resource
from ohinspect.store.database import Store
from ohinspect.store.models import IssuedNumber, NumberBlock
from ohinspect.store.uow import Actor, UnitOfWork

RESOURCE = "documents/numbering.yaml"
SOURCES = ("platform", "admin", "demo")
_YEAR = re.compile(r"^[0-9]{4}$")


class NumberingError(OHInspectError):
    """No number can be issued or reserved (no block, block used up, overlap, unknown region…)."""


@dataclass(frozen=True)
class DocumentType:
    code: str
    name_zh: str
    name_en: str
    category: str
    nature: str

    def label(self) -> str:
        return self.name_zh if current_language() == "zh_CN" else self.name_en


@dataclass(frozen=True)
class NumberingRules:
    authority: str
    year_open: str
    year_close: str
    suffix: str
    width: int
    document_types: dict[str, DocumentType]
    regions: dict[str, str]          # GB/T 2260 code → abbreviation
    demo_first: int
    demo_last: int

    def max_sequence(self) -> int:
        return 10 ** self.width - 1


@lru_cache(maxsize=1)
def load_numbering_rules() -> NumberingRules:
    data = load_resource(RESOURCE)
    path = str(resources_dir() / RESOURCE)
    try:
        fmt = data["format"]
        types = {}
        for row in data["document_types"]:
            for key in ("code", "name_zh", "name_en", "category", "nature"):
                if not str(row.get(key) or "").strip():
                    raise DataFileError(path, f"document type {row.get('code', '?')}: {key} is missing")
            types[row["code"]] = DocumentType(row["code"], row["name_zh"], row["name_en"],
                                              row["category"], row["nature"])
        regions = {}
        for row in data["regions"]:
            code, abbr = str(row["division"]), str(row.get("abbr") or "").strip()
            if not re.fullmatch(r"[0-9]{6}", code) or not abbr or code in regions:
                raise DataFileError(path, f"region {code}: needs a unique 6-digit division and an abbr")
            regions[code] = abbr
        width = int(fmt["sequence_width"])
        demo = data["demo_block"]
        rules = NumberingRules(str(fmt["authority"]), str(fmt["year_open"]),
                               str(fmt["year_close"]), str(fmt["suffix"]), width, types, regions,
                               int(demo["first"]), int(demo["last"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(path, f"malformed: {exc!r}") from exc
    if not 1 <= width <= 8 or not 1 <= rules.demo_first <= rules.demo_last <= rules.max_sequence():
        raise DataFileError(path, "sequence_width must be 1–8 and demo_block within it")
    return rules


def _document_type(doc_type: str) -> DocumentType:
    rules = load_numbering_rules()
    found = rules.document_types.get(doc_type)
    if found is None:
        raise NumberingError(tr("numbering.error.unknown_type", doc_type=doc_type,
                                choices=", ".join(rules.document_types)))
    return found


def series_for(doc_type: str, division_code: str, year: int) -> str:
    """The series of a document type for an issuing jurisdiction and year: ``合卫职查〔2026〕``."""
    rules = load_numbering_rules()
    kind = _document_type(doc_type)
    region = rules.regions.get(division_code)
    if region is None:
        raise NumberingError(tr("numbering.error.no_region", division=division_code))
    if not _YEAR.match(str(year)):
        raise NumberingError(tr("numbering.error.bad_year", year=year))
    return (f"{region}{rules.authority}{kind.category}{kind.nature}"
            f"{rules.year_open}{int(year)}{rules.year_close}")


def format_number(series: str, sequence: int) -> str:
    rules = load_numbering_rules()
    return f"{series}{sequence:0{rules.width}d}{rules.suffix}"


def _blocks(session: Session, series: str) -> list[NumberBlock]:
    return list(session.scalars(select(NumberBlock).where(NumberBlock.series == series)
                                .order_by(NumberBlock.first, NumberBlock.id)))


def reserve_block(store: Store, actor: Actor, series: str, first: int, last: int,
                  source: str) -> None:
    """Let this device issue ``first``…``last`` of ``series``. Refuses an overlap with a block
    already reserved here (a number must come from exactly one block)."""
    rules = load_numbering_rules()
    series = series.strip()
    if not series:
        raise NumberingError(tr("numbering.error.no_series"))
    if source not in SOURCES:
        raise NumberingError(tr("numbering.error.bad_source", source=source,
                                choices=", ".join(SOURCES)))
    if not (isinstance(first, int) and isinstance(last, int)) or not 1 <= first <= last:
        raise NumberingError(tr("numbering.error.bad_range", first=first, last=last))
    if last > rules.max_sequence():
        raise NumberingError(tr("numbering.error.too_wide", last=last, width=rules.width))
    with store.unit_of_work(actor) as uow:
        for block in _blocks(uow.session, series):
            if first <= block.last and block.first <= last:
                raise NumberingError(tr("numbering.error.overlap", series=series, first=first,
                                        last=last, other_first=block.first,
                                        other_last=block.last))
        block = NumberBlock(series=series, first=first, last=last, next=first, source=source,
                            reserved_at=uow.now)
        uow.session.add(block)
        uow.session.flush()
        uow.audit("numbering.reserve_block", details={
            "series": series, "first": first, "last": last, "source": source,
            "block_id": block.id})
        uow.commit()


def issue_number(uow: UnitOfWork, doc_type: str, division_code: str, year: int,
                 record_type: str, record_id: str) -> str:
    """The next number of the series, recorded for ``record_type``/``record_id``, inside the
    caller's unit of work (it commits with the document or not at all)."""
    series = series_for(doc_type, division_code, year)
    session = uow.session
    blocks = _blocks(session, series)
    if not blocks:
        raise NumberingError(tr("numbering.error.no_block", series=series,
                                doc_type=_document_type(doc_type).label()))
    issued = set(session.scalars(select(IssuedNumber.sequence)
                                 .where(IssuedNumber.series == series)))
    for block in blocks:
        while block.next <= block.last:
            sequence = block.next
            block.next = sequence + 1
            if sequence in issued:  # issued before from an overlapping block: never reuse
                continue
            number = format_number(series, sequence)
            session.add(IssuedNumber(number=number, series=series, sequence=sequence,
                                     record_type=record_type, record_id=record_id,
                                     issued_at=uow.now))
            session.flush()
            uow.audit("numbering.issue", record_type, record_id,
                      {"number": number, "series": series, "sequence": sequence})
            return number
    raise NumberingError(tr("numbering.error.exhausted", series=series,
                            last=max(b.last for b in blocks),
                            doc_type=_document_type(doc_type).label()))


def remaining(session: Session, series: str) -> int:
    """How many numbers this device can still issue in ``series``."""
    return sum(max(0, b.last - b.next + 1) for b in _blocks(session, series))


def ensure_demo_blocks(store: Store, actor: Actor, division_code: str, year: int) -> None:
    """Give a demo store a block for every document type (idempotent: series with a block are
    left alone)."""
    rules = load_numbering_rules()
    for doc_type in rules.document_types:
        series = series_for(doc_type, division_code, year)
        with store.read() as session:
            if _blocks(session, series):
                continue
        reserve_block(store, actor, series, rules.demo_first, rules.demo_last, "demo")
