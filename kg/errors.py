"""Exceptions the library raises; the CLI maps each to a one-line message."""
from __future__ import annotations


class KGError(Exception):
    """Base class: a problem the user can fix. ``str(err)`` is a complete one-line message."""


class InputError(KGError):
    """An input file or line could not be read as an article.

    Carries the path (and line, for JSONL) so the message names them.
    """

    def __init__(self, path: str, problem: str, line: int | None = None):
        self.path, self.problem, self.line = str(path), problem, line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


class ModelError(KGError):
    """No usable spaCy model."""


class NothingBuilt(KGError):
    """Every input was skipped, so there is no graph to write."""


class OutputError(KGError):
    """An output directory cannot be read or written."""
