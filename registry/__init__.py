"""Measures, each defined once (registry.measure), and the four built in (registry.builtin)."""

from evidence_tables.registry import builtin as _builtin  # noqa: F401  (registers the built-in measures)
from evidence_tables.registry.measure import (
    ALL,
    PLOTTED,
    POOLED,
    RATES,
    Kind,
    Measure,
    Names,
    Query,
    ViewColumn,
    cue_labels,
    definitions,
    find,
    get,
    is_kind,
    register,
    study_size,
    unregister,
)

__all__ = [
    "ALL",
    "PLOTTED",
    "POOLED",
    "RATES",
    "Kind",
    "Measure",
    "Names",
    "Query",
    "ViewColumn",
    "cue_labels",
    "definitions",
    "find",
    "get",
    "is_kind",
    "register",
    "study_size",
    "unregister",
]
