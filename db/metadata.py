"""Datasette metadata for an evidence database: descriptions of tables and columns, and canned queries.

Datasette (installed with evidence; `evidence serve` starts it) opens the SQLite file as it is; this
adds the words and the three queries a reviewer starts from. Use: `datasette reviews.db -m metadata.json`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evidence_tables.db.units import DAYS_PER_MONTH
from evidence_tables.registry import definitions

VALUE_COLUMNS = {
    "id": "Stable id of the value: the same value found at the same place keeps it across runs",
    "study_id": "The study (PMID when known)",
    "measure": "The measure",  # named in full by value_columns(), from the registered measures
    "value": "The value: percent (0-100) for rates, patients for cohort size, time for median OS; "
    "NULL when the median was not reached",
    "unit": "Unit as printed: %, patients, days, weeks, months, years",
    "group_label": "Arm, regimen or subgroup as written in the abstract (NULL: whole cohort or not stated)",
    "regimen": "Canonical regimen name, when the group names one",
    "ci_low": "Lower bound of the 95% CI, when reported",
    "ci_high": "Upper bound of the 95% CI, when reported",
    "numerator": "Patients with the outcome (n of n/N)",
    "denominator": "Patients in the group (N of n/N)",
    "not_reached": "1 when the median was not reached",
    "timepoint": "When the rate applies (e.g. 3 years)",
    "sentence": "The sentence the value came from",
    "start": "Start offset of the evidence in the abstract",
    "end": "End offset: abstract[start:end] is the evidence",
    "rule": "Id of the extraction rule that fired",
    "flags": "Why the extractor wants a reviewer to look (comma-separated)",
    "extractor_version": "Extractor version that produced the value",
    "run_id": "The extract run (see runs)",
}
REVIEW_COLUMNS = {
    "review_id": "Number of the decision",
    "outcome_id": "Id of the value when it was reviewed",
    "text_sha256": "Hash of the abstract text the decision was made on",
    "evidence": "abstract[start:end] when the decision was made",
    "extracted_value": "The extracted value when it was reviewed",
    "decision": "accepted, rejected or corrected",
    "corrections": "The corrected fields (JSON)",
    "note": "The reviewer's note",
    "reviewer": "Who decided",
    "reviewed_at": "When (UTC)",
}
REVIEWED_COLUMNS = {
    **VALUE_COLUMNS,
    "value": "The value as reviewed: a correction replaces the extracted value",
    "review_status": "accepted, rejected or corrected; NULL when not yet reviewed",
    "extracted_value": "The value as extracted",
    "corrections": "The corrected fields (JSON)",
    "review_note": "The reviewer's note",
}
STUDY_COLUMNS = {
    "study_id": "PMID when known, else the id given at import",
    "pmid": "PubMed id",
    "doi": "DOI",
    "title": "Title",
    "abstract": "Abstract text exactly as imported (offsets index it)",
    "journal": "Journal",
    "year": "Publication year",
    "authors": "Authors (JSON list)",
    "publication_types": "Publication types (JSON list)",
    "source": "File or service it came from",
    "imported_at": "When it was imported (UTC)",
    "text_sha256": "SHA-256 of the abstract text (offsets index it; a change means re-extraction)",
}
KEPT = "v.review_status IS NOT 'rejected'"
EVIDENCE = 'substr(s.abstract, v.start + 1, v."end" - v.start) AS evidence'
MONTHS = (
    f"ROUND(CASE v.unit WHEN 'days' THEN v.value / {DAYS_PER_MONTH} WHEN 'weeks' THEN v.value * 7 / {DAYS_PER_MONTH}"
    " WHEN 'years' THEN v.value * 12 WHEN 'months' THEN v.value END, 2)"
)
# The canned query of a measure, by its kind (registry: a measure's `query` names and describes it).
QUERY_SQL = {
    "rate": """SELECT COALESCE(v.regimen, v.group_label, '(not stated)') AS regimen, v.study_id, s.year,
  v.value AS {name}_percent, v.numerator, v.denominator, v.review_status, v.flags, {evidence}, v.id
FROM reviewed_outcomes v JOIN studies s ON s.study_id = v.study_id
WHERE v.measure = '{name}' AND {kept}
ORDER BY v.regimen IS NULL AND v.group_label IS NULL, lower(COALESCE(v.regimen, v.group_label)), v.study_id, v.start""",
    "duration": """SELECT v.study_id, s.title, s.year, v.group_label, v.regimen, v.value AS {name}, v.unit,
  {months} AS {name}_months, v.ci_low, v.ci_high, v.not_reached, v.review_status, {evidence}, v.id
FROM reviewed_outcomes v JOIN studies s ON s.study_id = v.study_id
WHERE v.measure = '{name}' AND {kept}
ORDER BY v.study_id, v.start""",
}
QUERIES = {
    "values_flagged_for_review": {
        "title": "values flagged for review",
        "description": "Values the extractor flagged, not yet reviewed first. Record a decision with "
        "`evidence mark DB ID --accept | --reject | --set value=...`.",
        "sql": f"""SELECT v.id, v.study_id, v.measure, v.group_label, v.value, v.unit, v.flags, v.review_status,
  v.review_note, {EVIDENCE}, v.sentence
FROM reviewed_outcomes v JOIN studies s ON s.study_id = v.study_id
WHERE v.flags IS NOT NULL
ORDER BY v.review_status IS NOT NULL, v.study_id, v.start""",
    },
}


def value_columns() -> dict[str, str]:
    names = [m.name for m in definitions()]
    return {
        **VALUE_COLUMNS,
        "measure": ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else names[0],
    }


def queries() -> dict[str, dict[str, str]]:
    """The measures' canned queries (by key), then the others."""
    own = {
        m.query.key: {
            "title": m.query.title,
            "description": m.query.description,
            "sql": QUERY_SQL[m.kind].format(
                name=m.name, evidence=EVIDENCE, kept=KEPT, months=MONTHS
            ),
        }
        for m in definitions()
        if m.query is not None
    }
    return {**dict(sorted(own.items())), **QUERIES}


def datasette_metadata(db_path: str | Path) -> dict[str, Any]:
    """Metadata for `datasette DB -m metadata.json`; Datasette names the database after the file's stem."""
    value_cols = value_columns()
    tables = {
        "studies": {
            "description": "One row per study: the abstract every offset indexes.",
            "columns": STUDY_COLUMNS,
        },
        "outcomes": {
            "description": "Every extracted value with its provenance, as the extractor found it.",
            "columns": value_cols,
        },
        "reviews": {
            "description": "Reviewers' decisions (kept when values are extracted again).",
            "columns": {
                **{
                    k: value_cols[k] for k in ("study_id", "measure", "group_label", "start", "end")
                },
                **REVIEW_COLUMNS,
            },
        },
        "reviewed_outcomes": {
            "description": "Every value with the reviewer's decision applied.",
            "columns": {**REVIEWED_COLUMNS, "measure": value_cols["measure"]},
        },
        "orphaned_reviews": {
            "description": "Decisions whose value no longer exists (kept, with the reason).",
            "columns": {**REVIEW_COLUMNS, "orphan_reason": "Why the decision no longer applies"},
        },
        "evidence": {"description": "One row per study: reviewed values, rejected ones left out."},
        "runs": {
            "description": "Every import, extract and fetch run: when, versions, inputs, counts, status "
            "(abandoned: its process was killed before recording its end)."
        },
        "extractions": {
            "description": "Which extractor version processed which text of each study."
        },
    }
    return {
        "title": "Evidence tables",
        "description": "Values extracted from study abstracts, each with the sentence and offsets it came from.",
        "databases": {Path(db_path).stem: {"tables": tables, "queries": queries()}},
    }
