"""All of veille's errors, each with a code and a message that says what to do.

Library code raises these; the CLI turns them into one-line hints and exit codes
(0 done, 1 failure, 2 usage).
"""

from __future__ import annotations


class VeilleError(Exception):
    """Base class: ``code`` identifies the error in docs and logs."""

    code = "V000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")


class UsageError(VeilleError):
    code = "V001"


class InputNotFound(UsageError):
    code = "V002"


class ReaderError(VeilleError):
    """A source could not be read at all (the file, not one record)."""

    code = "V010"


class CleanError(VeilleError):
    """A report could not be turned into a usable document."""

    code = "V020"


class StoreError(VeilleError):
    code = "V030"


class StoreLocked(StoreError):
    code = "V031"


class StoreUnwritable(StoreError):
    code = "V032"


class StoreDamaged(StoreError):
    """The store file is cut short or corrupt: answers from it would be wrong."""

    code = "V033"


class NotAStore(StoreError):
    """The file is not a DuckDB database (an SQLite file, a CSV …)."""

    code = "V034"


class ModelMissing(VeilleError):
    code = "V040"


class ModelMismatch(VeilleError):
    """A shipped learned model was built for other features, another spaCy model or another
    scikit-learn: its predictions would be wrong, so it is not used."""

    code = "V041"


class TableError(VeilleError):
    """A language table (TSV) is malformed."""

    code = "V050"


class EngineError(VeilleError):
    """A worker died or a task failed in a way that stops the run."""

    code = "V060"
