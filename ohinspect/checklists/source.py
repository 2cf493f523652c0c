"""YAML read with line numbers, and field checks whose errors name the file, line and item.

PyYAML's safe constructor is kept for scalars; mappings and sequences are built as ``LineMap`` /
``LineList``, which remember the 1-based line of the node and of each key or entry. A key given
twice in one mapping is an error (plain PyYAML would silently keep the last one).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from ohinspect.errors import DataFileError
from ohinspect.i18n import tr

_BASE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: ids of templates, items, sections, stages, answer types and codes: lower-case, ≤ 60 chars
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")
ID_MAX = 60


class SourceError(DataFileError):
    """A data file of the checklist engine is malformed; ``item`` is the checklist item (if any)."""

    def __init__(self, path: str, problem: str, line: int | None = None,
                 item: str | None = None) -> None:
        super().__init__(path, problem, line)
        self.item = item


class LineMap(dict[str, Any]):
    """A mapping read from YAML: ``line`` of the mapping, ``key_lines[key]`` of each key."""

    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.key_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list[Any]):
    """A sequence read from YAML: ``line`` of the sequence, ``item_lines[i]`` of each entry."""

    line: int = 0

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.item_lines: list[int] = []


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int, first: int) -> None:
        super().__init__(key)
        self.key, self.line, self.first = key, line, first


class _BadKey(Exception):
    def __init__(self, key: object, line: int) -> None:
        super().__init__(key)
        self.key, self.line = key, line


class _Loader(_BASE_LOADER):  # type: ignore[valid-type,misc]
    pass


def _construct_map(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LineMap:
    loader.flatten_mapping(node)
    result = LineMap()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str):
            raise _BadKey(key, line)
        if key in result:
            raise _DuplicateKey(key, line, result.key_lines[key])
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


def _construct_seq(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


def read_yaml(path: Path) -> Any:
    """The YAML document in ``path`` with line numbers; malformed YAML → ``SourceError`` + line."""
    where = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        error = getattr(exc, "strerror", None) or str(exc)
        raise SourceError(where, tr("checklists.file.unreadable", error=error)) from exc
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    except _DuplicateKey as exc:
        raise SourceError(where, tr("checklists.file.duplicate_key", key=exc.key, first=exc.first),
                          exc.line) from None
    except _BadKey as exc:
        raise SourceError(where, tr("checklists.file.bad_key", key=exc.key), exc.line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = " ".join(str(p) for p in (exc.context, exc.problem) if p) or str(exc)
        raise SourceError(where, tr("checklists.file.bad_yaml", detail=detail),
                          mark.line + 1 if mark else None) from None
    except yaml.YAMLError as exc:
        raise SourceError(where, tr("checklists.file.bad_yaml", detail=str(exc))) from None
    finally:
        loader.dispose()


# ----------------------------------------------------------------------------- field checks

TEXT, INTEGER, BOOLEAN, MAPPING, LIST, ANY = "text", "integer", "boolean", "mapping", "list", "any"


class Checker:
    """Checks the values read from one file; every ``fail`` names the file and a line."""

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)

    def fail(self, line: int | None, message: str, *, item: str | None = None,
             **values: object) -> SourceError:
        """The error ``message`` (an i18n key, formatted with ``values`` and ``item``) at
        ``line``, to raise."""
        return SourceError(self.path, tr(message, item=item, **values), line or None, item)

    def mapping(self, value: Any, where: str, line: int, *, item: str | None = None) -> LineMap:
        if not isinstance(value, LineMap):
            raise self.fail(line, "checklists.field.not_mapping", where=where, item=item)
        return value

    def entries(self, parent: LineMap, name: str, where: str, *,
                item: str | None = None) -> Iterator[tuple[int, int, Any]]:
        """``(1-based index, line, entry)`` of the non-empty list ``parent[name]``."""
        value = parent.get(name)
        if not isinstance(value, LineList) or not value:
            raise self.fail(parent.line_of(name), "checklists.field.not_list", where=where,
                            field=name, item=item)
        for index, (entry, line) in enumerate(zip(value, value.item_lines, strict=True), 1):
            yield index, line, entry

    def fields(self, data: LineMap, where: str, required: Mapping[str, str],
               optional: Mapping[str, str] | None = None, *, item: str | None = None) -> None:
        """No field outside ``required`` ∪ ``optional``; every required one present; each of the
        expected kind (``TEXT`` means non-empty text; ``None`` is allowed for optional fields)."""
        optional = optional or {}
        for key in data:
            if key not in required and key not in optional:
                raise self.fail(data.line_of(key), "checklists.field.unknown", where=where,
                                field=key, item=item)
        for key in required:
            if key not in data or data[key] is None or data[key] == "":
                raise self.fail(data.line_of(key), "checklists.field.missing", where=where,
                                field=key, item=item)
        for key, kind in {**optional, **required}.items():
            if key in data and not (key in optional and data[key] is None):
                self.kind(data, key, kind, where, item=item)

    def kind(self, data: LineMap, key: str, kind: str, where: str, *,
             item: str | None = None) -> None:
        value = data[key]
        line = data.line_of(key)
        checks: dict[str, tuple[Callable[[Any], bool], str]] = {
            TEXT: (lambda v: isinstance(v, str) and bool(v.strip()), "checklists.field.not_text"),
            INTEGER: (lambda v: isinstance(v, int) and not isinstance(v, bool),
                      "checklists.field.not_integer"),
            BOOLEAN: (lambda v: isinstance(v, bool), "checklists.field.not_boolean"),
            MAPPING: (lambda v: isinstance(v, LineMap), "checklists.field.not_mapping_field"),
            LIST: (lambda v: isinstance(v, LineList) and bool(v), "checklists.field.not_list"),
            ANY: (lambda v: True, ""),
        }
        ok, message = checks[kind]
        if not ok(value):
            raise self.fail(line, message, where=where, field=key, value=_show(value), item=item)

    def identifier(self, data: LineMap, key: str, where: str, *, item: str | None = None) -> str:
        value = data[key]
        if not isinstance(value, str) or not ID_PATTERN.match(value) or len(value) > ID_MAX:
            raise self.fail(data.line_of(key), "checklists.field.bad_id", where=where, field=key,
                            value=_show(value), max=ID_MAX, item=item)
        return value


def _show(value: object) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


REQUIRED_META = {"id": TEXT, "title": TEXT, "source": TEXT, "edition": ANY, "version": ANY}
OPTIONAL_META = {"verified": TEXT, "deadlines": TEXT, "notes": TEXT}


def check_meta(check: Checker, meta: LineMap) -> int:
    """Check a ``meta`` block (the house's keys, see ohinspect.resources; a few optional notes);
    return its ``version``, which must be a positive integer."""
    where = tr("checklists.where.block", block="meta")
    check.fields(meta, where, REQUIRED_META, OPTIONAL_META)
    version = meta["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise check.fail(meta.line_of("version"), "checklists.version.not_integer",
                         value=_show(version))
    return version
