"""RIS records of the included studies, for reference managers (EndNote, Zotero, Mendeley)."""

from __future__ import annotations

import json
import math
from typing import Any, cast

import pandas as pd

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{}/"


def _present(value: Any) -> bool:
    return not (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and math.isnan(value))
        or value == ""
    )


def _line(tag: str, value: Any) -> str:
    return f"{tag}  - {' '.join(str(value).split())}"


def ris_record(study: dict[str, Any]) -> str:
    """One `TY  - JOUR` ... `ER  - ` record; fields that are unknown are left out."""
    lines = [_line("TY", "JOUR")]
    authors = json.loads(study["authors"]) if _present(study.get("authors")) else []
    lines += [_line("AU", name) for name in authors]
    for tag, key in (("TI", "title"), ("JO", "journal"), ("PY", "year"), ("DO", "doi")):
        if _present(study.get(key)):
            lines.append(_line(tag, study[key]))
    pmid = study.get("pmid")
    if _present(pmid):
        lines += [_line("AN", pmid), _line("UR", PUBMED_URL.format(pmid))]
    lines.append(_line("ID", study["study_id"]))
    if _present(study.get("abstract")):
        lines.append(_line("AB", study["abstract"]))
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def ris(studies: pd.DataFrame) -> str:
    """Every study of the frame (columns as `db.tables.studies_table` returns them) as RIS."""
    return "\n".join(
        ris_record(row)
        for row in cast(list[dict[str, Any]], studies.astype(object).to_dict("records"))
    )
