"""build_nlp: the one place that knows the spaCy pipeline.

A blank English pipeline (no model download) with
- tokenizer infixes that split ``n=120``, ``95%CI``, ``30/52`` and ``4.1–6.3``;
- `cue_matcher`: the token patterns kept as data (patterns/*.jsonl), each with an id
  that is stored with every value it helps extract; it gives the spans spaCy's
  SpanRuler would give for the same patterns, faster (see extractor.cuematch).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import spacy
from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

from evidence_tables.extractor.cuematch import CueMatcher
from evidence_tables.extractor.rules import load_patterns

CUES_KEY = "cues"
_INFIXES = [
    r"(?<=[0-9])%(?=[A-Za-z])",
    r"(?<=[0-9])[\-\u2010\u2011\u2012\u2013\u2014\u2212](?=[0-9.\u00b7])",
    r"(?<=[A-Za-z0-9])[=<>\u2264\u2265/](?=[0-9.])",
    r"(?<=[A-Za-z])[\u2264\u2265<>=](?=[A-Za-z])",
]
_PREFIXES = [r"[\u2264\u2265~\u2248]"]
# How many distinct chunks (text between spaces: 'patients', '(n=120),') the tokenizer remembers how
# to split. spaCy's default, 10,000, is full after a few hundred abstracts and never replaced, so
# every later chunk outside it goes through the prefix, suffix and infix searches again; abstracts
# share far more chunks than that. Tokens are the same either way; the bound keeps memory to a few
# tens of MB.
TOKENIZER_CACHE = 250_000


@spacy.registry.tokenizers("evidence.tokenizer.v1")
def create_tokenizer() -> Callable[[Language], Tokenizer]:
    """English's own tokenizer (its exceptions, prefixes, suffixes and infixes) with the statistics
    fixes above and the larger cache. Registered and named in the config, so the tokenizer is built
    once: setting the affixes on a built one reloads its 4,000 special cases each time, which was a
    third of the time a worker took to build its pipeline."""

    def make(nlp: Language) -> Tokenizer:
        d = nlp.Defaults
        assert (
            d.prefixes is not None and d.suffixes is not None and d.infixes is not None
        )  # English has all
        return Tokenizer(
            nlp.vocab,
            rules=d.tokenizer_exceptions,
            prefix_search=compile_prefix_regex([*d.prefixes, *_PREFIXES]).search,
            suffix_search=compile_suffix_regex(d.suffixes).search,
            infix_finditer=compile_infix_regex([*d.infixes, *_INFIXES]).finditer,
            token_match=d.token_match,
            url_match=d.url_match,
            max_cache_size=TOKENIZER_CACHE,
        )

    return make


def build_nlp() -> Language:
    """The rule pipeline: the blank English tokenizer with statistics fixes, then the cue ruler.

    It parses single sentences (see extractor.document.plan); sentence splitting,
    the regimen lexicon and the sentence rules work on raw text before it.
    """
    nlp = spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": "evidence.tokenizer.v1"}}})
    nlp.add_pipe("cue_matcher")
    return nlp


def build_reference_nlp() -> Language:
    """The same pipeline with spaCy's own SpanRuler in place of `cue_matcher` (the reference it must equal)."""
    nlp = build_nlp()
    nlp.remove_pipe("cue_matcher")
    ruler = cast(
        SpanRuler,
        nlp.add_pipe(
            "span_ruler",
            name="cue_ruler",  # add_pipe is typed as any component
            config={"spans_key": CUES_KEY, "validate": True, "overwrite": False},
        ),
    )
    ruler.add_patterns(
        [{k: p[k] for k in ("id", "label", "pattern")} for p in load_patterns() if "pattern" in p]
    )
    return nlp


@Language.factory("cue_matcher", default_config={"spans_key": CUES_KEY})
def make_cue_matcher(nlp: Language, name: str, spans_key: str) -> CueMatcher:
    """The cue patterns of patterns/*.jsonl, compiled (see extractor.cuematch)."""
    return CueMatcher(nlp, [p for p in load_patterns() if "pattern" in p], spans_key)
