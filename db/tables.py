"""pandas views of the store: the tables reviewers read and export, with reviewers' decisions applied.

`long_table`: one row per value with its provenance (rejected values kept, marked). `wide_table`: one
row per study and group (regimen, or the group as written), rejected values left out. Both take the
same `Filters`, and both say which values a reviewer accepted, corrected or rejected.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd

from evidence_tables.db.errors import QueryError
from evidence_tables.db.filters import Filters
from evidence_tables.db.store import EvidenceDB
from evidence_tables.db.units import to_months
from evidence_tables.registry import definitions, study_size

GENERIC_TYPES = {"Journal Article", "English Abstract", "Comparative Study"}
LONG_SQL = """
SELECT v.id, v.study_id, s.pmid, s.authors, s.year, s.publication_types, s.title,
       v.measure, v.group_label, v.regimen, v.value, v.unit, v.ci_low, v.ci_high, v.numerator, v.denominator,
       v.not_reached, v.timepoint, v.review_status, v.extracted_value, v.corrections, v.review_note, v.reviewer,
       v.reviewed_at, v.flags, substr(s.abstract, v.start + 1, v."end" - v.start) AS evidence,
       v.start, v."end", v.sentence, v.rule, v.extractor_version
FROM reviewed_outcomes v JOIN studies s ON s.study_id = v.study_id
WHERE {where}
ORDER BY v.study_id, v.start, v."end", v.measure, v.id
"""
STUDIES_SQL = """
SELECT s.study_id, s.pmid, s.doi, s.title, s.journal, s.year, s.authors, s.publication_types, s.abstract,
  (SELECT CAST(c.value AS INTEGER) FROM reviewed_outcomes c WHERE c.study_id = s.study_id
     AND c.measure = '{size}' AND c.review_status IS NOT 'rejected' ORDER BY c.start LIMIT 1) AS {size},
  (SELECT c.review_status FROM reviewed_outcomes c WHERE c.study_id = s.study_id
     AND c.measure = '{size}' AND c.review_status IS NOT 'rejected' ORDER BY c.start LIMIT 1) AS cohort_review
FROM studies s
WHERE s.study_id IN (SELECT v.study_id FROM reviewed_outcomes v WHERE {where} {kept})
   OR ({everyone} AND {studies})
ORDER BY s.study_id
"""
LONG_COLUMNS = [
    "id",
    "study_id",
    "first_author",
    "year",
    "publication_type",
    "measure",
    "group",
    "group_label",
    "regimen",
    "value",
    "unit",
    "value_months",
    "ci_low",
    "ci_high",
    "numerator",
    "denominator",
    "exact_ci_low",
    "exact_ci_high",
    "not_reached",
    "timepoint",
    "review_status",
    "extracted_value",
    "corrections",
    "review_note",
    "reviewer",
    "reviewed_at",
    "flags",
    "evidence",
    "start",
    "end",
    "sentence",
    "rule",
    "extractor_version",
    "pmid",
    "title",
]
# Types of the wide table's columns, by the long column each comes from (the rest as read).
WIDE_TYPES: dict[str, Any] = {
    "numerator": "Int64",
    "denominator": "Int64",
    "value_months": "Float64",
    "not_reached": "boolean",
}


def wide_parts() -> dict[str, dict[str, str]]:
    """Per measure shown by group in the wide table: the long column each of its wide columns comes from."""
    return {m.name: dict(m.wide) for m in definitions() if m.wide and not m.per_study}


def study_columns() -> list[str]:
    """The study's own columns of the wide table, its size last (the measure that is one: registry)."""
    return [
        "study_id",
        "pmid",
        "first_author",
        "year",
        "publication_type",
        "title",
        study_size().name,
    ]


def wide_columns() -> list[str]:
    return [
        *study_columns(),
        "group",
        "regimen",
        *(c for part in wide_parts().values() for c in part),
        "review_status",
        "flags",
        "outcome_ids",
    ]


def rates() -> list[str]:
    """The measures that are percents of a group (their counts give an exact CI)."""
    return [m.name for m in definitions() if m.kind == "rate"]


INTS = ["year", "numerator", "denominator", "start", "end"]
WIDE_COLUMNS = (
    wide_columns()
)  # of the built-in measures (wide_columns() reads those registered since)


def long_table(store: EvidenceDB, filters: Filters | None = None) -> pd.DataFrame:
    """One row per value: the reviewed value, the extracted one, the review, the flags and the evidence."""
    where, params = (filters or Filters()).where("v")
    frame = read_sql(store, LONG_SQL.format(where=where), params)
    frame = _with_study_fields(frame)
    frame["group"] = pd.Series(
        [
            shown_group(label, regimen)
            for label, regimen in zip(frame["group_label"], frame["regimen"])
        ],
        index=frame.index,
        dtype=object,
    )
    frame["not_reached"] = frame["not_reached"].fillna(0).astype(bool)
    durations = {m.name for m in definitions() if m.kind == "duration"}
    frame["value_months"] = [
        to_months(v, u) if m in durations else None
        for v, u, m in zip(frame["value"], frame["unit"], frame["measure"])
    ]
    frame["value_months"] = frame["value_months"].astype("Float64")
    frame["exact_ci_low"], frame["exact_ci_high"] = exact_cis(frame)
    return frame[LONG_COLUMNS]


def exact_cis(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The exact (Clopper-Pearson) 95% CI, in percent, of each rate whose numerator and denominator are
    known (as reviewed); missing elsewhere."""
    counted = (
        (
            frame["measure"].isin(rates())
            & frame["numerator"].notna()
            & frame["denominator"].notna()
            & (frame["denominator"] > 0)
            & (frame["numerator"] >= 0)
            & (frame["numerator"] <= frame["denominator"])
        )
        .fillna(False)
        .astype(bool)
    )
    low = pd.Series(pd.NA, index=frame.index, dtype="Float64")
    high = low.copy()
    if counted.any():
        from evidence_tables.db.proportions import exact_ci  # noqa: PLC0415  (scipy, only when there are counts)

        lo, hi = exact_ci(
            frame.loc[counted, "numerator"].astype(int).to_numpy(),
            frame.loc[counted, "denominator"].astype(int).to_numpy(),
        )
        low[counted], high[counted] = 100 * lo, 100 * hi
    return low, high


def studies_table(
    store: EvidenceDB, filters: Filters | None = None, *, all_studies: bool = False
) -> pd.DataFrame:
    """The studies with at least one (not rejected) value passing the filters, with their reviewed cohort size.

    With `all_studies`, also every study passing the study-level filters (search, minimum cohort)
    whatever its values.
    """
    filters = filters or Filters()
    where, params = filters.where("v")
    studies, study_params = filters.study_where("s.study_id")
    sql = STUDIES_SQL.format(
        where=where,
        size=study_size().name,
        kept="AND v.review_status IS NOT 'rejected'",
        everyone=int(all_studies),
        studies=studies,
    )
    return _with_study_fields(read_sql(store, sql, {**params, **study_params}))


def wide_table(
    store: EvidenceDB, filters: Filters | None = None, *, all_studies: bool = False
) -> pd.DataFrame:
    """One row per study and group; a group with several values of one measure gets one row per value.

    With `all_studies`, a study with no value passing the filters still gets a (mostly empty) row.
    """
    values = long_table(store, filters)
    values = values[values["review_status"].fillna("") != "rejected"]
    studies = studies_table(store, filters, all_studies=all_studies)
    size = study_size().name
    grouped = values[values["measure"] != size].copy()
    grouped["key"] = grouped["group"].fillna("").map(group_key)
    grouped["k"] = grouped.groupby(["study_id", "key", "measure"]).cumcount()
    # a group is shown as the abstract first writes it (values come in text order)
    shown = grouped.groupby(["study_id", "key"])["group"].first().rename("shown").reset_index()
    keys = ["study_id", "key", "k"]
    rows = grouped[keys].drop_duplicates()
    parts = wide_parts()
    for measure, columns in parts.items():
        part = grouped[grouped["measure"] == measure]
        rows = rows.merge(
            part[keys + list(columns.values())].rename(columns={v: k for k, v in columns.items()}),
            on=keys,
            how="left",
        )
    notes = (
        grouped.groupby(keys)
        .agg(
            regimen=("regimen", "first"),
            review_status=("review_status", _statuses(grouped)),
            flags=("flags", _flags(grouped)),
            outcome_ids=("id", " ".join),
        )
        .reset_index()
    )
    rows = rows.merge(notes, on=keys, how="left")
    alone = studies.loc[~studies["study_id"].isin(rows["study_id"]), ["study_id"]].assign(
        key="", k=0
    )
    rows = pd.concat([rows, alone], ignore_index=True) if len(alone) else rows
    rows = rows.merge(studies[[*study_columns(), "cohort_review"]], on="study_id", how="inner")
    cohort_note = (f"{size} " + rows["cohort_review"]).where(rows["cohort_review"].notna())
    rows["review_status"] = _join(cohort_note, rows["review_status"])
    rows = rows.merge(shown, on=["study_id", "key"], how="left")
    rows["group"] = rows["shown"].where(rows["key"] != "", None)
    rows = rows.sort_values(
        ["study_id", "key", "k"],
        kind="stable",
        key=lambda s: s if s.name != "key" else s.str.lower(),
    )
    rows = rows.reindex(columns=wide_columns()).reset_index(drop=True)
    for col in (size, "year"):
        rows[col] = rows[col].astype("Int64")
    for columns in parts.values():
        for wide, long in columns.items():
            if long in WIDE_TYPES:
                rows[wide] = rows[wide].astype(WIDE_TYPES[long])
    return rows


def shown_group(label: str | None, regimen: str | None) -> str | None:
    """The group a value belongs to, as the tables show it: the regimen's canonical name when the label
    names that regimen ('Pola-BR arm' -> 'Pola-BR'), else the label, so that a subgroup of a single-arm
    study ('patients with extramedullary disease', on teclistamab) keeps its own row."""
    label = label if isinstance(label, str) else None
    regimen = regimen if isinstance(regimen, str) else None
    if label is None or regimen is None:
        return regimen or label
    label_words, regimen_words = (
        set(re.findall(r"[a-z0-9]+", text.lower())) for text in (label, regimen)
    )
    return regimen if label_words & regimen_words else label


def group_key(label: str) -> str:
    """What makes two written groups the same row: 'Standard-care arm' and 'the standard care group' are
    both 'standard care' (case, hyphens, a leading 'the' and a trailing arm/group/cohort word aside)."""
    key = re.sub(r"[\s\-\u2010-\u2013_]+", " ", label.lower()).strip()
    key = re.sub(r"^the (?=\S)", "", key)  # not 'a': 'A arm' is arm A
    return re.sub(r"(?<=\S) (?:arms?|groups?|cohorts?)$", "", key)


def review_queue(
    store: EvidenceDB, filters: Filters | None = None, *, include_reviewed: bool = False
) -> pd.DataFrame:
    """Values for a reviewer to look at: not yet reviewed (all, with `include_reviewed`), flagged first."""
    frame = long_table(store, filters)
    if not include_reviewed:
        frame = frame[frame["review_status"].isna()]
    order = frame.assign(_unflagged=frame["flags"].isna())
    return (
        order.sort_values(["_unflagged", "study_id", "start"], kind="stable")
        .drop(columns="_unflagged")
        .reset_index(drop=True)
    )


def _statuses(grouped: pd.DataFrame):
    def summary(statuses: pd.Series) -> str | None:
        parts = [
            f"{str(grouped.at[i, 'measure'])} {s}"
            for i, s in statuses.items()
            if isinstance(s, str)
        ]
        return "; ".join(parts) or None

    return summary


def _flags(grouped: pd.DataFrame):
    def summary(flags: pd.Series) -> str | None:
        parts = [
            f"{str(grouped.at[i, 'measure'])}: {f}" for i, f in flags.items() if isinstance(f, str)
        ]
        return "; ".join(parts) or None

    return summary


def _join(first: pd.Series, second: pd.Series) -> pd.Series:
    both = [
        ("; ".join(p for p in (a, b) if isinstance(p, str)) or None) for a, b in zip(first, second)
    ]
    return pd.Series(both, index=first.index, dtype="str")


def _with_study_fields(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["first_author"] = [_first(a) for a in frame["authors"]]
    frame["publication_type"] = [_publication_type(p) for p in frame["publication_types"]]
    for col in (*INTS, study_size().name):
        if col in frame:
            frame[col] = frame[col].astype("Int64")
    return frame


def _first(authors: str | None) -> str | None:
    names = json.loads(authors) if isinstance(authors, str) else []
    return names[0] if names else None


def _publication_type(types: str | None) -> str | None:
    """The informative publication types ("Randomized Controlled Trial; Clinical Trial, Phase II")."""
    names = json.loads(types) if isinstance(types, str) else []
    specific = [t for t in names if t not in GENERIC_TYPES and not t.startswith("Research Support")]
    return "; ".join(specific or names[:1]) or None


def read_sql(store: EvidenceDB, sql: str, params: list | dict | None = None) -> pd.DataFrame:
    """Any read-only query as a DataFrame."""
    con = store.read_only()
    try:
        return pd.read_sql_query(sql, con, params=params)
    except Exception as exc:  # pandas wraps sqlite errors in its own DatabaseError
        message = str(exc.__cause__ or exc)
        if "fts5" in message:
            message = f"full-text query (--search): {message}"
        raise QueryError(message, path=store.path) from exc
    finally:
        if con is not store.db.conn:
            con.close()
