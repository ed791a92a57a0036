"""The exception hierarchy of kg: every error the library raises derives from KGError.

The CLI maps each class to an exit code and prints one line; library callers can catch
``KGError`` to handle all of them.
"""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error raised by kg."""

    exit_code = 1


class InputError(KGError):
    """Raised when a source path, file or record cannot be read as an article."""

    exit_code = 2


class UsageError(KGError):
    """Raised when arguments do not fit what they name: an unknown column, a repeated parameter."""

    exit_code = 2


class SettingsError(KGError):
    """Raised when a setting (flag, environment variable, config file) is invalid."""

    exit_code = 2


class ModelError(KGError):
    """Raised when the configured spaCy pipeline cannot be loaded."""

    exit_code = 3


class ExtractionError(KGError):
    """Raised when an article cannot be processed by the extraction pipeline."""


class OntologyError(KGError):
    """Raised when the ontology or the SHACL shapes cannot be loaded."""


class StoreError(KGError):
    """Raised when the RDF store cannot be opened, read or written."""

    exit_code = 4


class StoreLockedError(StoreError):
    """Raised when another process holds the on-disk store."""


class StoreReadOnlyError(StoreError):
    """Raised when a command that writes meets a store it may only read (permissions, a
    read-only mount)."""


class StoreCorruptError(StoreError):
    """Raised when the on-disk store's files are damaged (the database reports corruption)."""


class QueryError(KGError):
    """Raised for an unknown query name, a SPARQL syntax error or a bad parameter."""

    exit_code = 5


class LinkingError(KGError):
    """Raised when the gazetteer or the Wikidata service cannot be used."""


class EvaluationError(KGError):
    """Raised when gold annotations cannot be read or matched to texts."""


class LexiconError(KGError):
    """Raised when a data file of the lexicon or of the rules is missing, malformed or lacks an entry."""
