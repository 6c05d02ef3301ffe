"""pandas views of the store: the tables reviewers read and export."""
from __future__ import annotations

import pandas as pd

from db.errors import QueryError
from db.store import EvidenceDB

EVIDENCE_COLUMNS = ["study_id", "title", "year", "cohort_size", "relapse_rate", "median_os", "cr_rates", "flagged"]


def evidence_table(store: EvidenceDB, *, with_empty: bool = False) -> pd.DataFrame:
    """The `evidence` view, one row per study (studies without any value left out unless asked)."""
    sql = "SELECT * FROM evidence"
    if not with_empty:
        sql += (" WHERE cohort_size IS NOT NULL OR relapse_rate IS NOT NULL OR median_os IS NOT NULL"
                " OR cr_rates IS NOT NULL")
    frame = read_sql(store, sql + " ORDER BY study_id")
    frame["cohort_size"] = frame["cohort_size"].astype("Int64")
    return frame[EVIDENCE_COLUMNS]


def read_sql(store: EvidenceDB, sql: str, params: list | dict | None = None) -> pd.DataFrame:
    """Any read-only query as a DataFrame."""
    con = store.read_only()
    try:
        return pd.read_sql_query(sql, con, params=params)
    except Exception as exc:  # pandas wraps sqlite errors in its own DatabaseError
        raise QueryError(str(exc), path=store.path) from exc
    finally:
        if con is not store.db.conn:
            con.close()
