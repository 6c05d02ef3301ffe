"""Speed must not change results: the compiled cue matcher equals spaCy's SpanRuler, the gate changes nothing,
and any number of processes gives the same outcomes in the same order."""

from __future__ import annotations

import json

import pytest

from evidence_tables.demo import demo_corpus
from evidence_tables.extractor import Extractor
from evidence_tables.extractor.parallel import extract_many
from evidence_tables.extractor.pipeline import CUES_KEY, build_nlp, build_reference_nlp
from evidence_tables.extractor.segment import sentences


def own_texts(fixtures) -> list[str]:
    texts = [json.loads(line)["abstract"] for line in demo_corpus().read_text().splitlines()]
    texts += [
        json.loads(line).get("abstract") or json.loads(line)["text"]
        for line in (fixtures / "studies.jsonl").read_text().splitlines()
    ]
    return texts


def shared_texts(shared, n: int) -> list[str]:
    lines = (shared / "data/abstracts/real_abstracts.jsonl").read_text().splitlines()[:n]
    gold = (shared / "eval/dev_gold.jsonl").read_text().splitlines()
    return [json.loads(line)["text"] for line in lines + gold]


def spans(nlp, texts):
    sents = [t[s:e] for t in texts for s, e in sentences(t)]
    return [
        sorted((s.start, s.end, s.label_, s.id_) for s in doc.spans[CUES_KEY])
        for doc in nlp.pipe(sents)
    ]


def outcomes(extractor, texts):
    return [outs for _, outs in extractor.pipe((t, i) for i, t in enumerate(texts))]


def test_compiled_cues_equal_span_ruler(fixtures):
    texts = own_texts(fixtures)
    assert spans(build_nlp(), texts) == spans(build_reference_nlp(), texts)


def test_gate_changes_nothing(fixtures):
    texts = own_texts(fixtures)
    gated, full = outcomes(Extractor(gate=True), texts), outcomes(Extractor(gate=False), texts)
    assert sum(map(len, gated)) > 30
    assert gated == full


@pytest.mark.shared
def test_gate_and_cues_on_real_abstracts(shared):
    texts = shared_texts(shared, 400)
    assert spans(build_nlp(), texts) == spans(build_reference_nlp(), texts)
    assert outcomes(Extractor(gate=True), texts) == outcomes(Extractor(gate=False), texts)


def test_registered_tokenizer_equals_english_with_the_fixes_set_on_it(fixtures):
    """The tokenizer built once from the config splits as spaCy's English one does with the affixes set after."""
    import spacy
    from spacy.util import compile_infix_regex, compile_prefix_regex

    from evidence_tables.extractor.pipeline import _INFIXES, _PREFIXES, TOKENIZER_CACHE

    reference = spacy.blank("en")
    reference.tokenizer.infix_finditer = compile_infix_regex(
        list(reference.Defaults.infixes) + _INFIXES
    ).finditer
    reference.tokenizer.prefix_search = compile_prefix_regex(
        list(reference.Defaults.prefixes) + _PREFIXES
    ).search
    nlp = build_nlp()
    texts = own_texts(fixtures) + [
        "n=120, 95%CI 4.1\u20136.3, \u226565 y, ~40%, don't (e.g. U.S.), http://x.org/a?b=1 :) 5'-UTR"
    ]
    assert len(texts) > 5
    for text in texts:
        assert [(t.text, t.idx) for t in nlp.tokenizer(text)] == [
            (t.text, t.idx) for t in reference.tokenizer(text)
        ]
    assert nlp.tokenizer.max_cache_size == TOKENIZER_CACHE


def test_one_and_two_processes_agree(fixtures):
    texts = own_texts(fixtures) * 3
    items = [(t, i) for i, t in enumerate(texts)]
    one = list(extract_many(items, jobs=1, chunk_size=5))
    two = list(extract_many(items, jobs=2, chunk_size=5))
    assert [k for k, _ in two] == list(range(len(texts)))
    assert one == two


def test_refreshing_the_pipeline_changes_nothing(fixtures, monkeypatch):
    import evidence_tables.extractor.parallel as parallel

    items = [(t, i) for i, t in enumerate(own_texts(fixtures))]
    whole = list(extract_many(items, chunk_size=4))
    built = []
    new = parallel._new
    monkeypatch.setattr(parallel, "_new", lambda gate: built.append(1) or new(gate))
    assert list(extract_many(items, chunk_size=4, refresh=10)) == whole
    assert len(built) > 2  # new words grew the vocabulary past 10 strings again and again


def test_text_with_no_new_words_keeps_the_pipeline(fixtures, monkeypatch):
    """The rebuild follows the vocabulary, not the count of abstracts: the same texts again add no strings."""
    import evidence_tables.extractor.parallel as parallel

    items = [(t, i) for i, t in enumerate(own_texts(fixtures))]
    probe = Extractor()
    before = len(probe.nlp.vocab.strings)
    list(probe.pipe(items))
    growth = len(probe.nlp.vocab.strings) - before  # what one pass adds; later passes add nothing
    assert 0 < growth < len(items) * 40  # so a count of abstracts as large would have rebuilt
    built = []
    new = parallel._new
    monkeypatch.setattr(parallel, "_new", lambda gate: built.append(1) or new(gate))
    list(extract_many(items * 40, chunk_size=4, refresh=growth))
    assert len(built) == 1


def test_a_worker_error_reaches_the_caller(fixtures, monkeypatch, pool_faults):
    """A pipeline that cannot be built in a worker raises in the caller (no hang, no respawn loop)."""
    import evidence_tables.extractor.parallel as parallel
    from evidence_tables.extractor.errors import PatternError

    monkeypatch.setattr(
        parallel, "_new", pool_faults.broken_pipeline
    )  # sent to the workers by reference
    items = [(t, i) for i, t in enumerate(own_texts(fixtures))]
    with pytest.raises(PatternError, match=r"patterns/x.jsonl:3: bad rule") as info:
        list(extract_many(items, jobs=2, chunk_size=2))
    assert info.value.line == 3


def test_broken_rule_files_are_reported_before_workers_start(fixtures, monkeypatch):
    import evidence_tables.extractor.rules as rules
    from evidence_tables.extractor.errors import PatternError

    def broken():
        raise PatternError("not JSON", file="patterns/cohort.jsonl", line=7)

    monkeypatch.setattr(rules, "load_patterns", broken)
    _no_workers(monkeypatch)
    with pytest.raises(PatternError, match="cohort.jsonl:7"):
        list(extract_many([("text", 0)], jobs=2))


def test_nothing_to_extract_starts_no_workers(monkeypatch):
    """`import --extract` ends by extracting studies left pending from before; most often there are
    none, and forking a pool of workers for them cost the end of every run."""
    _no_workers(monkeypatch)
    assert list(extract_many(iter([]), jobs=2)) == []


def test_workers_started_before_the_first_item_agree_and_leave_when_there_is_none(
    fixtures, monkeypatch
):
    """`eager`: the workers start before the first item is read (an import starts them before its first
    transaction, and they build their pipelines while it parses)."""
    import evidence_tables.extractor.parallel as parallel

    texts = own_texts(fixtures)
    items = [(t, i) for i, t in enumerate(texts)]
    read: list[int] = []
    started: list[int] = []
    real = parallel._pool

    def pool(*args, **kwargs):
        started.append(len(read))
        return real(*args, **kwargs)

    def reading():
        for item in items:
            read.append(1)
            yield item

    monkeypatch.setattr(parallel, "_pool", pool)
    assert list(extract_many(reading(), jobs=2, chunk_size=5, eager=True)) == list(
        extract_many(items, jobs=1, chunk_size=5)
    )
    assert started == [0]  # before any item was read
    assert list(extract_many(iter([]), jobs=2, eager=True)) == []


def _no_workers(monkeypatch):
    monkeypatch.setattr(
        "evidence_tables.extractor.parallel._pool", lambda *a, **k: pytest.fail("workers started")
    )
    monkeypatch.setattr(
        "concurrent.futures.ProcessPoolExecutor.submit", lambda *a, **k: pytest.fail("pool started")
    )


def test_where_there_is_no_forkserver_spawned_workers_agree(fixtures, monkeypatch):
    """A Pool of spawned workers (Windows: no forkserver), each building its own pipeline, gives the same
    outcomes in the same order."""
    import evidence_tables.extractor.parallel as parallel

    texts = own_texts(fixtures)
    items = [(t, i) for i, t in enumerate(texts)]
    one = list(extract_many(items, jobs=2, chunk_size=5))
    monkeypatch.setattr(
        parallel.multiprocessing, "get_all_start_methods", lambda: ["fork", "spawn"]
    )
    assert parallel._context().get_start_method() == "spawn"
    assert list(extract_many(items, jobs=2, chunk_size=5)) == one


def test_a_killed_worker_stops_the_extraction_with_an_error(fixtures, monkeypatch, pool_faults):
    """Not a hang: the caller learns that a worker died (here, the text 'die' kills its worker)."""
    import evidence_tables.extractor.parallel as parallel
    from evidence_tables.extractor.errors import WorkerLost

    monkeypatch.setattr(parallel, "_new", pool_faults.mortal)
    items = [(t, i) for i, t in enumerate(own_texts(fixtures))]
    items.insert(7, ("die", "x"))
    with pytest.raises(WorkerLost, match="ended unexpectedly"):
        list(extract_many(items, jobs=2, chunk_size=3))
