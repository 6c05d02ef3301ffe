"""Record types produced by every corpus reader."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """One study abstract, with the metadata a reviewer cites it by.

    `abstract` is the exact text that extracted offsets index into; structured
    abstracts keep their section labels as ``LABEL: text`` paragraphs.
    """

    study_id: str
    abstract: str
    title: str | None = None
    pmid: str | None = None
    doi: str | None = None
    journal: str | None = None
    year: int | None = None
    authors: tuple[str, ...] = ()
    publication_types: tuple[str, ...] = ()
    source: str | None = None
    location: str | None = field(default=None, compare=False)
    # Hash of the abstract (what offsets index): a changed hash means re-extraction. The title is
    # metadata: correcting it keeps the extracted values and reviews. Hashed once, as the record is made
    # (an import reads it twice per record).
    text_sha256: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # "surrogatepass": a record whose text holds an unpaired surrogate (from JSON) can still be made,
        # and then rejected by name (corpus.limits.screen) instead of failing here.
        data = self.abstract.encode("utf-8", "surrogatepass")
        object.__setattr__(self, "text_sha256", hashlib.sha256(data).hexdigest())


@dataclass(frozen=True, slots=True, kw_only=True)
class Deletion:
    """A PubMed `DeleteCitation`: these PMIDs were withdrawn from PubMed."""

    pmids: tuple[str, ...]
    source: str | None = None
    location: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Rejected:
    """A record that was skipped, with where it was and why.

    `is_error` is False for records that are valid but hold nothing to extract
    (a PubMed citation without an abstract): they are counted, not failures.
    """

    source: str
    location: str
    reason: str
    record_id: str | None = None
    is_error: bool = True

    def __str__(self) -> str:
        rid = f" ({self.record_id})" if self.record_id else ""
        return f"{self.source}:{self.location}{rid}: {self.reason}"


Item = Article | Deletion | Rejected
