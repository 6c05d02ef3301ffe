"""The extractor's version, stored with every value: a study extracted by another version is extracted again.

It is made of two parts:
- `RULES_VERSION`, a number kept by hand for the rules' code (the `.py` modules of this package). Bump
  it in the commit that changes what the extractor outputs for some text (a value, a group, a flag, an
  offset, a rule id); a change that alters no output (a comment, a rename, a faster way to the same
  result) keeps it, and the stored values stay as they are. When in doubt, bump: a needless bump costs
  one re-extraction, a missing one leaves stale values in every database.
- a hash of the rule data: the cue patterns (`patterns/*.jsonl`) and the lexicon (`lexicon/*`). Any edit
  to them changes the version by itself.

Importable without spaCy (the process that writes results does not need a pipeline).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

RULES_VERSION = 21  # the rules' code: bump it when a code change alters the output (see above)
_DATA = (
    ("patterns", ".jsonl"),
    ("lexicon", ""),
)  # (folder, file name ending) of the hashed rule data


def _data_files(root: Traversable | Path) -> Iterator[tuple[str, Traversable | Path]]:
    for folder, ending in _DATA:
        for f in sorted((root / folder).iterdir(), key=lambda x: x.name):
            if f.is_file() and f.name.endswith(ending) and not f.name.startswith("."):
                yield f"{folder}/{f.name}", f


def data_hash(root: Traversable | Path) -> str:
    """A short hash of the rule data under `root` (the extractor package's folder): patterns and lexicon."""
    digest = hashlib.sha256()
    for name, f in _data_files(root):
        digest.update(name.encode() + b"\0")
        digest.update(f.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:10]


@lru_cache(maxsize=1)
def rules_version() -> str:
    """RULES_VERSION and the hash of the installed rule data."""
    return f"{RULES_VERSION}+data.{data_hash(resources.files('evidence_tables.extractor'))}"


def extractor_version() -> str:
    """The version stored with every value; a study stored with another is extracted again."""
    return f"rules.{rules_version()}"
