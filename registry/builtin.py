"""The four measures the extractor finds: their one definition each (see registry.measure)."""

from __future__ import annotations

from evidence_tables.registry.measure import Measure, Query, ViewColumn, register

_RULES = "evidence_tables.extractor.measures"
_GROUP = "COALESCE(' [' || o.group_label || ']', '')"
_RATE_FIELDS = (
    "value",
    "numerator",
    "denominator",
    "ci_low",
    "ci_high",
    "group_label",
    "regimen",
    "timepoint",
)

COHORT = register(
    Measure(
        name="cohort_size",
        noun="cohort size",
        kind="count",
        units=("patients",),
        rule=f"{_RULES}.cohort:cohort_size",
        per_study=True,
        view=ViewColumn(name="cohort_size"),
        short="cohort",
        header="n",
    )
)
RELAPSE = register(
    Measure(
        name="relapse_rate",
        noun="relapse rate",
        kind="rate",
        units=("%",),
        rule=f"{_RULES}.relapse:relapse_rates",
        cue_labels=frozenset({"RELAPSE"}),
        wide=(
            ("relapse_rate", "value"),
            ("relapse_numerator", "numerator"),
            ("relapse_denominator", "denominator"),
            ("relapse_timepoint", "timepoint"),
        ),
        view=ViewColumn(
            name="relapse_rate",
            text=f"printf('%g%%', o.value) || COALESCE(' at ' || o.timepoint, '')\n            || {_GROUP}",
            order="o.group_label IS NOT NULL, o.start",
        ),
        short="relapse",
        header="relapse",
        min_width=12,
        axis="Relapse / progression rate (%)",
        pooled=True,
        group_size_rank=1,
        correctable=_RATE_FIELDS,
    )
)
MEDIAN_OS = register(
    Measure(
        name="median_os",
        noun="median OS",
        kind="duration",
        units=("days", "weeks", "months", "years"),
        rule=f"{_RULES}.survival:median_os",
        cue_labels=frozenset({"OS"}),
        wide=(
            ("median_os", "value"),
            ("median_os_unit", "unit"),
            ("median_os_ci_low", "ci_low"),
            ("median_os_ci_high", "ci_high"),
            ("median_os_months", "value_months"),
            ("median_os_not_reached", "not_reached"),
        ),
        view=ViewColumn(
            name="median_os",
            text="CASE WHEN o.not_reached THEN 'not reached' ELSE printf('%g %s', o.value, o.unit) END\n"
            "            || CASE WHEN o.ci_low IS NOT NULL OR o.ci_high IS NOT NULL\n"
            "                    THEN ' (95% CI ' || CASE WHEN o.ci_low IS NULL THEN 'NE' ELSE "
            "printf('%g', o.ci_low) END\n"
            "                         || '-' || CASE WHEN o.ci_high IS NULL THEN 'NE' ELSE "
            "printf('%g', o.ci_high) END || ')'\n"
            "                    ELSE '' END\n"
            f"            || {_GROUP}",
            order="o.group_label IS NOT NULL, o.start",
        ),
        query=Query(
            key="median_os_by_study",
            title="median OS by study",
            description="Median overall survival as printed and in months, with its 95% CI; "
            "rejected values left out.",
        ),
        short="median OS",
        header="median OS",
        axis="Median overall survival (months)",
        correctable=(
            "value",
            "unit",
            "not_reached",
            "ci_low",
            "ci_high",
            "group_label",
            "regimen",
            "timepoint",
        ),
    )
)
CR = register(
    Measure(
        name="cr_rate",
        noun="CR rate",
        kind="rate",
        units=("%",),
        rule=f"{_RULES}.response:cr_rates",
        cue_labels=frozenset({"CR"}),
        wide=(
            ("cr_rate", "value"),
            ("cr_numerator", "numerator"),
            ("cr_denominator", "denominator"),
        ),
        view=ViewColumn(
            name="cr_rates",
            text="COALESCE(o.regimen, o.group_label, 'overall') || ': ' || printf('%g%%', o.value)\n"
            "            || CASE WHEN o.denominator IS NOT NULL\n"
            "                    THEN printf(' (%d/%d)', o.numerator, o.denominator) ELSE '' END",
        ),
        query=Query(
            key="cr_rate_by_regimen",
            title="CR rate by regimen",
            description="Complete-response rates, reviewers' corrections applied, rejected values left out.",
        ),
        short="CR",
        header="CR",
        axis="Complete response rate (%)",
        pooled=True,
        group_size_rank=0,
        correctable=_RATE_FIELDS,
    )
)
