"""Which values a read command shows: one set of filters, turned into SQL over `reviewed_outcomes`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from evidence_tables.registry import ALL, PLOTTED, POOLED, study_size

# Live lists of the registered measures (evidence_tables.registry): all, in order; those with a plot axis
# and the pooled ones (proportions, pooled per regimen: db.pooling), by name.
MEASURES, PLOTTED_MEASURES, POOLED_MEASURES = ALL, PLOTTED, POOLED
GROUPINGS = ("regimen", "group")  # what a pool or a plot heading gathers values by
_FTS_SYNTAX = re.compile(r'["*()^:]|\b(?:AND|OR|NOT|NEAR)\b')
_FTS_TOKEN = re.compile(r'"[^"]*"?\*?|[()]|[^\s()"]+')
_FTS_KEEP = re.compile(
    r"\w+\*?|NEAR(?:/\d+)?|\^\w+|[A-Za-z_]+:\w+\*?"
)  # words, prefixes, NEAR, ^first, column:word


@dataclass(frozen=True, slots=True, kw_only=True)
class Filters:
    """Value-level filters; the default keeps everything.

    `measures`: only these measures. `regimen`: text found (case-insensitive) in the value's regimen or
    group label. `min_cohort`: only studies whose cohort size (as reviewed) is at least this.
    `flagged`: only values the extractor flagged. `search`: only studies matching this full-text
    query over title and abstract (plain words must all appear; FTS5 syntax is used as written).
    """

    measures: tuple[str, ...] = ()
    regimen: str | None = None
    min_cohort: int | None = None
    flagged: bool = False
    search: str | None = None

    def where(self, alias: str = "v") -> tuple[str, dict[str, Any]]:
        """A WHERE condition over `reviewed_outcomes AS alias`, with its named parameters."""
        parts, params = [], {}
        if self.measures:
            names = {f"measure{i}": m for i, m in enumerate(self.measures)}
            parts.append(f"{alias}.measure IN ({', '.join(':' + n for n in names)})")
            params.update(names)
        if self.regimen:
            parts.append(
                f"({alias}.regimen LIKE :regimen ESCAPE '\\' OR {alias}.group_label LIKE :regimen ESCAPE '\\')"
            )
            params["regimen"] = "%" + like_escape(self.regimen) + "%"
        if self.flagged:
            parts.append(f"{alias}.flags IS NOT NULL")
        studies, study_params = self.study_where(f"{alias}.study_id")
        return " AND ".join([*parts, studies]), {**params, **study_params}

    def study_where(self, study_id: str = "s.study_id") -> tuple[str, dict[str, Any]]:
        """The study-level part alone (`min_cohort`, `search`), as a condition on the column `study_id`."""
        parts: list[str] = ["1"]
        params: dict[str, Any] = {}
        if self.min_cohort is not None:
            parts.append(
                f"{study_id} IN (SELECT c.study_id FROM reviewed_outcomes c"
                f" WHERE c.measure = '{study_size().name}'"
                " AND c.review_status IS NOT 'rejected' AND c.value >= :min_cohort)"
            )
            params["min_cohort"] = self.min_cohort
        if self.search:
            parts.append(
                f"{study_id} IN (SELECT t.study_id FROM studies t JOIN studies_fts f ON f.rowid = t.rowid"
                " WHERE studies_fts MATCH :search)"
            )
            params["search"] = fts_query(self.search)
        return " AND ".join(parts), params


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def fts_query(text: str) -> str:
    """Plain words are quoted (so `CAR-T` or `7+3` search as written); FTS5 syntax is kept as it is, and a
    word that FTS5 would read as syntax inside it (`R-CHOP OR blinatumomab`) is quoted there too."""
    syntax = bool(_FTS_SYNTAX.search(text))
    out = []
    for token in _FTS_TOKEN.findall(text):
        if token.startswith('"') and (
            len(token) == 1 or not token.rstrip("*").endswith('"') or token == '"*'
        ):
            token += (
                '"'  # an unclosed phrase is closed at the end of the query, as sqlite-utils does
            )
        if syntax and (
            token.startswith('"')
            or token in ("(", ")", "AND", "OR", "NOT")
            or _FTS_KEEP.fullmatch(token)
        ):
            out.append(token)
        else:
            star = "*" if syntax and token.endswith("*") else ""
            out.append('"' + token.removesuffix(star).replace('"', '""') + '"' + star)
    return " ".join(out)
