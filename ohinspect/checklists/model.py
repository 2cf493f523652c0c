"""The checklist model: answer types, items and versioned templates (no I/O here).

A template is immutable. An inspection stores ``template.to_snapshot()`` (plain JSON) and works
from ``ChecklistTemplate.from_snapshot(...)`` ever after, so a later version of the template file
never changes a started or signed inspection.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, get_args

from ohinspect.i18n import current_language, tr

PhotoRule = Literal["never", "always", "on_finding"]
PHOTO_RULES: tuple[str, ...] = get_args(PhotoRule)

#: the layout of ``to_snapshot()``; ``from_snapshot`` refuses layouts it does not know
SNAPSHOT_FORMAT = 1

K = TypeVar("K")
V = TypeVar("V")


class FrozenMap(Mapping[K, V]):
    """A read-only, hashable mapping (so that frozen dataclasses stay frozen and hashable)."""

    __slots__ = ("_data", "_hash")

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(data)
        self._hash: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(frozenset(self._data.items()))
        return self._hash

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"


def _pick(zh: str, en: str) -> str:
    return en if current_language() == "en" and en else zh


@dataclass(frozen=True)
class AnswerOption:
    code: str
    label_zh: str
    label_en: str
    finding: bool  # choosing this option records a finding (a rectification item)

    def label(self) -> str:
        return _pick(self.label_zh, self.label_en)


@dataclass(frozen=True)
class AnswerType:
    id: str
    options: tuple[AnswerOption, ...]

    def option(self, code: str) -> AnswerOption | None:
        return next((o for o in self.options if o.code == code), None)

    def codes(self) -> tuple[str, ...]:
        return tuple(o.code for o in self.options)


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    section_zh: str
    section_en: str
    text_zh: str
    text_en: str
    legal_basis: str
    answer_type: str
    photo: PhotoRule  # when a photo is required
    condition: Mapping[str, tuple[str, ...]]  # e.g. {"risk_class": ("severe",)}; empty = always
    requirement_zh: str  # the rectification requirement if the answer is a finding
    requirement_en: str
    deadline_days: int | None  # default correction deadline for a finding ([U], from the data)
    #: a key item (关键项/否决项): a 不符合 here decides an audit's overall result (grading.yaml)
    key: bool = False
    #: how sure the article cited in ``legal_basis`` is ("" = checked; else what is unsure)
    basis_confidence: str = ""

    def applies(self, context: Mapping[str, str]) -> bool:
        """Whether the item is asked for this context: every condition key must be present in
        ``context`` with one of the listed values (a missing key means "does not apply")."""
        return all(context.get(key) in values for key, values in self.condition.items())

    def text(self) -> str:
        return _pick(self.text_zh, self.text_en)

    def section(self) -> str:
        return _pick(self.section_zh, self.section_en)

    def requirement(self) -> str:
        return _pick(self.requirement_zh, self.requirement_en)


@dataclass(frozen=True)
class ChecklistTemplate:
    id: str
    version: int
    kind: str  # three_simultaneities | … (the inspection kind)
    stage: str  # for three_simultaneities: a code of resources/checklists/stages.yaml
    title_zh: str
    title_en: str
    source: str
    answer_types: Mapping[str, AnswerType]  # the types the items use, so a snapshot is whole
    items: tuple[ChecklistItem, ...]
    #: the ``Enterprise.org_kind`` values the template audits (empty = any; 三同时 templates)
    org_kinds: tuple[str, ...] = ()

    def title(self) -> str:
        return _pick(self.title_zh, self.title_en)

    def applicable_items(self, context: Mapping[str, str]) -> list[ChecklistItem]:
        return [item for item in self.items if item.applies(context)]

    def item(self, item_id: str) -> ChecklistItem:
        """The item ``item_id``; ``KeyError`` (with a readable message) if there is none."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(tr("checklists.template.unknown_item", template=self.id, item=item_id))

    def answer_type_for(self, item_id: str) -> AnswerType:
        return self.answer_types[self.item(item_id).answer_type]

    def option(self, item_id: str, answer: str) -> AnswerOption:
        """The option ``answer`` of the item's answer type; ``ValueError`` if it has none."""
        kind = self.answer_type_for(item_id)
        option = kind.option(answer)
        if option is None:
            raise ValueError(tr("checklists.template.unknown_answer", item=item_id, answer=answer,
                                allowed=", ".join(kind.codes())))
        return option

    def is_finding(self, item_id: str, answer: str) -> bool:
        """Whether ``answer`` to the item is a finding. Unanswered (``""``) is not; an answer code
        the item's type does not have raises ``ValueError``; an unknown item ``KeyError``."""
        if not answer:
            self.item(item_id)
            return False
        return self.option(item_id, answer).finding

    def photo_required(self, item_id: str, answer: str) -> bool:
        """Whether the answer given needs at least one photo under the item's photo rule."""
        item = self.item(item_id)
        if item.photo == "always":
            return bool(answer) and not self._not_applicable(item, answer)
        if item.photo == "on_finding":
            return self.is_finding(item_id, answer)
        return False

    def _not_applicable(self, item: ChecklistItem, answer: str) -> bool:
        return answer == "not_applicable" and self.answer_types[item.answer_type].option(
            answer) is not None

    # ------------------------------------------------------------------------ snapshots

    def to_snapshot(self) -> dict[str, Any]:
        """The whole template as plain JSON-ready data (lists, dicts, str, int, bool, None)."""
        return {
            "format": SNAPSHOT_FORMAT,
            "id": self.id,
            "version": self.version,
            "kind": self.kind,
            "stage": self.stage,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "source": self.source,
            "org_kinds": list(self.org_kinds),
            "answer_types": {
                type_id: {
                    "options": [
                        {"code": o.code, "label_zh": o.label_zh, "label_en": o.label_en,
                         "finding": o.finding}
                        for o in kind.options
                    ]
                }
                for type_id, kind in self.answer_types.items()
            },
            "items": [
                {
                    "id": i.id,
                    "section_zh": i.section_zh,
                    "section_en": i.section_en,
                    "text_zh": i.text_zh,
                    "text_en": i.text_en,
                    "legal_basis": i.legal_basis,
                    "answer_type": i.answer_type,
                    "photo": i.photo,
                    "condition": {key: list(values) for key, values in i.condition.items()},
                    "requirement_zh": i.requirement_zh,
                    "requirement_en": i.requirement_en,
                    "deadline_days": i.deadline_days,
                    "key": i.key,
                    "basis_confidence": i.basis_confidence,
                }
                for i in self.items
            ],
        }

    @classmethod
    def from_snapshot(cls, data: Mapping[str, Any]) -> ChecklistTemplate:
        """The template stored by ``to_snapshot``; ``ValueError`` if the data is not one."""
        try:
            if data["format"] != SNAPSHOT_FORMAT:
                raise ValueError(f"format {data['format']!r}")
            answer_types = FrozenMap(
                (str(type_id), AnswerType(str(type_id), tuple(
                    AnswerOption(str(o["code"]), str(o["label_zh"]), str(o["label_en"]),
                                 _bool(o["finding"]))
                    for o in kind["options"])))
                for type_id, kind in data["answer_types"].items()
            )
            items = tuple(_item_from_snapshot(raw, answer_types) for raw in data["items"])
            template = cls(
                id=str(data["id"]), version=_int(data["version"]), kind=str(data["kind"]),
                stage=str(data["stage"]), title_zh=str(data["title_zh"]),
                title_en=str(data["title_en"]), source=str(data["source"]),
                answer_types=answer_types, items=items,
                org_kinds=tuple(str(k) for k in data.get("org_kinds", ())),
            )
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise ValueError(tr("checklists.snapshot.invalid", problem=f"{type(exc).__name__}: "
                                f"{exc}")) from exc
        if len({i.id for i in items}) != len(items):
            raise ValueError(tr("checklists.snapshot.invalid", problem="duplicate item id"))
        return template


def _item_from_snapshot(raw: Mapping[str, Any],
                        answer_types: Mapping[str, AnswerType]) -> ChecklistItem:
    photo = raw["photo"]
    if photo not in PHOTO_RULES:
        raise ValueError(f"photo rule {photo!r}")
    if raw["answer_type"] not in answer_types:
        raise ValueError(f"answer type {raw['answer_type']!r}")
    deadline = raw["deadline_days"]
    return ChecklistItem(
        id=str(raw["id"]), section_zh=str(raw["section_zh"]), section_en=str(raw["section_en"]),
        text_zh=str(raw["text_zh"]), text_en=str(raw["text_en"]),
        legal_basis=str(raw["legal_basis"]), answer_type=str(raw["answer_type"]), photo=photo,
        condition=FrozenMap((str(k), tuple(str(v) for v in values))
                            for k, values in raw["condition"].items()),
        requirement_zh=str(raw["requirement_zh"]), requirement_en=str(raw["requirement_en"]),
        deadline_days=None if deadline is None else _int(deadline),
        # absent from snapshots taken before issue 5: not key, basis as checked then
        key=_bool(raw.get("key", False)), basis_confidence=str(raw.get("basis_confidence", "")),
    )


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"not an integer: {value!r}")
    return value


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"not true/false: {value!r}")
    return value
