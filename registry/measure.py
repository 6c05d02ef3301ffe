"""What a measure is, said once: the `Measure` record and the registry every layer reads.

A measure (a CR rate, a median OS, ...) is registered once (`register`); the extractor runs its rule,
and the store, the tables, the exports, the review pages and the plots read its definition instead of
naming it. Nothing here imports spaCy, pandas or SQLite, so that the extractor and the db can both
read it without reading each other.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, overload

Kind = Literal["rate", "duration", "count"]
# A rule: (Document, Arms) -> list[Outcome], or where to import it from ("package.module:function").
Rule = Callable[[Any, Any], list[Any]] | str
_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True, slots=True, kw_only=True)
class ViewColumn:
    """A measure's column in the `evidence` view (db.schema): its values of a study, as text.

    `text` is the SQL, over `o` (an outcome row), of one value as a reader sees it; a study's values are
    joined with '; ' in `order`. None: the study's first value, as an integer (a count of patients).
    """

    name: str
    text: str | None = None
    order: str = "o.start"


@dataclass(frozen=True, slots=True, kw_only=True)
class Query:
    """A canned Datasette query over one measure (db.metadata writes its SQL from the measure's kind)."""

    key: str
    title: str
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Measure:
    """One measure, everything the layers need to know of it.

    - `name`: stored in `outcomes.measure` (never rename one); `noun`: how a sentence names it ('CR rate').
    - `kind`: a rate (percent 0-100, pooled as a proportion), a duration (printed unit; plotted in
      months) or a count (of patients). `units`: the units a value may be stored in.
    - `rule`: the extractor's rule, or its import path; `cue_labels`: the labels of its cue patterns
      (extractor/patterns/*.jsonl), which the gate keeps sentences for.
    - `per_study`: one value a study (its size): a study's column in the tables, not a group's.
    - `wide`: its columns in the wide table, each with the long-table column it comes from.
    - `view`: its column of the `evidence` view; `query`: a canned Datasette query.
    - `short`, `header`, `min_width`: its name in the terminal's measure column, and its column there.
    - `axis`: plotted, with this axis label; `pooled`: pooled per regimen (a rate);
      `group_size_rank`: its denominators tell a group's size, lowest rank trusted first.
    - `correctable`: the fields the review page offers for correction.
    """

    name: str
    noun: str
    kind: Kind
    units: tuple[str, ...]
    rule: Rule
    cue_labels: frozenset[str] = frozenset()
    per_study: bool = False
    wide: tuple[tuple[str, str], ...] = ()
    view: ViewColumn | None = None
    query: Query | None = None
    short: str = ""
    header: str = ""
    min_width: int | None = None
    axis: str | None = None
    pooled: bool = False
    group_size_rank: int | None = None
    correctable: tuple[str, ...] = ("value",)

    @property
    def label(self) -> str:
        """The noun as a heading: 'CR rate', 'Median OS'."""
        return self.noun[:1].upper() + self.noun[1:]

    def wide_column(self, long_column: str) -> str | None:
        """The wide-table column holding this long-table column of the measure (None: not shown there)."""
        return next((wide for wide, long in self.wide if long == long_column), None)


@dataclass(slots=True)
class _Registry:
    measures: dict[str, Measure] = field(default_factory=dict)
    labels: frozenset[str] = frozenset()


_REGISTRY = _Registry()


def register(measure: Measure, *, replace: bool = False) -> Measure:
    """Add a measure (after those already registered: the order of the tables' columns)."""
    if not _NAME.fullmatch(measure.name):
        raise ValueError(
            f"a measure's name is lower-case letters, digits and '_': {measure.name!r}"
        )
    if measure.name in _REGISTRY.measures and not replace:
        raise ValueError(f"measure {measure.name!r} is already registered")
    if measure.per_study and any(
        m.per_study for m in _REGISTRY.measures.values() if m.name != measure.name
    ):
        raise ValueError("only one measure is a study's size (per_study)")
    _REGISTRY.measures[measure.name] = measure
    _REGISTRY.labels = frozenset(
        label for m in _REGISTRY.measures.values() for label in m.cue_labels
    )
    return measure


def unregister(name: str) -> None:
    """Remove a measure (a test's own, once it is done)."""
    del _REGISTRY.measures[name]
    _REGISTRY.labels = frozenset(
        label for m in _REGISTRY.measures.values() for label in m.cue_labels
    )


def definitions() -> tuple[Measure, ...]:
    """Every registered measure, in the order registered."""
    return tuple(_REGISTRY.measures.values())


def get(name: str) -> Measure:
    try:
        return _REGISTRY.measures[name]
    except KeyError:
        raise KeyError(f"no measure {name!r} (known: {', '.join(_REGISTRY.measures)})") from None


def find(name: object) -> Measure | None:
    """The measure of this name, None for any other value (a stored row's measure may be anything)."""
    return _REGISTRY.measures.get(name) if isinstance(name, str) else None


def is_kind(name: object, kind: Kind) -> bool:
    m = find(name)
    return m is not None and m.kind == kind


def study_size() -> Measure:
    """The measure that is a study's size (its cohort): read by `--min-cohort` and the studies' column."""
    return next(m for m in _REGISTRY.measures.values() if m.per_study)


def cue_labels() -> frozenset[str]:
    """The cue labels of every measure: the gate keeps the sentences their patterns may match."""
    return _REGISTRY.labels


class Names(Sequence[str]):
    """A live list of measure names: those registered now that `keep` accepts, in order (or sorted).

    Read where a list is fixed at import time (a command's choices), so that a measure registered
    later is in it too.
    """

    def __init__(
        self, keep: Callable[[Measure], bool] = lambda m: True, *, sort: bool = False
    ) -> None:
        self._keep, self._sort = keep, sort

    def _names(self) -> list[str]:
        names = [m.name for m in _REGISTRY.measures.values() if self._keep(m)]
        return sorted(names) if self._sort else names

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._names()[index]

    def __len__(self) -> int:
        return len(self._names())

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())

    def __contains__(self, name: object) -> bool:
        return name in self._names()

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, Sequence) else NotImplemented

    def __hash__(self) -> int:
        return id(self)

    def __repr__(self) -> str:
        return repr(tuple(self))


ALL = Names()
PLOTTED = Names(lambda m: m.axis is not None, sort=True)
POOLED = Names(lambda m: m.pooled, sort=True)
RATES = Names(lambda m: m.kind == "rate")
