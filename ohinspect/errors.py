"""Errors the user may see. Each carries a specific, translatable message; none is a traceback."""

from __future__ import annotations

from dataclasses import dataclass, field


class OHInspectError(Exception):
    """Base for every error that is reported to the user as one clear sentence."""

    def user_message(self) -> str:
        return str(self)


class DataFileError(OHInspectError):
    """A data file under resources/ (or one the user supplied) is malformed."""

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        self.path, self.problem, self.line = path, problem, line
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {problem}")


class StoreError(OHInspectError):
    """The local store cannot be opened, migrated or written; the file was left untouched."""


class NotFoundError(OHInspectError):
    """A record id that does not exist (or is deleted where that matters)."""


class LockedRecordError(OHInspectError):
    """A write to a signed (frozen) record; corrections must be amendments."""


@dataclass
class FieldProblem:
    """One problem with one form field: ``field`` is the model attribute, ``message`` localised."""

    field: str
    code: str
    message: str
    overridable: bool = False  # a warning the user may accept with a recorded reason


@dataclass
class ValidationError(OHInspectError):
    """A form or record failed validation; nothing was written."""

    problems: list[FieldProblem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.user_message())

    def user_message(self) -> str:
        return "; ".join(f"{p.field}: {p.message}" for p in self.problems)

    def for_field(self, name: str) -> list[FieldProblem]:
        return [p for p in self.problems if p.field == name]
