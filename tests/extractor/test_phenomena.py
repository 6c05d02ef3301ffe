"""Each phenomenon of the extraction spec, on sentences written for these tests.

Every case names the measure and the values expected (and, where it matters,
the group, CI, counts or the absence of a value). Offsets are checked for all.
"""

from __future__ import annotations

import pytest


def run(extractor, text, measure):
    outs = [o for o in extractor.extract(text) if o.measure == measure]
    for o in outs:
        assert 0 <= o.start < o.end <= len(text) and text[o.start : o.end] in o.sentence
        assert o.rule.startswith(measure + ".")
    return outs


# ---- numbers ---------------------------------------------------------------------------------
COHORT = [
    ("thousands", "A total of 2,545 patients were enrolled at 40 centres.", 2545),
    ("thin-space-thousands", "Overall, 1\u2009204 patients were included in the registry.", 1204),
    ("number-words", "One hundred and twelve patients were randomized to the two arms.", 112),
    ("hyphenated-words", "Fifty-six adults with relapsed AML were treated with venetoclax.", 56),
    (
        "n-equals-spaces",
        "We retrospectively analysed a national cohort (n = 305) of patients treated with CAR-T.",
        305,
    ),
    (
        "n-equals-tight",
        "We retrospectively analysed a national cohort (n=305) of patients treated with CAR-T.",
        305,
    ),
    (
        "hedged-loses-to-exact",
        "This study of over 300 patients is the largest. Of the 305 patients included, 60% relapsed.",
        305,
    ),
    ("not-screened", "We screened 412 patients; 236 were included in the analysis.", 236),
    ("not-subgroup", "In total, 120 patients were enrolled, of whom 45 had TP53 mutations.", 120),
    (
        "arms-summed",
        "A total of 86 patients were randomly assigned to docetaxel and 90 to vinorelbine.",
        176,
    ),
    ("arms-n-equals", "Patients were randomized to R-ICE (n = 42) or R-DHAP (n = 40).", 82),
    (
        "total-confirmed-by-arms",
        "Overall, 705 patients (353 in arm A and 352 in arm B) underwent randomisation.",
        705,
    ),
    (
        "each-arm",
        "Patients were randomized 1:1 to drug X or placebo. Forty patients were included in each arm.",
        80,
    ),
    (
        "then-treated-not-an-arm",
        "In all, 150 adults were randomized (75 per arm) and 146 began therapy.",
        150,
    ),
    (
        "responders-including",
        "Sixty patients received R-CHOP. The overall response rate was 70% (42 patients), "
        "including complete responses in 30 patients (50%).",
        60,
    ),
    (
        "ages-before-verb",
        "Seventy patients aged 18-65 years with newly diagnosed myeloma were enrolled in this trial. "
        "Quality of life was assessed in 40 long-term survivors.",
        70,
    ),
    (
        "arms-n-far-apart",
        "Patients were randomly assigned to induction chemotherapy followed by surgery (surgery arm, "
        "n = 50) or to chemoradiotherapy alone with close surveillance and salvage surgery when needed "
        "(surveillance arm, n = 50). In the surgery arm, 41 patients underwent resection.",
        100,
    ),
    (
        "randomised-after-screened",
        "Of 900 patients screened, 700 were randomised (350 in each group).",
        700,
    ),
    (
        "count-after-inclusion-verb",
        "We screened 610 adults and randomly assigned 488 (244 per arm).",
        488,
    ),
    (
        "verb-then-count-then-long-noun",
        "We randomised 52 newly diagnosed older inpatients with AML to drug A or B.",
        52,
    ),
    ("fulfilled-criteria", "Of 340 patients screened, 281 fulfilled the inclusion criteria.", 281),
    (
        "eligible-then-enrolled",
        "From 2010 to 2018, 1,500 adults aged 18 to 60 years were eligible, and 1,320 were "
        "enrolled.",
        1320,
    ),
    # Numbers that only name an arm, share a list's unit, or are money are not arm counts.
    (
        "code-names-an-arm",
        "Baseline data were similar between arms (XR 402817, n = 140; placebo, n = 138).",
        278,
    ),
    (
        "group-number-names-an-arm",
        "Group 1 (n=44) received drug A daily, while Group 2 (n=41) received drug B.",
        85,
    ),
    (
        "range-shares-its-unit",
        "In this trial 2,300 pregnant women received aspirin or placebo from 12-20 weeks of "
        "gestation until delivery.",
        2300,
    ),
    (
        "age-range-shares-its-unit",
        "Eighty patients, ASA I or II, aged between 18 and 65 years, were enrolled.",
        80,
    ),
    (
        "dose-list-shares-its-unit",
        "Ninety adults were randomized to placebo or extract at 1500, 3000 or 6000 BU/ml.",
        90,
    ),
    (
        "dose-list-with-a-note",
        "Preterm infants (n = 30) were randomized to formulas with 10 (control), 40, 80, and "
        "160 mg/l of zinc.",
        30,
    ),
    (
        "n-equals-list-is-counts",
        "Thirty patients took part (N = 14, N = 16 for the placebo and drug groups respectively).",
        30,
    ),
    (
        "n-equals-then-percent",
        "Smokers (N=84, 30% female, mean age 41) were enrolled in the programme.",
        84,
    ),
    (
        "n-equals-then-dose",
        "Adults (n = 19, 0.2 U/kg weekly) or placebo (n = 21, saline) were treated.",
        40,
    ),
    (
        "pool-then-those-of-it",
        "Of 620 adults randomly assigned to a group, 540 contributed outcome data.",
        620,
    ),
    # Arms printed after the study's total are its parts, even when one is left out or counted elsewhere.
    (
        "total-then-arms-in-brackets",
        "From 2001 to 2008, 412 women were randomly assigned to surgery (204 patients) or "
        "observation (208 patients).",
        412,
    ),
    (
        "total-then-incomplete-arms",
        "In a phase II trial, 150 patients were randomly assigned to drug A 5 mg (n = 50) or "
        "10 mg (n = 48) plus chemotherapy, or to chemotherapy alone (n = 52).",
        150,
    ),
    (
        "parts-of-one-arm",
        "Two hundred patients (n = 104, surgery; n = 96, radiotherapy) were reviewed; 60 patients "
        "received cisplatin and 36 carboplatin.",
        200,
    ),
    (
        "exponent-is-not-an-arm",
        "Patients were randomized to docetaxel 75 mg/m(2) (n = 120) or paclitaxel 175 mg/m(2) "
        "(n = 118).",
        238,
    ),
    ("hundred-without-one", "Hundred twenty-two adults with asthma were enrolled.", 122),
    (
        "cohort-before-a-later-aim",
        "A randomised comparison of two schedules in myeloma. Eighty-four patients were "
        "randomly assigned to weekly or twice-weekly bortezomib. The present analysis reports "
        "toxicity.",
        84,
    ),
    (
        "slash-is-not-a-unit",
        "A total of 212 mother/infant pairs met the inclusion criteria of the study.",
        212,
    ),
    # A number after a label word is the label: 'ASA class 1 or 2', 'type 2', 'cohort 2', 'phases 2 and 3'.
    (
        "class-list-is-a-label",
        "Forty-four adults of ASA physical status class 1 or 2 were enrolled in this trial.",
        44,
    ),
    (
        "type-is-a-label",
        "In this trial, 312 type 2 diabetic patients were randomized to drug A or drug B.",
        312,
    ),
    (
        "cohort-number-is-a-label",
        "The trial had two parts: cohort 1 enrolled 41 unselected adults and cohort 2 "
        "enrolled 57 marker-positive adults.",
        98,
    ),
    (
        "phase-list-is-a-label",
        "There were 120 and 480 patients randomized and treated in phases 2 and 3, respectively.",
        600,
    ),
    (
        "group-before-a-large-count",
        "In the drug A group 318 subjects were included and in the placebo group 302.",
        620,
    ),
    ("study-before-a-large-count", "In this study 148 adults with anaemia were enrolled.", 148),
    # Nights, facilities, polyps and eyes are not people.
    (
        "nights-are-not-people",
        "Forty adults who underwent elective hip surgery and were expected to stay at least "
        "2 nights in the Surgical ICU (SICU) were included.",
        40,
    ),
    (
        "facilities-are-not-people",
        "Overall, 83 adults with RA were enrolled in the study and treated in 3 different "
        "medical facilities.",
        83,
    ),
    # Stages of one cohort are not arms: the later count is followed by its stage, the gap names an earlier one.
    (
        "enrolled-then-completed",
        "Seventy-two adults diagnosed with RA of the hand were enrolled and 65 completed the "
        "study.",
        72,
    ),
    (
        "treated-then-responders-randomised",
        "21 patients were enrolled and treated with R-GDP, with 15 patients "
        "achieving a response and being randomised to arms A (n:8) and B (n:7).",
        21,
    ),
    (
        "evaluable-is-not-a-stage-verb",
        "The pilot part enrolled 9 patients (n = 9), and the phase II part enrolled 88 "
        "evaluable patients (n = 44 per arm).",
        97,
    ),
    # A whole divided into its groups is not an arm: the count after it is a part.
    (
        "divided-into-groups-of-n",
        "A total of 84 adults were randomly divided into control and treatment group (n=42).",
        84,
    ),
    (
        "divided-then-one-group",
        "The sample consisted of 46 class I subjects, divided in two groups: group 1 consisted "
        "of 25 patients treated with device A.",
        46,
    ),
    (
        "cases-in-each",
        "Adults (n = 150) were randomized to five groups with 30 cases in each: Group A, saline; "
        "Group B, drug.",
        150,
    ),
    (
        "assigned-to-arms-still-sums",
        "Two hundred adults were enrolled: 120 were assigned to arm A and 80 to arm B.",
        200,
    ),
    # Minutes, and 'two-arm' or 'two-centre', are not people.
    (
        "minutes-are-not-people",
        "Infants not extubated within 15 min after birth were randomized. Participants were "
        "210 infants born preterm.",
        210,
    ),
    (
        "two-arm-is-not-two-people",
        "This two-centre, two-arm, 6-month randomized trial included 260 inactive adults "
        "randomized to either 90 (LOW) or 180 (HIGH) minutes/week of walking.",
        260,
    ),
    (
        "two-arm-with-n-equals",
        "A two-arm, single-center study was performed in which 40 surgical candidates (and a "
        "control group, n = 40) were given a leaflet.",
        80,
    ),
    (
        "things-counted-in-people",
        "A total of 184 hand and foot warts in 52 patients were entered into the trial.",
        52,
    ),
    (
        "relatives-of-survivors-are-people",
        "A community sample of 22 first-degree relatives of colorectal cancer "
        "survivors were recruited.",
        22,
    ),
    (
        "polyps-are-not-people",
        "Of 120 patients (305 polyps) who had undergone EMR, all 120 patients with small "
        "polyps were enrolled.",
        120,
    ),
    # The 3 of '7 + 3' is the regimen's, not an arm's count (the lexicon's numbered terms: Mentions.may_hold_numbers).
    (
        "a-number-inside-a-regimen-is-not-an-arm",
        "A total of 61 patients received 7 + 3 and 58 received CPX-351.",
        119,
    ),
]

NOT_COHORT = [
    ("who-died", "Two patients who died early were excluded from the analysis."),
    ("drug-count-and-trials", "Three-drug combinations were compared in four successive trials."),
    ("fraction", "Two-thirds of patients may have central nervous system involvement."),
    ("dose-iu", "The study enrolled 800 IU daily recipients."),
    ("dose-units", "We treated 5000 units per patient in a cohort."),
    ("dose-n-equals", "Patients (n = 1000 IU) were enrolled."),
    ("dose-per-kg", "A total of 400 IU/kg vitamin D patients were included."),
    ("dose-microgram", "We enrolled 250 \u03bcg recipients of the vaccine."),
    # A numerator in words, as '3 of 5 patients relapsed' in digits: the count of those who relapsed.
    ("numerator-in-words", "Three of five patients relapsed after transplantation."),
    ("randomisation-ratio", "Adults with asthma were randomized 2:1 to drug A or placebo."),
    (
        "money",
        "The cost per case was GBP\u00a312,400 in the women and GBP\u00a39,800 in the lower cost analysis.",
    ),
    ("money-dollars", "Care cost $1,250 in the men and $980 in the women."),
    ("eyes", "A total of 48 eyes were included in the study and were divided into 2 equal groups."),
]


@pytest.mark.parametrize("text", [c[1] for c in NOT_COHORT], ids=[c[0] for c in NOT_COHORT])
def test_doses_and_numerators_are_not_cohorts(extractor, text):
    assert run(extractor, text, "cohort_size") == []


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in COHORT], ids=[c[0] for c in COHORT])
def test_cohort_size(extractor, text, expected):
    assert [o.value for o in run(extractor, text, "cohort_size")] == [expected]


def test_a_numerator_in_words_is_not_the_cohort(extractor):
    values = [
        o.value
        for o in run(
            extractor, "Eighteen out of twenty patients were continent in each arm.", "cohort_size"
        )
    ]
    assert 18 not in values


def test_cohort_from_background_is_ignored(extractor):
    text = (
        "BACKGROUND: A previous registry of 1,500 patients reported poor outcomes. "
        "METHODS: We enrolled 48 patients with relapsed lymphoma."
    )
    assert [o.value for o in run(extractor, text, "cohort_size")] == [48]


# ---- confidence intervals ---------------------------------------------------------------------
CI = [
    ("comma", "The median overall survival was 5.2 months (95% CI, 4.1-6.3).", (5.2, 4.1, 6.3)),
    (
        "words-bracket-ci",
        "Median overall survival was 5.2 months (95% confidence interval [CI], 4.1 to 6.3).",
        (5.2, 4.1, 6.3),
    ),
    ("tight-colon-en-dash", "Median OS was 5.2 months (95%CI: 4.1\u20136.3).", (5.2, 4.1, 6.3)),
    (
        "middot",
        "Median overall survival was 11\u00b73 months (95% CI 9\u00b76\u201313\u00b70).",
        (11.3, 9.6, 13.0),
    ),
    (
        "upper-not-estimable",
        "Median OS was 19.4 months (95% CI, 13.0\u2013not estimable).",
        (19.4, 13.0, None),
    ),
    (
        "range-is-not-ci",
        "The median survival time was 13.5 months (range, 1-49 months).",
        (13.5, None, None),
    ),
    ("iqr-is-not-ci", "Median overall survival was 20 months (IQR 12-31).", (20.0, None, None)),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CI], ids=[c[0] for c in CI])
def test_confidence_intervals(extractor, text, expected):
    (o,) = run(extractor, text, "median_os")
    assert (o.value, o.ci_low, o.ci_high) == expected
    assert o.value != 95


# ---- median overall survival -------------------------------------------------------------------
OS = [
    ("months", "The median overall survival was 8 months.", [(8.0, "months", None)]),
    ("mo-abbrev", "Median OS was 7.4 mo in the cohort.", [(7.4, "months", None)]),
    (
        "years",
        "The median overall survival among patients with POD24 was 8.1 years.",
        [(8.1, "years", "patients with POD24")],
    ),
    ("weeks", "Median survival was 22 weeks.", [(22.0, "weeks", None)]),
    (
        "days",
        "The median overall survival was 287 days with CPX-351 versus 201 days with azacitidine.",
        [(287.0, "days", "CPX-351"), (201.0, "days", "azacitidine")],
    ),
    (
        "vs-list",
        "Median overall survival was 1.7 vs 3.0 months for R-GDP and R-ICE, respectively.",
        [(1.7, "months", "R-GDP"), (3.0, "months", "R-ICE")],
    ),
    (
        "respectively-three",
        "With epcoritamab, glofitamab and mosunetuzumab, median OS was 12.1, 10.4 and 7.9 months, "
        "respectively.",
        [
            (12.1, "months", "epcoritamab"),
            (10.4, "months", "glofitamab"),
            (7.9, "months", "mosunetuzumab"),
        ],
    ),
    (
        "per-arm",
        "The median OS was 30.7 months in the XELIRI arm and 16.6 months in the FOLFIRI arm.",
        [(30.7, "months", "XELIRI arm"), (16.6, "months", "FOLFIRI arm")],
    ),
    # 'than' ends a group ('longer in A than in B') except after older, younger, more, less, greater, fewer.
    (
        "age-group-with-than",
        "Median OS was 21 months in patients younger than 65 years and 9 months in older patients.",
        [(21.0, "months", "patients younger than 65 years"), (9.0, "months", "older patients")],
    ),
    # Measures listed with their values 'respectively': each value is its own measure's, in order.
    (
        "measures-respectively",
        "Median PFS and OS were 6.3 and 15.8 months, respectively.",
        [(15.8, "months", None)],
    ),
    (
        "measures-respectively-os-first",
        "Median OS and PFS were 15.8 and 6.3 months, respectively.",
        [(15.8, "months", None)],
    ),
    (
        "measures-respectively-three",
        "Median duration of response, event-free survival and overall survival were 9.0, "
        "5.5 and 19.2 months, respectively.",
        [(19.2, "months", None)],
    ),
    (
        "measures-respectively-abbreviation-between",
        "Median time to progression (TTP) and OS were 4.4 and 10.9 months, respectively.",
        [(10.9, "months", None)],
    ),
    (
        "measures-both-abbreviated",
        "Median event-free survival (EFS) and overall survival (OS) were 7.2 and 18.5 months.",
        [(18.5, "months", None)],
    ),
    (
        "measures-respectively-per-arm-abbreviated",
        "Median progression-free survival (PFS) and OS were 3.3 and 8.0 months, respectively, for arm A, "
        "and 4.1 and 9.6 months, respectively, for arm B.",
        [(8.0, "months", "arm A"), (9.6, "months", "arm B")],
    ),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in OS], ids=[c[0] for c in OS])
def test_median_os(extractor, text, expected):
    assert [(o.value, o.unit, o.group_label) for o in run(extractor, text, "median_os")] == expected


def test_not_reached_and_nr(extractor):
    (o,) = run(
        extractor,
        "After 3 years of follow-up, median overall survival was not reached.",
        "median_os",
    )
    assert o.not_reached and o.value is None
    (o,) = run(extractor, "Median OS was NR for patients with a complete response.", "median_os")
    assert o.not_reached and o.group_label == "patients with a complete response"


def test_not_reached_in_either_arm_is_one_value_per_arm(extractor):
    text = "Patients were randomly assigned to VenO or ClbO. Median overall survival was not reached in either arm."
    assert [(o.not_reached, o.group_label) for o in run(extractor, text, "median_os")] == [
        (True, "VenO"),
        (True, "ClbO"),
    ]


def test_time_origin_kept_as_timepoint(extractor):
    (o,) = run(
        extractor, "The median overall survival from CAR-T infusion was 11.9 months.", "median_os"
    )
    assert o.timepoint == "from CAR-T infusion" and o.group_label is None


def test_group_labels_keep_doses_and_name_each_arm(extractor):
    text = "Median survival rose from 10 months in the 50 Gy group to 14 months in the 66 Gy group (P = 0.01)."
    assert [o.group_label for o in run(extractor, text, "median_os")] == [
        "50 Gy group",
        "66 Gy group",
    ]
    text = "Median OS was 13.1 months and 19.4 months in arms A and B respectively (P = 0.2)."
    assert [o.group_label for o in run(extractor, text, "median_os")] == ["arm A", "arm B"]


@pytest.mark.parametrize(
    ("favoured", "expected"),
    [
        ("B", [(9.1, "three-weekly docetaxel"), (6.2, "weekly docetaxel")]),
        ("A", [(9.1, "weekly docetaxel"), (6.2, "three-weekly docetaxel")]),
    ],
)
def test_the_arm_a_comparison_names_has_the_first_value(extractor, favoured, expected):
    text = (
        "In total, 120 patients were randomly assigned to weekly docetaxel (arm A) or three-weekly docetaxel "
        f"(arm B). Overall survival was longer in arm {favoured} (median 9.1 vs 6.2 months; P=0.02)."
    )
    assert [(o.value, o.group_label) for o in run(extractor, text, "median_os")] == expected


def test_a_bracket_of_results_after_an_arm_is_not_what_the_arm_is(extractor):
    text = (
        "Patients were randomized to arm A (R-CHOP) or arm B (R-CHOP plus lenalidomide). Overall survival "
        "was longer in arm B (median 18.2 vs 11.4 months; HR 0.62)."
    )
    outs = run(extractor, text, "median_os")
    assert [(o.value, o.group_label) for o in outs] == [
        (18.2, "arm B (R-CHOP plus lenalidomide)"),
        (11.4, "arm A (R-CHOP)"),
    ]
    assert outs[0].regimen != "median 18.2 vs 11.4 months"


def test_a_list_of_values_then_a_list_of_arms_pairs_in_order(extractor):
    text = "Median overall survival was 4.1 and 5.6 months in the placebo and drug A arms; HR 0.8 (P = .3)."
    assert [(o.value, o.group_label) for o in run(extractor, text, "median_os")] == [
        (4.1, "placebo"),
        (5.6, "drug A"),
    ]


def test_a_subgroup_comparison_is_not_the_trial_arms(extractor):
    """'X had worse OS (a vs b) compared to Y': the values are X's and Y's, not the randomised arms'."""
    text = (
        "Patients were randomly assigned to drug A or drug B. Patients with high serum LDH had worse OS "
        "(6.2 vs 14.8 months; p = 0.03) compared to patients with normal LDH."
    )
    assert [(o.value, o.group_label) for o in run(extractor, text, "median_os")] == [
        (6.2, "Patients with high serum LDH"),
        (14.8, "patients with normal LDH"),
    ]


def test_continuation_sentence(extractor):
    text = (
        "The median overall survival was 7.8 months. It was 19.6 months in patients bridged to transplantation "
        "and 5.2 months in those who were not."
    )
    got = [(o.value, o.group_label) for o in run(extractor, text, "median_os")]
    assert got == [
        (7.8, None),
        (19.6, "patients bridged to transplantation"),
        (5.2, "those who were not"),
    ]


NOT_OS = [
    ("pfs", "Median progression-free survival was 5.1 months."),
    ("dfs-efs", "Median DFS was 20 months and median EFS was 14 months."),
    ("ttp", "The median time to progression was 2.9 months."),
    ("follow-up", "After a median follow-up of 21.4 months, 40 patients had died."),
    ("age", "The median age was 63 years (range, 24-81)."),
    ("survival-rate", "The 1-year overall survival was 59% and the 2-year OS rate was 41%."),
    ("difference", "Overall survival was longer by 7.1 months with the combination."),
    (
        "age-of-a-group",
        "Moreover, the overall survival rate at 5 years was higher in men < 60 years of age (P = 0.02).",
    ),
]


def test_other_free_survivals_are_not_os(extractor):
    text = "Median overall survival was 20 months; median symptom-free survival was 9 months."
    assert [o.value for o in run(extractor, text, "median_os")] == [20.0]


def test_a_duration_with_its_spread_is_the_duration_not_the_spread(extractor):
    text = "Overall survival was 47.2 \u00b1 3.1 months versus 52.6 \u00b1 4.4 months in arms A and B, respectively."
    assert [o.value for o in run(extractor, text, "median_os")] == [47.2, 52.6]


@pytest.mark.parametrize("text", [c[1] for c in NOT_OS], ids=[c[0] for c in NOT_OS])
def test_not_median_os(extractor, text):
    assert run(extractor, text, "median_os") == []


# ---- relapse / progression rates ---------------------------------------------------------------
def test_a_rate_listed_with_other_measures_respectively_is_its_own(extractor):
    text = "At 2 years, the cumulative relapse rate and OS were 28% and 61%, respectively."
    assert [o.value for o in run(extractor, text, "relapse_rate")] == [28.0]


def test_relapse_percent_and_counts(extractor):
    (o,) = run(
        extractor,
        "Of the 305 patients included, approximately 60% experienced relapse or disease progression.",
        "relapse_rate",
    )
    assert (o.value, o.group_label) == (60.0, None)
    (o,) = run(extractor, "Relapse occurred in 17 of 42 responders.", "relapse_rate")
    assert (o.value, o.numerator, o.denominator) == (
        40.5,
        17,
        42,
    ) and "computed_from_counts" in o.flags
    (o,) = run(extractor, "Recurrence was documented in 182/305 (60%) patients.", "relapse_rate")
    assert (o.value, o.numerator, o.denominator) == (60.0, 182, 305)


def test_cumulative_incidence_with_timepoint(extractor):
    (o,) = run(
        extractor,
        "The 2-year cumulative incidence of relapse was 25% (95% CI, 18-33).",
        "relapse_rate",
    )
    assert (o.value, o.timepoint, o.ci_low, o.ci_high) == (25.0, "2 years", 18.0, 33.0)


def test_relapse_counted_inside_a_group_and_among_responders(extractor):
    (o,) = run(
        extractor,
        "Of those in remission, 14 of the 40 patients in CR relapsed (35%).",
        "relapse_rate",
    )
    assert (o.value, o.numerator, o.denominator, o.group_label) == (35.0, 14, 40, "patients in CR")
    (o,) = run(
        extractor,
        "The 2-year cumulative incidence of relapse among responders was 31%.",
        "relapse_rate",
    )
    assert (o.value, o.group_label, o.timepoint) == (31.0, "responders", "2 years")


def test_relapse_per_arm(extractor):
    text = "Disease progression occurred in 22 of 40 patients (55%) in the Pola-BR arm and 31 of 40 (77.5%) in the BR arm."
    got = [(o.value, o.group_label, o.regimen) for o in run(extractor, text, "relapse_rate")]
    assert got == [(55.0, "Pola-BR arm", "Pola-BR"), (77.5, "BR arm", "BR")]


NOT_RELAPSE = [
    ("pfs-rate", "The 2-year progression-free survival rate was 45%."),
    ("relative-reduction", "Maintenance reduced the risk of recurrence by 30%."),
    ("hazard-ratio", "The hazard ratio for relapse was 0.68 (95% CI, 0.5-0.9)."),
    ("response-rate", "The overall response rate was 57% in relapsed patients."),
    ("relapse-free", "Relapse-free survival at 3 years was 62%."),
    ("population", "We included 40% of patients with relapsed or refractory disease."),
    (
        "follow-up-is-no-denominator",
        "Forty patients were treated. After a median follow-up of 14 months, 12 relapsed.",
    ),
    (
        "ci-level-in-words",
        "The 5-year relapse-free survival rates were 59 percent and 65 percent (hazard ratio for "
        "relapse, 0.83; 95 percent confidence interval, 0.66 to 1.04).",
    ),
    ("survival-from-relapse", "Survival from relapse was 8% vs 11% (P = 0.6)."),
    (
        "pd-l1-is-not-progression",
        "We enrolled patients whose tumours had PD-L1 expression on at least 1% of cells, "
        "randomized to drug A or chemotherapy.",
    ),
    (
        "a-list-of-reductions",
        "At 2 years, drug A reduced the risk of relapse by 44% and 49% in the two dose groups.",
    ),
    (
        "relapse-free-without-survival",
        "Rates were similar for relapse-free (35% vs 36%, P = 0.8) and overall survival "
        "(41% vs 44%).",
    ),
]


def test_shares_of_the_relapses_by_site_are_not_relapse_rates(extractor):
    text = "Relapses occurred in 18 (40%) of 45 patients, predominantly in the CNS (61%) and bone marrow (44%)."
    assert [o.value for o in run(extractor, text, "relapse_rate")] == [40.0]
    assert (
        run(
            extractor,
            "The site of first relapse was locoregional 120 (58%) and distant 87 (42%).",
            "relapse_rate",
        )
        == []
    )
    text = (
        "Brain metastases as first site of relapse occurred in 4% (9 of 240 patients) with drug A and 7% (17 of 238 "
        "patients) with drug B (treatment difference, -3.1%; 95% CI, -7% to 1%)."
    )
    assert [o.value for o in run(extractor, text, "relapse_rate")] == [
        4.0,
        7.0,
    ]  # over all patients: rates


def test_a_square_bracket_ends_a_group(extractor):
    text = (
        "The recurrence rate was 10.5% in the vaccine group versus 14.1% in the control group "
        "[relative risk reduction 25%, HR 0.75]."
    )
    assert [o.group_label for o in run(extractor, text, "relapse_rate")] == [
        "vaccine group",
        "control group",
    ]


def test_a_rate_with_its_spread_is_the_rate_not_the_spread(extractor):
    text = "The 5-year cumulative incidence of relapse was 18.5 \u00b1 4.8% and 14.2 \u00b1 4.3% in arms A and B, respectively."
    assert [o.value for o in run(extractor, text, "relapse_rate")] == [18.5, 14.2]


@pytest.mark.parametrize("text", [c[1] for c in NOT_RELAPSE], ids=[c[0] for c in NOT_RELAPSE])
def test_not_relapse_rate(extractor, text):
    assert run(extractor, text, "relapse_rate") == []


def test_background_relapse_rate_is_not_this_studys(extractor):
    text = (
        "Relapse after CAR-T is common; earlier series reported that about half of infused patients relapse, and "
        "the relapse rate of responders reaches 60%. We therefore aimed to describe 80 patients. "
        "Relapse occurred in 30% of them."
    )
    assert [o.value for o in run(extractor, text, "relapse_rate")] == [30.0]


# ---- complete-response rates -------------------------------------------------------------------
def test_none_of_the_patients_is_zero_percent(extractor):
    text = (
        "None of the patients receiving conventional chemotherapy had a complete response, while approximately "
        "30% of the patients that received polatuzumab or lenalidomide-based therapies had a complete response."
    )
    got = [(o.value, o.group_label) for o in run(extractor, text, "cr_rate")]
    assert got == [
        (0.0, "conventional chemotherapy"),
        (30.0, "polatuzumab or lenalidomide-based therapies"),
    ]


def test_overall_and_complete_respectively(extractor):
    text = "Overall (complete) response rates were 67% (38%), 51% (36%) and 25% (0%) for A-AVD, BV-CHP and CHOP, respectively."
    assert [(o.value, o.group_label) for o in run(extractor, text, "cr_rate")] == [
        (38.0, "A-AVD"),
        (36.0, "BV-CHP"),
        (0.0, "CHOP"),
    ]


def test_arms_named_in_brackets_pair_with_respectively_inside_a_subgroup(extractor):
    text = (
        "Patients were randomly assigned to six cycles of bendamustine and rituximab followed by rituximab "
        "maintenance (maintenance arm) or the same induction without maintenance (observation arm). "
        "CR rates were 44% and 41%, respectively. "
        "In the high-risk subgroup (n = 90), CR rates were 37% and 30%, respectively."
    )
    assert [(o.value, o.group_label) for o in run(extractor, text, "cr_rate")] == [
        (44.0, "maintenance arm (bendamustine and rituximab followed by rituximab maintenance)"),
        (41.0, "observation arm (the same induction without maintenance)"),
        (
            37.0,
            "maintenance arm (bendamustine and rituximab followed by rituximab maintenance), high-risk subgroup",
        ),
        (30.0, "observation arm (the same induction without maintenance), high-risk subgroup"),
    ]


def test_cr_achieved_by_a_count_and_partial_kinds_compete(extractor):
    text = "A complete metabolic response was achieved by 40 patients (50%) and a partial metabolic response by 20 (25%)."
    assert [(o.value, o.numerator) for o in run(extractor, text, "cr_rate")] == [(50.0, 40)]


def test_cr_and_pr_listed_with_their_rates_are_two_measures_not_one(extractor):
    text = "After induction, CR and PR rates were 52% and 27%, respectively."
    assert [o.value for o in run(extractor, text, "cr_rate")] == [52.0]
    assert (
        run(extractor, "CR and PR were seen in 61% of the patients.", "cr_rate") == []
    )  # one composite


def test_rates_of_groups_listed_with_of(extractor):
    text = "A complete metabolic response was seen in 91% of MRD-negative and 58% of MRD-positive patients."
    assert [(o.value, o.group_label) for o in run(extractor, text, "cr_rate")] == [
        (91.0, "MRD-negative"),
        (58.0, "MRD-positive patients"),
    ]
    text = "During maintenance, 20% of those on ixazomib and 5% of those under observation converted to CR."
    assert [(o.value, o.group_label) for o in run(extractor, text, "cr_rate")] == [
        (20.0, "ixazomib"),
        (5.0, "observation"),
    ]


def test_a_range_across_groups_gives_each_group_its_value(extractor):
    text = "CR was achieved in 61% of patients overall, ranging from 48% in those over 70 years to 70% in younger adults."
    assert [(o.value, o.group_label) for o in run(extractor, text, "cr_rate")] == [
        (61.0, None),
        (48.0, "over 70 years"),
        (70.0, "younger adults"),
    ]
    assert [
        o.value for o in run(extractor, "The CR rate was 40% (range, 20%-60%).", "cr_rate")
    ] == [40.0]


def test_a_rate_achieved_by_a_share_of_patients_is_not_a_relative_change(extractor):
    (o,) = run(
        extractor,
        "A complete response was achieved by 64% of 150 patients treated with R-CHOP.",
        "cr_rate",
    )
    assert o.value == 64.0
    (o,) = run(extractor, "CR was achieved by 38% of the evaluable patients.", "cr_rate")
    assert o.value == 38.0
    assert run(extractor, "The CR rate was reduced by 20% of its baseline value.", "cr_rate") == []


def test_a_group_before_a_bracketed_cue_and_value(extractor):
    text = "Outcomes were worse in patients with complex karyotype (CR/CRi 28%)."
    assert [(o.value, o.group_label) for o in run(extractor, text, "cr_rate")] == [
        (28.0, "complex karyotype")
    ]
    assert [
        (o.value, o.group_label) for o in run(extractor, "The ORR was 70% (CR 40%).", "cr_rate")
    ] == [(40.0, None)]
    text = "Responses were fewer in patients with bulky disease (ORR 41%; CR 12%)."
    assert [(o.value, o.group_label) for o in run(extractor, text, "cr_rate")] == [
        (12.0, "bulky disease")
    ]
    text = "Among patients older than 70 years (ORR 38%, CR 19%) responses lasted."
    assert [(o.value, o.group_label) for o in run(extractor, text, "cr_rate")] == [
        (19.0, "patients older than 70 years")
    ]
    text = "In patients aged 65 years or older (CR 22%), toxicity was higher."
    assert [o.group_label for o in run(extractor, text, "cr_rate")] != ["older"]


def test_counts_and_orr_with_cr(extractor):
    (o,) = run(extractor, "CR was achieved in 12 of 40 patients (30%).", "cr_rate")
    assert (o.value, o.numerator, o.denominator) == (30.0, 12, 40)
    (o,) = run(extractor, "The ORR was 80% with CR 45%.", "cr_rate")
    assert o.value == 45.0


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("CR/CRi was achieved in 66% of patients.", 66.0),
        ("A complete metabolic response was seen in 52% of patients.", 52.0),
        ("The pCR rate was 38.6% after carboplatin.", 38.6),
        ("Pathological complete response occurred in 21 of 60 patients (35%).", 35.0),
    ],
    ids=["cr-cri", "cmr", "pcr", "pathological"],
)
def test_kinds_of_complete_response(extractor, text, value):
    assert [o.value for o in run(extractor, text, "cr_rate")] == [value]


NOT_CR = [
    ("orr-alone", "The overall response rate was 57%."),
    ("cr-plus-pr", "CR + PR was observed in 60% of patients."),
    ("complete-or-partial", "Complete or partial responses occurred in 44% of patients."),
    (
        "antiemetic",
        "Complete response (no emesis and no rescue medication) was 63% with olanzapine.",
    ),
    ("pain", "Complete pain relief was reported by 40%, and complete response of pain in 30%."),
    (
        "prior-status",
        "At randomisation, 64% of patients were in complete response after chemotherapy.",
    ),
    # The abstract's own CR is something else.
    (
        "cr-is-calorie-restriction",
        "Adults were randomized to calorie restriction (CR) or exercise. Weight fell by "
        "6.1% with CR and 4.2% with exercise.",
    ),
    (
        "cr-is-a-formulation",
        "A controlled-release (CR) formulation was tested. With CR, 82% of the dose was absorbed.",
    ),
    (
        "cr-suffix-is-a-formulation",
        "Serious events were reported by 30 patients (10.9%) on drug A and 21 (7.7%) on "
        "valproate-CR; 11 (4.0%) and 19 (7.0%) discontinued.",
    ),
]


def test_a_difference_between_rates_is_not_a_rate(extractor):
    text = (
        "A pCR was seen in 21% (15/71) of patients given drug A and in 14% (10/72) given placebo "
        "(6.94% difference, 95% CI -4.1 to 18.0; P = 0.25)."
    )
    assert [o.value for o in run(extractor, text, "cr_rate")] == [21.0, 14.0]


def test_cr_defined_as_complete_response_still_counts(extractor):
    text = "The complete response (CR) rate was 42%. CR was more frequent with drug A."
    assert [o.value for o in run(extractor, text, "cr_rate")] == [42.0]


@pytest.mark.parametrize("text", [c[1] for c in NOT_CR], ids=[c[0] for c in NOT_CR])
def test_not_cr_rate(extractor, text):
    assert run(extractor, text, "cr_rate") == []


def test_labelled_list_after_colon(extractor):
    text = "End-of-treatment CR rates were: CHOP, 39%; CHOEP, 48%; BV-CHP, 55%."
    assert [(o.value, o.group_label) for o in run(extractor, text, "cr_rate")] == [
        (39.0, "CHOP"),
        (48.0, "CHOEP"),
        (55.0, "BV-CHP"),
    ]


# ---- regimens ----------------------------------------------------------------------------------
def test_regimen_canonical_names_stems_and_defined_abbreviations(extractor):
    text = (
        "Patients received polatuzumab-bendamustine-rituximab (Pola-BR) or zilovertamab. "
        "CR rates were 40% with Pola-BR and 18% with zilovertamab. Median OS was 9 months with R-CHOP-21."
    )
    crs = run(extractor, text, "cr_rate")
    assert [(o.group_label, o.regimen) for o in crs] == [
        ("Pola-BR", "Pola-BR"),
        ("zilovertamab", "zilovertamab"),
    ]
    (os_,) = run(extractor, text, "median_os")
    assert os_.regimen == "R-CHOP"


def test_a_subgroup_of_a_single_arm_study_keeps_the_study_treatment(extractor):
    text = (
        "We treated 90 patients with relapsed myeloma with talquetamab. The CR rate was 30%, and 12% in patients "
        "with extramedullary disease. Median OS was 20.1 months, and 9.8 months in patients with high-risk "
        "cytogenetics."
    )
    crs = run(extractor, text, "cr_rate")
    assert [(o.value, o.group_label, o.regimen) for o in crs] == [
        (30.0, None, "talquetamab"),
        (12.0, "patients with extramedullary disease", "talquetamab"),
    ]
    oss = run(extractor, text, "median_os")
    assert [(o.value, o.regimen) for o in oss] == [(20.1, "talquetamab"), (9.8, "talquetamab")]


def test_an_abbreviation_of_an_event_is_not_the_treatment_inside_it(extractor):
    text = (
        "Early relapse after first-line immunochemotherapy (ERIC) marks a poor-risk group. "
        "Median OS was 5.5 years in patients with ERIC."
    )
    (os_,) = run(extractor, text, "median_os")
    assert (os_.group_label, os_.regimen) == ("patients with ERIC", None)


# ---- flags -------------------------------------------------------------------------------------
def test_flags(extractor):
    (o,) = run(
        extractor, "The median overall survival was 15.0 months (95% CI, 4.1-6.3).", "median_os"
    )
    assert "estimate_outside_ci" in o.flags
    (o,) = run(extractor, "CR was achieved in 12 of 40 patients (45%).", "cr_rate")
    assert "count_percent_mismatch" in o.flags
    (o,) = run(extractor, "Complete response was observed in 120% of lesions.", "cr_rate")
    assert "percent_over_100" in o.flags
    (o,) = run(
        extractor,
        "Complete response rates of 40% have been reported previously with this regimen.",
        "cr_rate",
    )
    assert "background_sentence" in o.flags


def test_a_unit_with_a_long_s_is_read_not_a_crash(extractor):
    (o,) = run(extractor, "Median overall survival was 12.5 month\u017f.", "median_os")
    assert (o.value, o.unit) == (12.5, "months")


def test_the_patients_a_share_is_of_are_the_cohort(extractor):
    (o,) = run(
        extractor,
        "Seventy-two percent of 140 patients achieved a complete remission.",
        "cohort_size",
    )
    assert o.value == 140
    assert (
        run(
            extractor,
            "Seventy-two percent of patients achieved a complete remission.",
            "cohort_size",
        )
        == []
    )


def test_a_share_of_patients_that_relapsed(extractor):
    assert [
        o.value for o in run(extractor, "In the end, 22% of patients relapsed.", "relapse_rate")
    ] == [22.0]
    text = "Overall, 18% of the 95 patients progressed."
    assert [o.value for o in run(extractor, text, "relapse_rate")] == [18.0]


def test_responders_who_relapsed(extractor):
    for text in (
        "Four of the seven complete responders later relapsed.",
        "4 of 7 responders relapsed.",
    ):
        assert [
            (o.value, o.numerator, o.denominator) for o in run(extractor, text, "relapse_rate")
        ] == [(57.1, 4, 7)]
    assert [
        o.value for o in run(extractor, "The rate of complete responders was 35%.", "cr_rate")
    ] == [35.0]


def test_a_respectively_list_with_a_shared_head_noun_after_an_overall_value(extractor):
    text = (
        "Complete remission was achieved in 39.0% of patients overall, and in 48.5%, 36.0% and 27.7% of patients "
        "in first, second and third or later relapse, respectively."
    )
    assert [(o.value, o.group_label) for o in run(extractor, text, "cr_rate")] == [
        (39.0, None),
        (48.5, "first relapse"),
        (36.0, "second relapse"),
        (27.7, "third or later relapse"),
    ]
    text = "Median OS was 30, 21 and 9 months in low, intermediate and high risk patients, respectively."
    assert [o.group_label for o in run(extractor, text, "median_os")] == [
        "low risk",
        "intermediate risk",
        "high risk",
    ]


def test_a_unit_printed_after_the_interval(extractor):
    (o,) = run(
        extractor, "Median overall survival was 16.2 (95% CI, 11.0-21.4) months.", "median_os"
    )
    assert (o.value, o.unit, o.ci_low, o.ci_high) == (16.2, "months", 11.0, 21.4)
    text = "Median OS (95% CI) was 10.4 [8.1-13.0] months with drug A vs 15.2 [12.2-18.9] months with drug B."
    assert [
        (o.value, o.group_label, o.ci_low, o.ci_high) for o in run(extractor, text, "median_os")
    ] == [(10.4, "drug A", 8.1, 13.0), (15.2, "drug B", 12.2, 18.9)]
    text = (
        "Median overall survival was 6.9 months (95% CI, 5.5-8.0) overall and 10.2 [8.3-12.6], 6.1 [4.9-7.7] "
        "and 3.8 [2.9-5.0] months for first, second and third or later salvage, respectively."
    )
    assert [(o.value, o.group_label, o.ci_high) for o in run(extractor, text, "median_os")] == [
        (6.9, None, 8.0),
        (10.2, "first salvage", 12.6),
        (6.1, "second salvage", 7.7),
        (3.8, "third or later salvage", 5.0),
    ]


def test_not_reached_in_either_group_named_by_the_other_values(extractor):
    text = (
        "Two-year PFS was 91.0% for MRD-negative and 64.5% for MRD-positive patients, and median overall "
        "survival was not reached in either group."
    )
    assert [(o.not_reached, o.group_label) for o in run(extractor, text, "median_os")] == [
        (True, "MRD-negative"),
        (True, "MRD-positive patients"),
    ]
    assert [
        o.group_label
        for o in run(extractor, "Median OS was not reached in either group.", "median_os")
    ] == [None]


def test_three_arms_listed_with_their_sizes(extractor):
    text = (
        "Overall, 240 patients were randomly assigned: 81 to R-GemOx, 80 to R-GemOx plus ibrutinib and 79 to "
        "R-GemOx plus lenalidomide. Complete response rates were 41%, 52% and 47%, respectively."
    )
    assert [(o.value, o.group_label) for o in run(extractor, text, "cr_rate")] == [
        (41.0, "R-GemOx"),
        (52.0, "R-GemOx plus ibrutinib"),
        (47.0, "R-GemOx plus lenalidomide"),
    ]
    text = (
        "Of 150 randomised patients, 50 were assigned to arm A, 52 to arm B and 48 to arm C. "
        "Complete responses occurred in 10%, 19% and 8%, respectively."
    )
    assert [o.group_label for o in run(extractor, text, "cr_rate")] == ["arm A", "arm B", "arm C"]


def test_an_arm_description_runs_on_to_the_bracket_naming_it(extractor):
    text = (
        "Patients were randomly assigned to bortezomib plus melphalan and prednisone (VMP; n = 120) or melphalan "
        "and prednisone (MP; n = 118). The complete response rate was 30% vs 4%."
    )
    assert [(o.value, o.group_label) for o in run(extractor, text, "cr_rate")] == [
        (30.0, "bortezomib plus melphalan and prednisone (VMP)"),
        (4.0, "melphalan and prednisone (MP)"),
    ]


def test_a_group_named_after_the_denominator(extractor):
    text = "Complete remission was documented in 52 of the 70 HD-MTX patients and in 40 of the 71 SD-MTX patients."
    assert [(o.value, o.group_label) for o in run(extractor, text, "cr_rate")] == [
        (74.3, "HD-MTX"),
        (56.3, "SD-MTX"),
    ]


def test_a_second_list_in_a_sentence_takes_the_groups_of_the_first(extractor):
    text = (
        "The complete remission rate was 40.2% with drug X versus 18.8% with placebo, and the complete remission "
        "rate at 6 months was 35.5% versus 12.1%."
    )
    assert [(o.value, o.group_label) for o in run(extractor, text, "cr_rate")] == [
        (40.2, "drug X"),
        (18.8, "placebo"),
        (35.5, "drug X"),
        (12.1, "placebo"),
    ]


def test_an_abbreviation_of_two_drugs_keeps_both(extractor):
    text = (
        "Patients received doxorubicin and docetaxel (AD) or epirubicin alone. The complete response rate was "
        "21% with AD."
    )
    (o,) = run(extractor, text, "cr_rate")
    assert (o.group_label, o.regimen) == ("AD", "doxorubicin and docetaxel")


def test_a_continuation_sentence_with_another_measure_named_after_its_values(extractor):
    text = (
        "Median overall survival was 41 weeks (95% CI 33-49) for the whole series. It was 47 weeks among those "
        "given drug A and 32 weeks among those treated with drug B (P = 0.02), although progression-free survival "
        "at 6 months did not differ (40% vs 36%)."
    )
    assert [(o.value, o.unit, o.group_label) for o in run(extractor, text, "median_os")] == [
        (41.0, "weeks", None),
        (47.0, "weeks", "drug A"),
        (32.0, "weeks", "drug B"),
    ]


def test_survived_a_median_of(extractor):
    text = "Patients given drug A survived a median of 7.1 months, compared with 5.2 months for drug B."
    assert [o.value for o in run(extractor, text, "median_os")] == [7.1, 5.2]


def test_a_count_over_a_group_with_an_adverb(extractor):
    text = "We enrolled 50 patients. Of the 33 responders, 12 subsequently progressed."
    (o,) = run(extractor, text, "relapse_rate")
    assert (o.value, o.numerator, o.denominator, o.group_label) == (36.4, 12, 33, "responders")


def test_patients_who_received_a_treatment_of_whom_some_responded(extractor):
    text = "We enrolled 60 patients. Eighteen patients received drug X, of whom 5 obtained a complete response."
    (o,) = run(extractor, text, "cr_rate")
    assert (o.value, o.numerator, o.denominator, o.group_label) == (27.8, 5, 18, "drug X")


def test_a_rate_the_design_assumed_is_not_a_result(extractor):
    assert (
        run(
            extractor,
            "The complete remission rate exceeded the prespecified threshold of 20%.",
            "cr_rate",
        )
        == []
    )
    assert [
        o.value for o in run(extractor, "The CR rate of 35% exceeded the 20% benchmark.", "cr_rate")
    ] == [35.0]


def test_a_named_arm_with_a_long_definition(extractor):
    text = (
        "Patients were randomly assigned to four cycles of carboplatin plus pemetrexed followed by maintenance with "
        "pemetrexed given every three weeks (arm A) or to carboplatin alone (arm B). Complete responses occurred "
        "in 12% and 5%, respectively."
    )
    assert [(o.group_label, o.regimen) for o in run(extractor, text, "cr_rate")] == [
        (
            "arm A (carboplatin plus pemetrexed followed by maintenance with pemetrexed given every three weeks)",
            "four cycles of carboplatin plus pemetrexed followed by maintenance with pemetrexed given every three weeks",
        ),
        ("arm B (carboplatin alone)", "carboplatin alone"),
    ]


# ---- a cold review of the rules above found these; each gave a wrong value ------------------------
REVIEW_CASES = [
    (
        "os-continuation-owned-by-later-cue",
        "Median overall survival was 24 months. The corresponding figures were 10 "
        "and 8 months for event-free survival.",
        "median_os",
        [(24.0, None)],
    ),
    (
        "os-continuation-this-was-pfs",
        "Median OS was 20.1 months. This was 8.3 months for PFS.",
        "median_os",
        [(20.1, None)],
    ),
    (
        "bracket-after-a-clause",
        "Patients were randomly assigned to placebo or ibrutinib and were followed for survival "
        "(OS; n = 200). CR rates were 10% and 30%.",
        "cr_rate",
        [(10.0, "placebo"), (30.0, "ibrutinib")],
    ),
    (
        "age-ranges-are-not-arms",
        "Patients aged 18 to 39, 40 to 59 and 60 to 80 years were eligible. The CR rate was 50%, "
        "40% and 30%.",
        "cr_rate",
        [(50.0, None), (40.0, None), (30.0, None)],
    ),
    (
        "ratio-in-words",
        "Adults with AML were randomized 2 to 1 to receive drug A or placebo.",
        "cohort_size",
        [],
    ),
    (
        "two-counts-one-noun",
        "The analysis population included 512 and 230 subjects from trials one and two, "
        "respectively.",
        "cohort_size",
        [],
    ),
    (
        "of-whom-prior-therapy",
        "Of 100 patients, 40 patients received prior rituximab, of whom 12 achieved a complete "
        "response to study treatment.",
        "cr_rate",
        [],
    ),
    (
        "lived-with-disease",
        "Patients had lived a median of 4 years with the disease before enrolment.",
        "median_os",
        [],
    ),
]


@pytest.mark.parametrize(
    "text,measure,expected", [c[1:] for c in REVIEW_CASES], ids=[c[0] for c in REVIEW_CASES]
)
def test_review_cases(extractor, text, measure, expected):
    assert [(o.value, o.group_label) for o in run(extractor, text, measure)] == expected


def test_a_count_after_an_inclusion_verb_passes_the_gate(extractor):
    from evidence_tables.extractor.extract import Extractor

    text = "The trial included 60 American Society of Anesthesiologists class I-II male patients undergoing surgery."
    assert (
        [o.value for o in Extractor(gate=False).extract(text)]
        == [o.value for o in extractor.extract(text)]
        == [60.0]
    )


def test_two_studies_arms_are_not_equal():
    from evidence_tables.extractor.arms import Arms

    assert (
        Arms() != Arms()
    )  # each reads its own document lazily; equal-looking empty fields mean nothing


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Women (n = 585), 46 to 74 years old, completed online questionnaires at baseline and three months.",
            585,
        ),
        (
            "In this pilot study, participants were 181 African American female health center patients.",
            181,
        ),
        (
            "Three hundred twenty-six patients with grade >or=2 mucositis were randomized to drug (n = 163) or placebo "
            "(n = 163).",
            326,
        ),
        (
            "From 1990 to 1995, 412 women with tumours of no more than 2 cm were randomly assigned to mastectomy "
            "(206 patients) or lumpectomy (206 patients).",
            412,
        ),
    ],
    ids=[
        "people-before-n-equals",
        "long-noun-phrase",
        "threshold-is-not-a-count",
        "size-in-the-subject",
    ],
)
def test_cohort_size_of_real_shapes(extractor, text, expected):
    (o,) = run(extractor, text, "cohort_size")
    assert o.value == expected


def test_complete_plus_near_complete_is_no_cr_rate(extractor):
    text = "The complete response plus near-complete response rate was higher with VTD (45% v 21%; P = .001)."
    assert run(extractor, text, "cr_rate") == []
    assert run(extractor, "A near-complete response was seen in 30% of patients.", "cr_rate") == []


def test_measures_listed_with_their_qualifiers_take_their_values_in_order(extractor):
    text = (
        "The overall response, minimal residual disease (MRD)-negative complete response (CR), MRD-positive CR, "
        "and partial response rates were 90%, 41%, 30%, and 12%, respectively."
    )
    assert [o.value for o in run(extractor, text, "cr_rate")] == [
        41.0,
        30.0,
    ]  # not the 90% of the ORR


def test_best_response_categories_and_pod24(extractor):
    text = (
        "Responses did not differ between arms (complete plus partial response, 54% v 49%), and progressive "
        "disease was 3.2% versus 5.4%, respectively."
    )
    assert (
        run(extractor, text, "relapse_rate") == []
    )  # a best-response category, not a relapse rate
    text = (
        "POD24 occurred in 17.6% of the pooled population, 15.9% after BR and 19.5% after R-CHOP."
    )
    found = run(extractor, text, "relapse_rate")
    assert [(o.value, o.group_label) for o in found] == [
        (17.6, None),
        (15.9, "BR"),
        (19.5, "R-CHOP"),
    ]
    (o,) = run(
        extractor,
        "Progressive disease occurred in 40% of patients after a median of 5 months.",
        "relapse_rate",
    )
    assert (o.value, o.group_label, o.flags) == (40.0, None, ())


def test_a_rate_stated_as_a_measures_is_not_the_next_verbs(extractor):
    text = "In the expansion part, the overall response rate was 81.3% and 14 of 32 patients reached complete response."
    assert [o.value for o in run(extractor, text, "cr_rate")] == [43.8]
    text = "At the end of induction, 90.1% of patients had at least a VGPR and 41.0% a complete response or better."
    assert [o.value for o in run(extractor, text, "cr_rate")] == [41.0]
    assert (
        run(
            extractor,
            "Relapses involving the CNS accounted for 19% of all relapses.",
            "relapse_rate",
        )
        == []
    )


def test_not_reached_for_a_list_of_measures_and_a_ci_after_a_semicolon(extractor):
    text = "After a median follow-up of 4 years, the median overall survival (OS) and PFS were not reached."
    assert [o.not_reached for o in run(extractor, text, "median_os")] == [True]
    text = "Of 31 patients, 18 (58.1%; 90% CI, 42.0 to 73.0) had a pathological complete response."
    assert [o.value for o in run(extractor, text, "cr_rate")] == [58.1]


def _os(extractor, text):
    return [(o.value, o.group_label) for o in extractor.extract(text) if o.measure == "median_os"]


def test_measures_listed_in_a_bracket_per_arm_take_their_values_in_order(extractor):
    text = (
        "Median times to progression and overall survival in the vinorelbine arm (3.9 and 10.6 months, "
        "respectively) were similar to those in the gemcitabine arm (4.4 and 9.7 months, respectively)."
    )
    assert _os(extractor, text) == [(10.6, "vinorelbine arm"), (9.7, "gemcitabine arm")]


@pytest.mark.parametrize(
    "text",
    [
        "Median EFS and OS were 7.2 and 19.4 months.",
        "Median EFS and OS were 7.2 months (95% CI, 5.0-9.9) and 19.4 months (95% CI, 14.1-25.0).",
    ],
)
def test_measures_listed_take_their_values_in_order_without_the_word_respectively(extractor, text):
    assert _os(extractor, text) == [(19.4, None)]


def test_two_runs_of_listed_measures_each_with_its_group(extractor):
    text = (
        "The median PFS and OS were 3.1 and 11.5 months in arm A and 4.0 and 12.8 months in arm B."
    )
    assert _os(extractor, text) == [(11.5, "arm A"), (12.8, "arm B")]


@pytest.mark.parametrize(
    "text",
    [
        "Mean OS was 16.2 (azacitidine) vs 19.0 months (decitabine).",
        "The mean overall survival was 23 months.",
    ],
)
def test_a_mean_survival_is_no_median(extractor, text):
    assert _os(extractor, text) == []


def test_median_survival_time_abbreviated_mst_is_overall_survival(extractor):
    assert _os(extractor, "The MST was 15.6 months.") == [(15.6, None)]


def test_a_measure_named_right_after_the_values_owns_them(extractor):
    text = (
        "Overall survival at 2 years was 61% vs 58% (P=0.7), and 14.2 versus 13.0 months median time to "
        "progression in the two arms."
    )
    assert _os(extractor, text) == []
    text = "Progression-free survival was longer with drug X, with 21.3 months (median OS) overall."
    assert [v for v, _ in _os(extractor, text)] == [21.3]


@pytest.mark.parametrize(
    "text",
    [
        "Maintenance lowered the absolute risk of relapse by almost 7%.",
        "The study was powered to detect a fall in the relapse rate from 35% to 20%.",
        "The equivalence margin was a recurrence rate of 8% in the short-course arm.",
    ],
)
def test_a_change_or_a_design_figure_is_no_relapse_rate(extractor, text):
    assert [o.value for o in extractor.extract(text) if o.measure == "relapse_rate"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Overall, 44% of patients had progressed within 24 months of frontline chemoimmunotherapy.",
        "At study entry, 57% had disease progression on their last therapy.",
        "In the expansion cohort, 48% of patients had relapsed after prior CAR T-cell therapy.",
    ],
)
def test_the_patients_history_before_the_study_is_no_relapse_rate(extractor, text):
    assert [o.value for o in extractor.extract(text) if o.measure == "relapse_rate"] == []


def test_patients_who_relapsed_are_people_unless_their_share_is_given(extractor):
    text = (
        "Of 38 patients who relapsed after transplantation, 24% achieved CR with salvage therapy."
    )
    assert [o.measure for o in extractor.extract(text) if o.measure != "cohort_size"] == ["cr_rate"]
    text = "The proportion of patients who relapsed was 27%."
    assert [o.value for o in extractor.extract(text) if o.measure == "relapse_rate"] == [27.0]


def test_a_criterion_no_cr_in_a_list_is_no_rate(extractor):
    text = (
        "Very high risk was defined by MRD of 10-3 or more at day 78, no complete remission (CR) at day 33, or "
        "t(4;11)."
    )
    assert [o.value for o in extractor.extract(text) if o.measure == "cr_rate"] == []
    assert [
        o.value for o in extractor.extract("No CR was observed.") if o.measure == "cr_rate"
    ] == [0.0]
    assert [
        o.value
        for o in extractor.extract("There were no complete responses.")
        if o.measure == "cr_rate"
    ] == [0.0]


def test_an_overall_count_including_a_subgroup_is_two_rates(extractor):
    text = (
        "A total of 19 patients (63.3%), including 8 (26.7%) with hyperleukocytosis, achieved CR."
    )
    found = [(o.value, o.group_label) for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert found == [(63.3, None), (26.7, "hyperleukocytosis")]


def test_times_survived_not_said_to_be_medians_are_no_median_os(extractor):
    text = "Patients with seizures at onset fared better (170.2 vs. 64 weeks survival time; p less than 0.01)."
    assert [o.value for o in extractor.extract(text) if o.measure == "median_os"] == []


def test_a_statistic_in_brackets_is_no_arm_definition(extractor):
    text = "Median survival was 101 weeks in Group A (range 7 to 290+ weeks) and 99 weeks in Group B (range 15 to 400+ weeks)."
    assert [o.group_label for o in extractor.extract(text) if o.measure == "median_os"] == [
        "Group A",
        "Group B",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Median OS was 29.0 months in the A group and 24.1 months in the B group (P=0.09; absolute difference, 4.9 months).",
        "Median survival was 20.5 weeks in the IT group and 33.0 weeks in the non-IT group (difference 12.5 weeks).",
    ],
)
def test_a_difference_between_medians_is_no_median(extractor, text):
    assert len([o for o in extractor.extract(text) if o.measure == "median_os"]) == 2


@pytest.mark.parametrize(
    ("text", "values"),
    [
        (
            "The 2-year cumulative incidences of relapse and NRM were 31% and 11%, respectively.",
            [31.0],
        ),
        ("The cumulative incidences of TRM and of relapse were 14% and 26%, respectively.", [26.0]),
    ],
)
def test_transplant_mortality_listed_beside_relapse_is_not_relapse(extractor, text, values):
    assert [o.value for o in extractor.extract(text) if o.measure == "relapse_rate"] == values


@pytest.mark.parametrize(
    "text",
    [
        "Central lines were compared for catheter-related serious adverse events (CR-SAEs). In all, 27 patients (9.8%) "
        "had CR-SAEs.",
        "Participants were assigned to a commercial meal replacement (CMR) or a standard diet. CMR produced a 6% "
        "weight loss.",
    ],
)
def test_an_abbreviation_defined_as_something_else_is_no_complete_response(extractor, text):
    assert [o.value for o in extractor.extract(text) if o.measure == "cr_rate"] == []


def test_complete_metabolic_response_abbreviated_is_still_a_response(extractor):
    text = "Complete metabolic response (CMR) was achieved in 68% of patients."
    assert [o.value for o in extractor.extract(text) if o.measure == "cr_rate"] == [68.0]


def test_a_verb_whose_object_is_another_response_reaches_no_cue_after_it(extractor):
    text = (
        "After six cycles, 52% of patients achieved a partial metabolic response, with complete "
        "response documented in 9%."
    )
    assert [o.value for o in extractor.extract(text) if o.measure == "cr_rate"] == [9.0]


@pytest.mark.parametrize(
    "text",
    [
        "All patients were followed until disease progression or death.",
        "The proportion of patients with no radiographic progression at 2 years was 91.2%.",
    ],
)
def test_follow_up_until_progression_or_freedom_from_it_is_no_relapse_rate(extractor, text):
    assert [o.value for o in extractor.extract(text) if o.measure == "relapse_rate"] == []


def test_a_range_of_percents_is_no_list(extractor):
    text = "Relapse occurred in between 10 and 20% of patients in earlier series."
    assert 10.0 not in [o.value for o in extractor.extract(text) if o.measure == "relapse_rate"]


def test_patients_without_a_remission_are_a_group_not_a_cr_rate(extractor):
    text = "EFS was 38.0% in 21 patients with no CR at day 29, 33.3% in 9 patients with MLL rearrangement."
    assert [o.value for o in extractor.extract(text) if o.measure == "cr_rate"] == []


def test_relapsed_or_died_is_an_event_count_not_a_relapse_rate(extractor):
    text = "After a median follow-up of 30 months, 58 patients (29%) relapsed or died."
    assert [o.value for o in extractor.extract(text) if o.measure == "relapse_rate"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The overall and complete response rates were 88% and 41%, respectively.", [41.0]),
        ("Objective and complete response rates were 57% and 19%.", [19.0]),
        (
            "The overall and complete response rates (ORR/CRR) were 94% and 62%, respectively.",
            [62.0],
        ),
        ("The overall and complete response rates (CRRs) were 96% and 71%, respectively.", [71.0]),
        ("Partial and complete remissions were seen in 6/10 patients of arm A.", []),
        (
            "The clinical and pathological complete remission rates were 30.2% and 24.5%, respectively.",
            [30.2, 24.5],
        ),
    ],
)
def test_another_measure_named_by_an_adjective_before_the_cue_keeps_its_value(
    extractor, text, expected
):
    assert [o.value for o in extractor.extract(text) if o.measure == "cr_rate"] == expected


def test_pd_naming_a_group_is_no_progressive_disease(extractor):
    """'23% in PD, 27% in P group': PD is an arm's name here (propofol-dexamethasone)."""
    text = (
        "Patients received propofol (Group P) or propofol plus dexamethasone (Group PD). Nausea "
        "occurred in 21.5% in PD, 29.0% in P group and 51.0% in D group."
    )
    assert [o for o in extractor.extract(text) if o.measure == "relapse_rate"] == []
    kept = "PD occurred in 35% of patients."
    assert [o.value for o in extractor.extract(kept) if o.measure == "relapse_rate"] == [35.0]


@pytest.mark.parametrize(
    "text",
    [
        "The response rates (complete response and partial response) of patients who received FAC and "
        "FACT were similar (61.0% v 63.5%, respectively).",
        "At one year, 19 patients (70.4%) achieved complete remission of diabetes mellitus.",
        "Complete remission of proteinuria occurred in 38% of patients.",
    ],
    ids=["cr-and-pr-defining-a-response-rate", "diabetes-remission", "proteinuria-remission"],
)
def test_no_cr_rate_of_a_composite_or_a_nonmalignant_remission(extractor, text):
    assert [o for o in extractor.extract(text) if o.measure == "cr_rate"] == []


@pytest.mark.parametrize(
    "text",
    [
        "CR rates were 61% in first relapse and 24% in second or later relapse.",
        "Patients in second relapse had a CR rate of 30%.",
        "Of patients treated at first relapse, 55% achieved CR.",
    ],
    ids=["in-second-or-later-relapse", "in-second-relapse", "at-first-relapse"],
)
def test_a_numbered_relapse_is_a_disease_status_not_a_rate(extractor, text):
    assert [o for o in extractor.extract(text) if o.measure == "relapse_rate"] == []


@pytest.mark.parametrize(
    "text",
    [
        "At the time of relapse, 31% of patients had extramedullary disease.",
        "After relapse, 58% of patients received salvage chemotherapy.",
        "Following progression, 47% of patients received subsequent therapy.",
        "Among patients treated at relapse, 36% achieved a second CR.",
    ],
    ids=["at-the-time-of", "after-relapse", "following-progression", "treated-at-relapse"],
)
def test_the_time_of_an_event_is_no_rate_of_it(extractor, text):
    assert [o for o in extractor.extract(text) if o.measure == "relapse_rate"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Disease progression was the most common reason for discontinuation (38%).",
        "The most common reason for discontinuation was progression (38%).",
        "Most relapses (72%) occurred within the first year.",
        "Patients were enrolled at first relapse (61%) or second relapse (39%).",
    ],
    ids=["reason-after-cue", "reason-before-cue", "most-relapses", "or-second-relapse"],
)
def test_a_share_of_events_or_of_reasons_is_no_relapse_rate(extractor, text):
    assert [o for o in extractor.extract(text) if o.measure == "relapse_rate"] == []


def test_a_value_with_its_own_predicate_is_not_the_measure_before(extractor):
    """'The CR/CRi rate was 55%, and 60% of responders were MRD negative': the 60% is no CR rate."""
    found = extractor.extract("The CR/CRi rate was 52%, and 63% of responders were MRD negative.")
    assert [(o.measure, o.value) for o in found] == [("cr_rate", 52.0)]
    kept = extractor.extract("CR rates were 40% in arm A and 30% of patients in arm B were in CR.")
    assert [o.value for o in kept if o.measure == "cr_rate"] == [40.0, 30.0]


def test_a_pair_of_classes_is_no_count_over_a_denominator(extractor):
    """'kinase 4/6 inhibitor', 'status (0/1)': classes, not 4 of 6 people who progressed."""
    text = (
        "Methods: Women with advanced breast cancer who progressed in the metastatic setting were "
        "randomly assigned 1:1 to drug A or drug B, stratified by prior cyclin-dependent kinase 4/6 "
        "inhibitor use and status (0/1). Results: 288 women were randomly assigned to drug A "
        "(n = 144) or drug B (n = 144)."
    )
    assert run(extractor, text, "relapse_rate") == []


def test_a_count_over_a_denominator_still_is(extractor):
    found = run(
        extractor, "Relapse occurred in 4/6 patients in arm A and 1/7 in arm B.", "relapse_rate"
    )
    assert [o.value for o in found] == [66.7, 14.3]


def test_treated_until_progression_is_no_progression_rate(extractor):
    """'treatment until disease progression, only 29% and 47% were treated until progression': when
    treatment stopped, not a rate of progression."""
    text = (
        "Results: A total of 760 patients were randomly assigned to drug A or placebo. A review of "
        "withdrawals showed that, although the protocol allowed treatment until disease progression, "
        "only 27% and 45% of drug A and placebo recipients, respectively, were treated until progression."
    )
    assert run(extractor, text, "relapse_rate") == []


def test_a_breakdown_of_a_composite_cr_by_category(extractor):
    """'CR/CRi 94% (CR, 81%; CRi, 13%)': the CR item is a CR rate of the same people, CRi alone is none;
    'MLFS, 30%' neither."""
    text = (
        "In the older cohort, the CR/CRi rate was 94% (CR, 81%; CRi, 13%). The composite CR rate was "
        "66% (CR, 20%; CR with incomplete platelet recovery, 16%; and morphologic leukemia-free "
        "state, 30%)."
    )
    found = run(extractor, text, "cr_rate")
    assert [o.value for o in found] == [94.0, 81.0, 20.0]  # (66%: a composite with MLFS, none)
    assert [o.group_label for o in found][:2] == ["older cohort", "older cohort"]


def test_a_composite_counting_mlfs_is_no_cr_rate(extractor):
    """'The composite CR rate was 71% (CR, 19%; CRi, 16%; and MLFS, 36%)': a composite with MLFS is no
    CR rate (GUIDE); its CR item is."""
    text = (
        "Results: Sixty patients were enrolled. The composite CR rate was 71% (CR, 19%; CR with "
        "incomplete platelet recovery, 16%; and morphologic leukemia-free state, 36%)."
    )
    assert [o.value for o in run(extractor, text, "cr_rate")] == [19.0]


def test_a_count_with_its_own_verb_after_a_semicolon_is_not_the_measure_before(extractor):
    """'the CR/CRi rate was 27%; nine additional patients (41%) achieved MLFS': the 41% is MLFS."""
    text = (
        "Results: Forty patients were enrolled. In the relapsed/refractory cohort, the CR/CRi rate was "
        "27%; nine additional patients (41%) achieved a morphologic leukemia\u2013free state."
    )
    assert [o.value for o in run(extractor, text, "cr_rate")] == [27.0]


def test_values_with_an_aside_before_their_unit(extractor):
    """'40.5 (IQR, 20.7 to not reached) and 36.2 (IQR, 17.7-53.3) months': both are months, the IQRs are
    no CIs; '12 (range, 2-30 months)' keeps its own."""
    text = (
        "Methods: We randomly assigned 640 patients to drug A plus drug B or drug B alone. Results: The "
        "median OS was 39.5 (IQR, 19.7 to not reached) and 35.2 (IQR, 16.7-51.3) months, respectively "
        "(HR, 0.83; P = .04)."
    )
    found = run(extractor, text, "median_os")
    assert [(o.value, o.unit, o.ci_low) for o in found] == [
        (39.5, "months", None),
        (35.2, "months", None),
    ]
    assert [o.group_label for o in found] == ["drug A plus drug B", "drug B alone"]


def test_each_value_bracketed_with_its_arm_before_the_statistics(extractor):
    """'41.8 (A + B) versus 37.7 months (B; HR, 0.82)': each value's arm is in its bracket, stated."""
    text = (
        "Methods: We randomly assigned 640 patients to nab-paclitaxel plus gemcitabine or gemcitabine "
        "alone. Results: At the final analysis, median OS was 40.8 (nab-paclitaxel + gemcitabine) versus "
        "36.7 months (gemcitabine; HR, 0.81; 95% CI, 0.68 to 0.96; P = .02)."
    )
    found = run(extractor, text, "median_os")
    assert [(o.value, o.flags) for o in found] == [(40.8, ()), (36.7, ())]
    assert "nab-paclitaxel" in found[0].group_label and "nab" not in found[1].group_label


def test_what_the_relapses_were_is_no_relapse_rate(extractor):
    """'Markers of MRD relapse included mutant NPM1 (75%), CBFB::MYH11 (5%)': shares of the relapses by
    marker; but 'consisted of 5% isolated local and 12% isolated distant failures' are rates of everyone."""
    text = (
        "Results: Fifty adults were enrolled. Markers of molecular MRD relapse included mutant NPM1 "
        "(75%), CBFB::MYH11 (5%), or KMT2A::MLLT3 (5%)."
    )
    assert run(extractor, text, "relapse_rate") == []
    text = (
        "Results: 180 women were treated. The recurrence distribution consisted of 5% isolated local "
        "and 12% isolated distant failures."
    )
    assert [o.value for o in run(extractor, text, "relapse_rate")] == [5.0, 12.0]


def test_people_named_by_their_kind_of_relapse_have_no_relapse_rate(extractor):
    """'The 12-month EFS for the 22 patients with isolated testicular relapse was 94.0%': an EFS of the
    people with that relapse, not a relapse rate."""
    text = (
        "Results: 210 children were treated. The 12-month EFS for the 22 patients with isolated "
        "testicular relapse was 94.0% (95% CI, 85.9 to 100), and for the 9 patients with isolated CNS "
        "relapse, it was 66.7%."
    )
    assert run(extractor, text, "relapse_rate") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "After a median follow-up of 24 months, 25 patients (66%) had not developed recurrence of disease.",
        "Fifteen patients stopped therapy for reasons other than disease progression, and 11 (73%) of 15 "
        "kept their responses off therapy.",
        "Fourteen (25.9%) patients stopped drug X before progression because of toxicity, most often "
        "mucositis (8/14; 57.1%).",
        "Four patients (12.5%) had a partial response, 22 (68.8%) had stable disease, and two patients "
        "(6.3%) had progression of disease as best response.",
        "Most recurrences were invasive (75%) and ipsilateral (61%).",
        "At last follow-up, all patients who experienced a recurrence were disease-free.",
        "Patients aged 1-30 years in first relapse were randomly assigned to block 2/block 3/two "
        "continuation cycles or block 2/two cycles of drug Y.",
    ],
    ids=[
        "not-developed",
        "other-than",
        "before",
        "best-response",
        "most-were",
        "who-experienced",
        "blocks",
    ],
)
def test_no_relapse_rate_in(extractor, sentence):
    text = "Results: Forty patients with lymphoma were treated. " + sentence
    assert run(extractor, text, "relapse_rate") == []


def test_all_who_achieved_cr_is_people_not_a_cr_rate(extractor):
    """'All 10 patients who achieved CR relapsed': a relapse rate of 100%, no CR rate; 'All patients who
    received X achieved CR' is a CR rate."""
    text = "Results: Forty patients were treated. All 10 patients who achieved CR relapsed."
    assert run(extractor, text, "cr_rate") == []
    assert [o.value for o in run(extractor, text, "relapse_rate")] == [100.0]


@pytest.mark.parametrize(
    "sentence",
    [
        "The confirmed overall response rate (by independent review using RECIST v1.1) was 36.7% "
        "(95% CI, 20.8 to 55.8), with an additional converted complete response (n = 2).",
        "In the evaluable population (n = 32), the ORR was 15.6%, including 2 (6.3%) complete "
        "responders and 3 (9.4%) partial responders.",
        "One complete response, seven partial responses, and two SD16+ were observed for DC and OR "
        "rates of 41% (90% CI, 27 to 100) and 33% (95% CI, 16 to 52), respectively.",
    ],
    ids=["orr-with-an-aside", "partial-responders-named-after", "counted-responses-then-rates"],
)
def test_other_responses_values_are_no_cr_rates(extractor, sentence):
    """The ORR stated with an aside before 'was', a value followed by 'partial responders', rates named
    'DC and OR rates of' after counted responses: none is a CR rate (the 6.3% complete responders is)."""
    text = "Results: Thirty-two patients were treated. " + sentence
    assert [o.value for o in run(extractor, text, "cr_rate")] in ([], [6.3])


def test_the_entire_cohort_item_of_a_list_is_everyone(extractor):
    """'for the TNBC, HR+/HER2- and entire cohort, respectively': the last value is the whole cohort's."""
    text = (
        "Results: In all, 150 women were treated. The pCR rate was 58.2%, 31.3%, and 50.5% for the "
        "TNBC, HR+/HER2-, and entire cohort, respectively."
    )
    found = run(extractor, text, "cr_rate")
    assert [(o.value, o.group_label) for o in found] == [
        (58.2, "TNBC"),
        (31.3, "HR+/HER2-"),
        (50.5, None),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The median time to local recurrence was 18 months, and only 15% of local recurrences were "
        "diagnosed 5 years after the original resection.",
        "In 61.5% of patients in whom cancer recurred, the first recurrence was distant.",
        "The coping style emerged as a predictor of disease recurrence, accounting for 27% of the variance.",
    ],
    ids=["share-of-local-recurrences", "share-of-those-who-recurred", "share-of-variance"],
)
def test_shares_that_are_no_relapse_rates(extractor, sentence):
    text = "Results: In all, 210 patients were treated. " + sentence
    assert run(extractor, text, "relapse_rate") == []


def test_as_much_as_sets_the_second_group_before_a_bracket(extractor):
    """'was twice as much as in those with negative margins (35% versus 17%)': the group before the bracket
    is the second's, so it is not given the first value (no order taken: flagged)."""
    text = (
        "Results: In all, 210 patients were treated. The incidence of local recurrence in patients with "
        "positive margins was twice as much as in those with negative margins (35% versus 17%)."
    )
    found = run(extractor, text, "relapse_rate")
    assert [o.value for o in found] == [35.0, 17.0]
    assert "negative" not in (found[0].group_label or "")


def test_a_time_the_curves_separated_at_is_no_median(extractor):
    """'OS curves separated at approximately 24 months': a point in time, no median OS."""
    text = (
        "Results: 310 patients were randomized. Kaplan-Meier OS curves separated at approximately 24 "
        "months, and median OS was about 13.2 months."
    )
    assert [o.value for o in run(extractor, text, "median_os")] == [13.2]
