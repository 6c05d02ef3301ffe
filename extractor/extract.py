"""Extractor: abstract text in, `Outcome` records out (the package's main entry point)."""
from __future__ import annotations

import re

from collections.abc import Iterable, Iterator
from importlib import metadata
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from extractor.document import build_document
from extractor.errors import ExtractionError
from extractor.arms import Arms
from extractor.measures.cohort import cohort_size
from extractor.measures.relapse import relapse_rates
from extractor.measures.response import cr_rates
from extractor.measures.survival import median_os
from extractor.pipeline import build_nlp, rules_version
from extractor.records import Outcome

K = TypeVar("K")


def extractor_version() -> str:
    """Package version plus a hash of the rules: stored with every value; a change re-extracts."""
    try:
        base = metadata.version("evidence")
    except metadata.PackageNotFoundError:
        base = "0"
    return f"{base}+rules.{rules_version()}"


def outcomes_from_doc(doc: Doc) -> list[Outcome]:
    """All four measures from one processed Doc (read while the Doc is alive)."""
    d = build_document(doc)
    arms = Arms.of(d)
    return cohort_size(d, arms) + relapse_rates(d, arms) + median_os(d, arms) + cr_rates(d, arms)


class Extractor:
    """The rule pipeline with its version; build once, reuse for every abstract."""

    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = nlp if nlp is not None else build_nlp()
        self.version = extractor_version()

    def extract(self, text: str) -> list[Outcome]:
        """Outcomes of one abstract; offsets index `text` exactly."""
        return outcomes_from_doc(self.nlp(text))

    def pipe(self, items: Iterable[tuple[str, K]], *, batch_size: int = 64) -> Iterator[tuple[K, list[Outcome]]]:
        """(text, key) pairs in, (key, outcomes) out, in order, through spaCy's batched `nlp.pipe`."""
        for doc, key in self.nlp.pipe(items, as_tuples=True, batch_size=batch_size):
            try:
                yield key, outcomes_from_doc(doc)
            except (ValueError, IndexError, KeyError, re.error) as exc:
                raise ExtractionError(f"extraction failed for {key}: {exc}") from exc
