"""build_nlp: the one place that knows the spaCy pipeline.

A blank English pipeline (no model download) with
- tokenizer infixes that split ``n=120``, ``95%CI``, ``30/52`` and ``4.1–6.3``;
- a sentencizer, then `sentence_fixes` (no break after "et al.", "vs.", "approx.",
  before a lowercase word or a bracket; a break at every line break);
- `cue_ruler`: a SpanRuler over token patterns kept as data (patterns/*.jsonl);
- `regimen_ruler` and `acronym_ruler`: SpanRulers over the regimen lexicon
  (lexicon/regimens.tsv), ignoring case for names and exact for acronyms.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

from extractor.errors import PatternError
from extractor.lexicon import Lexicon, load_lexicon

CUES_KEY = "cues"
REGIMENS_KEY = "regimens"
_INFIXES = [
    r"(?<=[0-9])%(?=[A-Za-z])",
    r"(?<=[0-9])[\-\u2010\u2011\u2012\u2013\u2014\u2212](?=[0-9.\u00b7])",
    r"(?<=[A-Za-z0-9])[=<>\u2264\u2265/](?=[0-9.])",
    r"(?<=[A-Za-z])[\u2264\u2265<>=](?=[A-Za-z])",
]
_PREFIXES = [r"[\u2264\u2265~\u2248]"]
# Tokens after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    "al approx vs v no nos fig figs ca cf resp mo mos yr yrs wk wks pts pt incl e.g i.e eg ie dr min max "
    "approx med est".split()
)


@Language.component("sentence_fixes")
def sentence_fixes(doc: Doc) -> Doc:
    """Mend the sentencizer's breaks for abstracts (abbreviations, brackets, line breaks)."""
    for i, tok in enumerate(doc):
        if i == 0:
            continue
        prev = doc[i - 1]
        if tok.is_space:
            tok.is_sent_start = False
        elif "\n" in prev.text and prev.is_space:
            tok.is_sent_start = True
        elif tok.is_sent_start and not tok.is_space:
            before = doc[i - 2].lower_ if i >= 2 else ""
            first = tok.text[0]
            if (prev.text == "." and before in ABBREVIATIONS) or first.islower() or first in "([,;%":
                tok.is_sent_start = False
    return doc


def _pattern_files() -> list[Any]:
    folder = resources.files("extractor") / "patterns"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".jsonl")), key=lambda f: f.name)


def load_patterns() -> list[dict[str, Any]]:
    """All cue patterns, each with `id`, `label`, `pattern` and an `example` it must match."""
    patterns: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for f in _pattern_files():
        for number, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                raise PatternError(f"invalid JSON: {exc.msg}", file=f.name, line=number) from exc
            missing = {"id", "label", "pattern", "example"} - set(entry)
            if missing:
                raise PatternError(f"missing {', '.join(sorted(missing))}", file=f.name, line=number)
            if entry["id"] in seen:
                raise PatternError(f"duplicate id {entry['id']!r} (also in {seen[entry['id']]})", file=f.name, line=number)
            seen[entry["id"]] = f"{f.name}:{number}"
            patterns.append(entry)
    return patterns


@lru_cache(maxsize=1)
def rules_version() -> str:
    """A short hash of every rule file, lexicon and extractor module: changes force re-extraction."""
    digest = hashlib.sha256()
    root = resources.files("extractor")
    for sub in ("patterns", "lexicon", "."):
        folder = root / sub if sub != "." else root
        for f in sorted(folder.iterdir(), key=lambda x: x.name):
            if f.name.endswith((".jsonl", ".tsv", ".py")):
                digest.update(f.name.encode())
                digest.update(f.read_bytes())
    measures = root / "measures"
    for f in sorted(measures.iterdir(), key=lambda x: x.name):
        if f.name.endswith(".py"):
            digest.update(f.read_bytes())
    return digest.hexdigest()[:10]


def build_nlp(lexicon: Lexicon | None = None) -> Language:
    """The rule pipeline: tokenizer fixes, sentences, cue spans and regimen spans."""
    nlp = spacy.blank("en")
    infixes = list(nlp.Defaults.infixes) + _INFIXES
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    prefixes = list(nlp.Defaults.prefixes) + _PREFIXES
    nlp.tokenizer.prefix_search = spacy.util.compile_prefix_regex(prefixes).search
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("sentence_fixes")
    ruler = nlp.add_pipe("span_ruler", name="cue_ruler",
                         config={"spans_key": CUES_KEY, "validate": True, "overwrite": False})
    ruler.add_patterns([{k: p[k] for k in ("id", "label", "pattern")} for p in load_patterns()])
    lex = lexicon or load_lexicon()
    reg = nlp.add_pipe("span_ruler", name="regimen_ruler",
                       config={"spans_key": REGIMENS_KEY, "phrase_matcher_attr": "LOWER", "validate": True})
    reg.add_patterns(lex.span_patterns())
    acr = nlp.add_pipe("span_ruler", name="acronym_ruler",
                       config={"spans_key": REGIMENS_KEY, "phrase_matcher_attr": "ORTH", "validate": True,
                               "overwrite": False})
    acr.add_patterns(lex.acronym_patterns())
    return nlp
