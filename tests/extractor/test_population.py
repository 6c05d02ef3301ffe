"""Every value with its population: each way an abstract scopes a value, on sentences written for these tests.

A case gives the text, the measure and, for each value expected, the words its group must hold:
- a string: `group_label` holds it (any case), and the value is not flagged `group_uncertain`;
- None: no group (the whole cohort) and no flag;
- "?": no group, flagged `group_uncertain` (the text does not say whose it is).
"""

from __future__ import annotations

import pytest

from evidence_tables.extractor.outcomes import FLAG_ARM_ORDER, FLAG_GROUP_UNCERTAIN

UNSURE = "?"

CASES = [
    # trailing 'in / among / for / with X'
    (
        "trailing-in",
        "The CR rate was 42% in patients aged 65 years or older.",
        "cr_rate",
        [(42.0, "aged 65 years or older")],
    ),
    (
        "trailing-among",
        "Relapse occurred in 31% among complete responders.",
        "relapse_rate",
        [(31.0, "complete responders")],
    ),
    (
        "trailing-for",
        "Median OS was 11.2 months for limited disease.",
        "median_os",
        [(11.2, "limited disease")],
    ),
    (
        "trailing-with",
        "Median overall survival was 9.8 months with R-ICE and 7.1 months with R-DHAP.",
        "median_os",
        [(9.8, "R-ICE"), (7.1, "R-DHAP")],
    ),
    # a leading scope over the clause
    (
        "leading-in",
        "In TP53-mutated patients, the CR/CRi rate was 34%.",
        "cr_rate",
        [(34.0, "TP53-mutated")],
    ),
    (
        "leading-among",
        "Among patients aged 70 years or older, median OS was 7.1 months.",
        "median_os",
        [(7.1, "aged 70 years or older")],
    ),
    (
        "leading-arm",
        "In arm B, 61% of patients achieved a complete response.",
        "cr_rate",
        [(61.0, "arm B")],
    ),
    (
        "leading-cohort",
        "In the phase Ib part, median OS was 14.2 months.",
        "median_os",
        [(14.2, "phase Ib")],
    ),
    ("leading-whole", "In the whole cohort, median OS was 8.4 months.", "median_os", [(8.4, None)]),
    # the subject has or achieves it
    (
        "subject-had",
        "Patients with ER-negative tumours had a pCR rate of 38%.",
        "cr_rate",
        [(38.0, "ER-negative")],
    ),
    (
        "subject-than",
        "Patients treated with PCR-B had a higher CR rate (54.5% vs 31.3%) than those treated with FCR.",
        "cr_rate",
        [(54.5, "PCR-B"), (31.3, "FCR")],
    ),
    (
        "subject-compared",
        "The ASCT group showed a lower relapse rate (28% vs 41%, P = .02) compared with the "
        "chemotherapy group.",
        "relapse_rate",
        [(28.0, "ASCT"), (41.0, "chemotherapy")],
    ),
    # lists paired in order
    (
        "respectively-after",
        "CR rates were 44% and 29% in the frontline and relapsed cohorts, respectively.",
        "cr_rate",
        [(44.0, "frontline"), (29.0, "relapsed")],
    ),
    (
        "respectively-before",
        "For R-CHOP and R-CVP, the CR rates were 52% and 37%, respectively.",
        "cr_rate",
        [(52.0, "R-CHOP"), (37.0, "R-CVP")],
    ),
    (
        "respectively-arm-a-and-b",
        "The recurrence rates were 48% and 39% in arm A and B, respectively.",
        "relapse_rate",
        [(48.0, "arm A"), (39.0, "arm B")],
    ),
    (
        "vs-then-groups",
        "The CR rate was 61% vs 38% (R-DA-EPOCH vs R-CHOP).",
        "cr_rate",
        [(61.0, "R-DA-EPOCH"), (38.0, "R-CHOP")],
    ),
    (
        "each-with-its-group",
        "Relapse occurred in 18% in the maintenance arm vs 35% in the observation arm.",
        "relapse_rate",
        [(18.0, "maintenance"), (35.0, "observation")],
    ),
    (
        "higher-in-a-than-b",
        "The CR rate was higher in the azacitidine group than in the decitabine group (48% vs 33%).",
        "cr_rate",
        [(48.0, "azacitidine"), (33.0, "decitabine")],
    ),
    (
        "group-after-the-noun",
        "Among 200 eligible patients, there was a 48% CR rate with 7+3 and a 62% CR rate with "
        "CPX-351.",
        "cr_rate",
        [(48.0, "7+3"), (62.0, "CPX-351")],
    ),
    (
        "arm-letters-in-a-bracket",
        "Patients were randomly assigned to FOLFOX plus drug X (arm A) or FOLFOX alone (arm B). "
        "Pathologic complete response rates were higher with drug X (A, 31%; B, 17%; P = .02).",
        "cr_rate",
        [(31.0, "arm A"), (17.0, "arm B")],
    ),
    # response-defined groups, the usual denominator of a relapse rate
    (
        "of-the-n-who-achieved",
        "Of the 84 patients who achieved CR, 29 (34.5%) relapsed.",
        "relapse_rate",
        [(34.5, "achieved CR")],
    ),
    (
        "of-these",
        "Overall, 112 patients were enrolled; 70 (62.5%) achieved CR and, of these, 24 (34.3%) relapsed.",
        "relapse_rate",
        [(34.3, "achieved CR")],
    ),
    (
        "among-them",
        "Seventy patients attained a complete remission. Among them, 21 (30%) relapsed within a year.",
        "relapse_rate",
        [(30.0, "complete remission")],
    ),
    # arms named in Methods, referred to later by their short names
    (
        "arm-a-defined",
        "Patients were randomly assigned to docetaxel every 3 weeks (arm A) or weekly docetaxel (arm B). "
        "Median OS was 10.1 months in arm A and 9.4 months in arm B.",
        "median_os",
        [(10.1, "arm A"), (9.4, "arm B")],
    ),
    (
        "study-group-defined",
        "The study group received chemotherapy plus letrozole and the control group received "
        "chemotherapy alone. The pCR rate was 31% in the study group and 18% in the control group.",
        "cr_rate",
        [(31.0, "study group"), (18.0, "control group")],
    ),
    # brackets and intervals between a value and its group
    (
        "group-after-interval-with-nr",
        "Median OS was 24.1 months (95% CI, 18.2 to not reached [NR]) with drug X versus "
        "17.9 months (95% CI, 14.0 to 21.3) with placebo.",
        "median_os",
        [(24.1, "drug X"), (17.9, "placebo")],
    ),
    (
        "of-people-before",
        "The median survival of patients with elevated LDH was 9.2 months, compared with 21.4 months "
        "for patients with normal LDH.",
        "median_os",
        [(9.2, "elevated LDH"), (21.4, "normal LDH")],
    ),
    (
        "group-before-bracket-with-n",
        "Median OS of responders (n = 44, 18.1 months) was longer than that of "
        "nonresponders (n = 30, 6.2 months).",
        "median_os",
        [(18.1, "responders"), (6.2, "nonresponders")],
    ),
    (
        "number-inside-first-group",
        "Median OS in patients achieving a 3-log reduction was 21 months compared to 9 months "
        "in those without it.",
        "median_os",
        [(21.0, "3-log reduction"), (9.0, "without")],
    ),
    # time origins: an event of the disease defines who was followed, a treatment only when the clock started
    ("origin-event", "Median OS from relapse was 6.2 months.", "median_os", [(6.2, "relapse")]),
    (
        "origin-treatment",
        "Median OS from CAR-T infusion was 14.5 months.",
        "median_os",
        [(14.5, None)],
    ),
    # more shapes of real abstracts
    (
        "counts-then-arms",
        "Relapse had occurred in 12 (10.1%) and 19 (16.4%) patients in the maintenance and "
        "observation groups.",
        "relapse_rate",
        [(10.1, "maintenance"), (16.4, "observation")],
    ),
    (
        "respectively-groups-reused",
        "Median PFS was 11.2 and 4.9 months for LD and ED, respectively, and median "
        "overall survival was 25.3 months and 9.8 months, respectively.",
        "median_os",
        [(25.3, "LD"), (9.8, "ED")],
    ),
    (
        "counts-with-short-labels",
        "Complete responses were seen in 12 of 30 LD and 4 of 61 ED patients.",
        "cr_rate",
        [(40.0, "LD"), (6.6, "ED")],
    ),
    (
        "patients-in-a-status",
        "With a median follow-up of 4 years, three of the 52 patients in remission experienced "
        "molecular relapse.",
        "relapse_rate",
        [(5.8, "remission")],
    ),
    (
        "subject-adjective-patients",
        "Stage III patients had a 5-year distant recurrence rate of 21.7%.",
        "relapse_rate",
        [(21.7, "Stage III")],
    ),
    (
        "subject-fared",
        "Patients with CNS involvement at diagnosis (n = 11) fared worse, with a median overall "
        "survival of 10.2 months.",
        "median_os",
        [(10.2, "CNS involvement")],
    ),
    (
        "scope-then-it-was",
        "Median overall survival was 31.0 months in the experimental group; in the control group "
        "it was 26.4 months.",
        "median_os",
        [(31.0, "experimental"), (26.4, "control")],
    ),
    (
        "subjects-with-their-groups",
        "Among 120 patients with unmutated IGHV, of whom 15.0% on acalabrutinib and 58.3% on "
        "chemoimmunotherapy progressed, the difference was significant.",
        "relapse_rate",
        [(15.0, "acalabrutinib"), (58.3, "chemoimmunotherapy")],
    ),
    (
        "count-then-status-word",
        "Relapse occurred in 4 of 31 MRD-negative patients compared with 10 of 13 "
        "MRD-positive patients.",
        "relapse_rate",
        [(12.9, "MRD-negative"), (76.9, "MRD-positive")],
    ),
    (
        "shares-of-named-people",
        "By then, 52.0% of experimental-arm patients and 66.3% of control-arm patients had "
        "experienced disease progression.",
        "relapse_rate",
        [(52.0, "experimental-arm"), (66.3, "control-arm")],
    ),
    (
        "among-a-than-among-b",
        "Progression was more frequent among patients who stayed MRD-positive than among "
        "MRD-negative patients (22.1% vs 5.0%).",
        "relapse_rate",
        [(22.1, "stayed MRD-positive"), (5.0, "MRD-negative")],
    ),
    # the text does not say whose it is
    (
        "comparison-without-groups",
        "Patients were randomly assigned to ibrutinib or placebo. Complete responses were "
        "seen in 18% (P = .04 for the comparison).",
        "cr_rate",
        [(18.0, UNSURE)],
    ),
    (
        "label-that-is-no-population",
        "Histological complete responses were achieved in 20 (77%) of 26 patients and "
        "partial responses in 5 (19%) of 26 patients.",
        "cr_rate",
        [(77.0, None)],
    ),
    # a remission status names who relapsed: it is a group, not a CR rate of its own
    (
        "status-among-after-timepoint",
        "The 3-year cumulative incidence of relapse among patients in CR/CRh was 38.5%.",
        "relapse_rate",
        [(38.5, "CR/CRh")],
    ),
    (
        "status-timepoint-between",
        "The cumulative incidence of relapse at 4 years among patients in first remission was 27%.",
        "relapse_rate",
        [(27.0, "first remission")],
    ),
    (
        "status-numbered-remissions",
        "Relapse at 3 years was 18.2% for CR1, 33.0% for CR2 and 51.4% for refractory disease.",
        "relapse_rate",
        [(18.2, "CR1"), (33.0, "CR2"), (51.4, "refractory disease")],
    ),
    (
        "status-after-composite",
        "Relapse after CR + CRh occurred in 14 of 50 patients in arm A and 22 of 48 in arm B.",
        "relapse_rate",
        [(28.0, "arm A"), (45.8, "arm B")],
    ),
    # the subject of 'had': participles and gene names
    (
        "subject-participle",
        "Patients transplanted in second remission had a median OS of 21.7 months.",
        "median_os",
        [(21.7, "transplanted in second remission")],
    ),
    (
        "subject-gene-name",
        "FLT3-mutated patients had a CR rate of 62%, and their median OS was 16.0 months.",
        "cr_rate",
        [(62.0, "FLT3-mutated")],
    ),
    (
        "whole-pooled",
        "Median overall survival was 19.4 months for the pooled population.",
        "median_os",
        [(19.4, None)],
    ),
    # age bands are groups, not times survived; a list split at their numbers
    (
        "age-bands-each",
        "By age, median OS was 30.2 months for 18-39 years, 21.5 months for 40-59 years and 9.8 months for 60-75 years.",
        "median_os",
        [(30.2, "18-39 years"), (21.5, "40-59 years"), (9.8, "60-75 years")],
    ),
    (
        "age-bands-respectively",
        "Median OS was 12.6 and 8.1 months for patients aged 50-59 and 60-69 years, respectively.",
        "median_os",
        [(12.6, "50-59"), (8.1, "60-69")],
    ),
    # each value of a clause of its own, with the group that opens the clause
    (
        "clause-each-its-group",
        "In patients with secondary AML, median OS was 7.7 months, and in those with NPM1 mutation it was 22.0 months.",
        "median_os",
        [(7.7, "secondary AML"), (22.0, "NPM1 mutation")],
    ),
    (
        "clause-whereas-among",
        "Among patients with FLT3-ITD, the CR rate was 58%, whereas among those with wild-type FLT3 it was 71%.",
        "cr_rate",
        [(58.0, "FLT3-ITD"), (71.0, "wild-type FLT3")],
    ),
    # values right after the name of a regimen or a defined abbreviation, as items of a list
    (
        "named-items-after-colon",
        "Patients received pomalidomide-dexamethasone (Pd) or isatuximab-Pd (Isa-Pd). Cumulative incidence of "
        "progression at 2 years: Isa-Pd 41.5%, Pd 63.0%.",
        "relapse_rate",
        [(41.5, "Isa-Pd"), (63.0, "Pd")],
    ),
    (
        "named-items-in-brackets",
        "Patients received pomalidomide-dexamethasone (Pd) or isatuximab-Pd (Isa-Pd). Overall, CR was achieved "
        "in 18.2% of patients (Isa-Pd 24.0%; Pd 12.1%).",
        "cr_rate",
        [(18.2, None), (24.0, "Isa-Pd"), (12.1, "Pd")],
    ),
    # a relative clause names the people
    (
        "subject-whose",
        "Patients whose disease was primary refractory had a median OS of 5.6 months.",
        "median_os",
        [(5.6, "whose disease was primary refractory")],
    ),
    (
        "relative-after-count",
        "Relapse occurred in 9 of 30 patients (30.0%) who did not receive maintenance.",
        "relapse_rate",
        [(30.0, "who did not receive maintenance")],
    ),
    (
        "relative-after-count-remission",
        "Relapse occurred in 7 of 25 patients (28.0%) who achieved CR after two cycles.",
        "relapse_rate",
        [(28.0, "who achieved CR")],
    ),
    (
        "study-and-control-group",
        "Pathologic complete response rates were 31.4% and 12.0% in the study and the control group, respectively.",
        "cr_rate",
        [(31.4, "study group"), (12.0, "control")],
    ),
    (
        "by-list-respectively",
        "Local recurrence rates were 4.1% and 3.3% by APBI and WBI, respectively.",
        "relapse_rate",
        [(4.1, "APBI"), (3.3, "WBI")],
    ),
    (
        "one-percent-sign-for-the-list",
        "Local recurrence rates were 4.1 and 3.3 % by APBI and WBI, respectively.",
        "relapse_rate",
        [(4.1, "APBI"), (3.3, "WBI")],
    ),
    (
        "values-of-one-bracket-after-a-site",
        "Rates were similar across arms: pCR in breast and nodes (28, 24, and 26%).",
        "cr_rate",
        [(28.0, UNSURE), (24.0, UNSURE), (26.0, UNSURE)],
    ),
    (
        "counts-then-percent-after-a-semicolon",
        "Fewer patients had a relapse with maintenance (14/96; 14.6%) than with observation (31/95; 32.6%).",
        "relapse_rate",
        [(14.6, "maintenance"), (32.6, "observation")],
    ),
    (
        "count-over-a-sized-scope",
        "Among patients with a FLT3 mutation (n=30), 12 achieved CR.",
        "cr_rate",
        [(40.0, "FLT3 mutation")],
    ),
    (
        "count-after-the-cue-over-a-sized-scope",
        "Among patients with a FLT3 mutation (n=30), CR was achieved in 12 patients.",
        "cr_rate",
        [(40.0, "FLT3 mutation")],
    ),
    (
        "either-arm-after-valued-arms",
        "The relapse rate was 12.5% in the intensified arm versus 25.0% in the standard arm. Four-year EFS "
        "was 80% vs 70%. Median overall survival was not reached in either arm.",
        "median_os",
        [(None, "intensified arm"), (None, "standard arm")],
    ),
    (
        "subject-with-a-time-in-its-words",
        "Patients who progressed within 12 months of ASCT had a median OS of 3.9 months versus 15.0 months "
        "for those progressing later.",
        "median_os",
        [(3.9, "progressed within 12 months"), (15.0, "progressing later")],
    ),
    (
        "whereas-that-of",
        "The median OS of patients with complex karyotype was 5.8 months, whereas that of patients with "
        "normal karyotype was 16.4 months.",
        "median_os",
        [(5.8, "complex karyotype"), (16.4, "normal karyotype")],
    ),
    (
        "suspended-hyphens",
        "Median OS was 6.1, 10.0 and 19.5 months for poor-, intermediate- and good-risk patients, respectively.",
        "median_os",
        [(6.1, "poor-risk"), (10.0, "intermediate-risk"), (19.5, "good-risk")],
    ),
    (
        "every-value-named-in-brackets",
        "Median OS by cytogenetic risk was 41.0 months (favourable), 17.3 months (intermediate) and 7.2 months (poor).",
        "median_os",
        [(41.0, "favourable"), (17.3, "intermediate"), (7.2, "poor")],
    ),
    (
        "whole-group",
        "Median OS was 13.2 months for the entire group.",
        "median_os",
        [(13.2, None)],
    ),
    (
        "either-arm-without-the-subgroup-they-were-compared-in",
        "The relapse rate was 20.0% with drug X and 31.0% with placebo in the high-risk subgroup. Median OS "
        "was not reached in either arm.",
        "median_os",
        [(None, "drug X"), (None, "placebo")],
    ),
    (
        "three-values-two-groups-one-slashed",
        "Two-year relapse was higher after ATG than after PTCy/abatacept (31% vs 19% vs 22%).",
        "relapse_rate",
        [(31.0, "ATG"), (19.0, "PTCy"), (22.0, "abatacept")],
    ),
    (
        "three-values-two-groups",
        "The CR rate was higher with R-CHOP than with CHOP (61% vs 38% vs 40%).",
        "cr_rate",
        [(61.0, UNSURE), (38.0, UNSURE), (40.0, UNSURE)],
    ),
    (
        "paren-median-after-the-favoured-arm",
        "OS was longer in the ruxolitinib arm (median, 18.2 v 11.0 months; HR, 0.70).",
        "median_os",
        [(18.2, "ruxolitinib arm"), (11.0, UNSURE)],
    ),
    (
        "subject-adverb-participle",
        "Patients randomly assigned to azacitidine had a median OS of 10.4 months compared with 6.3 months "
        "for those assigned to conventional care.",
        "median_os",
        [(10.4, "azacitidine"), (6.3, "conventional care")],
    ),
    (
        "respectively-with-periods-then-the-group",
        "Relapse rates at 1, 2 and 3 years were 8%, 15% and 21%, respectively, in the high-dose group.",
        "relapse_rate",
        [(8.0, "high-dose group"), (15.0, "high-dose group"), (21.0, "high-dose group")],
    ),
    (
        "a response's definition is no group",
        "The rate of CR or CR with partial hematologic recovery (CR/CRh) was 39.8%.",
        "cr_rate",
        [(39.8, None)],
    ),
    (
        "times-in-treatment-are-no-groups",
        "The CR rate after cycle 1 was 31% and rose to 49% after cycle 2.",
        "cr_rate",
        [(31.0, None), (49.0, None)],
    ),
    (
        "all-regimens",
        "Median OS was 11.4 months for both regimens.",
        "median_os",
        [(11.4, None)],
    ),
    (
        "with-and-without",
        "CR rates were 71% and 44% in patients with and without NPM1 mutation, respectively.",
        "cr_rate",
        [(71.0, "with NPM1 mutation"), (44.0, "without NPM1 mutation")],
    ),
    # people named by their response ('of responders', 'of N complete responders')
    (
        "percent-of-responders",
        "At two years, 28% of complete responders had relapsed.",
        "relapse_rate",
        [(28.0, "complete responders")],
    ),
    (
        "count-of-responders",
        "Relapse was seen in 9 of 30 responders (30%).",
        "relapse_rate",
        [(30.0, "responders")],
    ),
    (
        "responders-listed",
        "Progression occurred in 35% of nonresponders and 12% of responders.",
        "relapse_rate",
        [(35.0, "nonresponders"), (12.0, "responders")],
    ),
    (
        "who-achieved-then-relapsed",
        "Overall, 22% of the patients who attained a complete remission subsequently relapsed.",
        "relapse_rate",
        [(22.0, "patients who attained a complete remission")],
    ),
    # lists one after another in one sentence, each closed by its own groups
    (
        "lists-of-lists-respectively",
        "Median OS was 14.1 and 10.2 months in the nivolumab and docetaxel arms, respectively, and 9.0 "
        "and 8.8 months in the ramucirumab and paclitaxel arms, respectively.",
        "median_os",
        [(14.1, "nivolumab"), (10.2, "docetaxel"), (9.0, "ramucirumab"), (8.8, "paclitaxel")],
    ),
    (
        "lists-of-lists-dose-groups",
        "The 5-year local recurrence rate was 8.1% versus 4.9% for the 0 Gy and the 12 Gy groups and "
        "14.2% versus 9.6% for the 8 and 20 Gy groups.",
        "relapse_rate",
        [(8.1, "0 Gy"), (4.9, "12 Gy"), (14.2, "8 Gy"), (9.6, "20 Gy")],
    ),
    # the people a measure is given for, over values and their arms
    (
        "measure-for-people-then-arms",
        "Patients were randomized to FEC or FEC-Z. The pCR rate in premenopausal women was 21.0% and "
        "9.5% in the FEC-Z and FEC groups, respectively, and that in women with HER2-low disease was "
        "30.2% and 12.4% in the FEC-Z and FEC groups, respectively.",
        "cr_rate",
        [
            (21.0, "premenopausal women"),
            (9.5, "premenopausal women"),
            (30.2, "HER2-low disease"),
            (12.4, "HER2-low disease"),
        ],
    ),
    # each value in a bracket right after its group: the names stand over a 'respectively'
    (
        "bracketed-after-each-group",
        "Patients were randomized to FEC or FEC-Z (FZ). The pCR rate in the FZ group (16.2%) was twice "
        "that in the FEC group (8.0%), respectively.",
        "cr_rate",
        [(16.2, "FZ group"), (8.0, "FEC group")],
    ),
    # 'CI' names an arm (continuous infusion), not only a confidence interval
    (
        "ci-arm",
        "Median survival was 31 weeks for patients in the bolus arm and 36 weeks for the CI therapy.",
        "median_os",
        [(31.0, "bolus arm"), (36.0, "CI therapy")],
    ),
    # subgroups of the shapes hematology reports use
    (
        "or-more-in-a-label",
        "Patients who received 4 or more cycles had a median OS of 16.2 months compared to 5.1 months in "
        "those who received fewer cycles.",
        "median_os",
        [(16.2, "4 or more cycles"), (5.1, "fewer cycles")],
    ),
    (
        "age-bound-as-a-group",
        "Median OS did not differ by age (7.9 months for 70 years or older vs 9.4 months for younger "
        "than 70 years).",
        "median_os",
        [(7.9, "70 years or older"), (9.4, "younger than 70 years")],
    ),
    (
        "group-vs-not",
        "Median OS was 14.8 vs 6.9 months for patients achieving MRD negativity vs not (P<.001).",
        "median_os",
        [
            (14.8, "patients achieving MRD negativity"),
            (6.9, "patients not achieving MRD negativity"),
        ],
    ),
    (
        "risk-level-before-a-bracket",
        "Median OS was longer in patients with low-risk disease (not reached) than in those with "
        "high-risk disease (8.8 months; P < .001).",
        "median_os",
        [(None, "low-risk disease"), (8.8, "high-risk disease")],
    ),
    # the whole cohort, said after the value or in the measure's own words
    (
        "whole-population-after-the-value",
        "Median OS was 11.4 months (95% CI, 7.2-NR) for the whole population; for patients bridged with "
        "radiotherapy it was 14.8 months.",
        "median_os",
        [(11.4, None), (14.8, "bridged with radiotherapy")],
    ),
    # clauses a semicolon parts, each paired on its own
    (
        "semicolon-clauses",
        "The median OS of the entire cohort was 6.1 months; patients who had achieved a CR after CAR-T "
        "had a longer median OS than those who were refractory to CAR-T (10.2 vs 3.9 months).",
        "median_os",
        [(6.1, None), (10.2, "achieved a CR after CAR-T"), (3.9, "refractory to CAR-T")],
    ),
    # a numbered count of cycles is no count of patients
    (
        "cycles-before-a-bracket",
        "The CR rate was higher after 6 cycles than after 3 cycles (47% vs 29%).",
        "cr_rate",
        [(47.0, "6 cycles"), (29.0, "3 cycles")],
    ),
    # a disease status names the people, and stops no list
    (
        "cr-by-relapse-status",
        "Rates of CR were 61% in first relapse and 24% in second or later relapse.",
        "cr_rate",
        [(61.0, "first relapse"), (24.0, "second or later relapse")],
    ),
    # a group named with the comparative before the values has the first; the other is not named
    (
        "comparative-in-group-before-bracket",
        "Relapse incidence at 3 years was higher in MRD-positive patients (46% vs 17%).",
        "relapse_rate",
        [(46.0, "MRD-positive patients"), (17.0, UNSURE)],
    ),
    (
        "without-after-value",
        "The relapse rate was 14% with maintenance compared with 36% without maintenance.",
        "relapse_rate",
        [(14.0, "maintenance"), (36.0, "without maintenance")],
    ),
    # the study's own people, described
    (
        "this-described-population",
        "Median OS in this heavily pretreated population was 7.7 months.",
        "median_os",
        [(7.7, None)],
    ),
    (
        "this-cohort-of",
        "In this cohort of HMA-refractory patients, median OS was 4.9 months.",
        "median_os",
        [(4.9, None)],
    ),
    # a bracket joined to a word is part of it
    (
        "joined-bracket",
        "Median OS in patients with del(17p) was 21.5 months.",
        "median_os",
        [(21.5, "del(17p)")],
    ),
    # the whole study, counted again in a scope
    (
        "scope-counting-the-whole-study",
        "We enrolled 58 adults with relapsed ALL. Among 58 patients with relapsed ALL, the CR rate was "
        "41% and median OS was 9.3 months.",
        "cr_rate",
        [(41.0, None)],
    ),
    (
        "scope-counting-a-subgroup",
        "We enrolled 58 adults with relapsed ALL. Among 21 patients with a Ph-like signature, the CR "
        "rate was 29%.",
        "cr_rate",
        [(29.0, "Ph-like signature")],
    ),
]


def check(outcome, expected) -> None:
    label = outcome.group_label or ""
    if expected is None:
        assert outcome.group_label is None and FLAG_GROUP_UNCERTAIN not in outcome.flags, outcome
    elif expected == UNSURE:
        assert outcome.group_label is None and FLAG_GROUP_UNCERTAIN in outcome.flags, outcome
    else:
        assert expected.lower() in label.lower(), outcome
        assert FLAG_GROUP_UNCERTAIN not in outcome.flags, outcome


@pytest.mark.parametrize(
    ("text", "measure", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_scope_forms(extractor, text, measure, expected):
    found = [o for o in extractor.extract(text) if o.measure == measure]
    assert [o.value for o in found] == [v for v, _ in expected], found
    for outcome, (_, group) in zip(found, expected):
        check(outcome, group)


def test_arms_of_a_comparison_in_trial_order_are_flagged():
    """'(15.3 vs 24.6 months)' in a two-arm trial: the arms in the order the trial named them, flagged so."""
    from evidence_tables.extractor import Extractor

    text = (
        "Patients were randomly assigned to sunitinib or capecitabine. Median overall survival "
        "(15.3 vs. 24.6 months) did not differ."
    )
    found = [o for o in Extractor().extract(text) if o.measure == "median_os"]
    assert [(o.value, o.group_label) for o in found] == [
        (15.3, "sunitinib"),
        (24.6, "capecitabine"),
    ]
    assert all(FLAG_ARM_ORDER in o.flags for o in found)


def test_the_arm_a_sentence_is_about_has_the_first_value(extractor):
    text = (
        "Patients were randomly assigned to gilteritinib or salvage chemotherapy. Gilteritinib also produced a "
        "higher rate of CR/CRh: 34.0% compared with 15.3%."
    )
    found = [(o.value, o.group_label) for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert found == [(34.0, "gilteritinib"), (15.3, "salvage chemotherapy")]


def test_not_reached_in_either_part_is_one_value_per_part(extractor):
    text = (
        "Median PFS was 18.1 months in phase Ib and not reached in phase II; median overall survival was not "
        "reached in either part."
    )
    found = [
        (o.not_reached, o.group_label) for o in extractor.extract(text) if o.measure == "median_os"
    ]
    assert found == [(True, "phase Ib"), (True, "phase II")]


def test_respectively_with_the_groups_of_the_sentence_before(extractor):
    text = (
        "We analysed 281 older patients with glioblastoma. The median overall survival was 9.6 months with "
        "radiotherapy plus temozolomide and 7.2 months with radiotherapy alone. Within 6 months, radiological "
        "progression had occurred in 44% and 63% of patients, respectively."
    )
    found = [o for o in extractor.extract(text) if o.measure == "relapse_rate"]
    assert [(o.value, o.group_label) for o in found] == [
        (44.0, "radiotherapy plus temozolomide"),
        (63.0, "radiotherapy alone"),
    ]
    assert all(
        FLAG_ARM_ORDER in o.flags for o in found
    )  # the groups are the last ones named: a reviewer checks


def test_the_studys_one_treatment_is_everyone(extractor):
    """'with R-ICE' in a study that gave everyone R-ICE names no subgroup: no group, the regimen kept."""
    text = "We treated 40 patients with relapsed DLBCL with R-ICE. Median overall survival was 9.8 months with R-ICE."
    (o,) = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert (o.value, o.group_label, o.flags) == (9.8, None, ())
    assert o.regimen == "R-ICE"


def test_no_regimen_from_background(extractor):
    text = (
        "Novel agents such as polatuzumab and lenalidomide have shown promise in refractory lymphoma. "
        "We reviewed 140 patients who relapsed after CAR-T therapy. Approximately 55% relapsed again after "
        "salvage therapy, and median OS was 7.5 months."
    )
    found = [o for o in extractor.extract(text) if o.measure in ("relapse_rate", "median_os")]
    assert found and all(o.regimen is None for o in found), found


def test_the_regimen_is_the_populations_own(extractor):
    text = "Complete responses were seen in 40% of patients treated with R-ICE and in 22% of those given R-DHAP."
    found = [(o.value, o.regimen) for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert found == [(40.0, "R-ICE"), (22.0, "R-DHAP")]


def test_a_count_as_the_subject_is_no_subgroup(extractor):
    found = [
        o
        for o in extractor.extract("Four patients had a complete remission (30%).")
        if o.measure == "cr_rate"
    ]
    assert [(o.value, o.group_label) for o in found] == [(30.0, None)]


def test_an_arm_named_by_its_role_carries_what_it_received(extractor):
    text = (
        "Women were assigned to six cycles of docetaxel, epirubicin and cyclophosphamide plus letrozole (study "
        "group) or the same chemotherapy alone (control group). The rate of clinical complete response was 23.0% "
        "vs 12.6% (study vs control)."
    )
    found = [o.group_label for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert found == [
        "study group (docetaxel, epirubicin and cyclophosphamide plus letrozole)",
        "control group (the same chemotherapy alone)",
    ]


def test_measures_listed_then_tuples_of_values_per_group(extractor):
    text = "The CR and relapse rates were 64% and 28% with azacitidine and 51% and 40% with decitabine, respectively."
    found = [(o.measure, o.value, o.group_label) for o in extractor.extract(text)]
    assert ("cr_rate", 64.0, "azacitidine") in found and ("cr_rate", 51.0, "decitabine") in found
    assert ("relapse_rate", 28.0, "azacitidine") in found and (
        "relapse_rate",
        40.0,
        "decitabine",
    ) in found
    assert len(found) == 4


def test_labelled_values_in_one_bracket(extractor):
    text = (
        "Median overall survival did not differ (HIPEC, 15.2 [97.5% CI, 9.1 to 18.0] months; surgery alone, "
        "14.7 [97.5% CI, 7.3 to 19.9] months; HR 0.98)."
    )
    found = [
        (o.value, o.group_label, o.ci_low, o.ci_high)
        for o in extractor.extract(text)
        if o.measure == "median_os"
    ]
    assert found == [(15.2, "HIPEC", 9.1, 18.0), (14.7, "surgery alone", 7.3, 19.9)]


def test_none_in_either_group_is_a_value_per_arm(extractor):
    text = (
        "Patients were randomly assigned to a 6-month course (short group) or a 12-month course (long group). "
        "No relapse of the infection occurred during follow-up in either group."
    )
    found = [
        (o.value, o.group_label) for o in extractor.extract(text) if o.measure == "relapse_rate"
    ]
    assert [v for v, _ in found] == [0.0, 0.0]
    assert [g.split()[0] for _, g in found] == ["short", "long"]


def test_survival_time_from_an_event_of_a_subgroup(extractor):
    text = "Patients with asymptomatic recurrence had a median survival time from relapse of 31 months."
    (o,) = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert (o.value, o.timepoint) == (
        31.0,
        "from relapse",
    ) and "asymptomatic recurrence" in o.group_label
    text = "Overall survival was longer with 7-3-7 (median, 9 months with 7-3 and 17 months with 7-3-7)."
    assert [o.value for o in extractor.extract(text) if o.measure == "median_os"] == [9.0, 17.0]


def test_a_group_before_compared_values_is_the_first_ones(extractor):
    text = (
        "The median survival of patients with a raised LDH was 9.4 months, compared with patients with a normal "
        "LDH (below 250 U/L) of 27.5 months."
    )
    found = [(o.value, o.group_label) for o in extractor.extract(text) if o.measure == "median_os"]
    assert [v for v, _ in found] == [9.4, 27.5]
    assert "raised LDH" in found[0][1] and "normal LDH" in found[1][1]


# --- the cold review's cases: each a sentence written in the shape of one it found mislabelled ---


def test_a_letter_alone_names_an_arm_in_every_bracket(extractor):
    text = (
        "Patients were randomised to arm A (drug X) or arm B (placebo). Complete response rates were higher in "
        "arm A (A, 22%; B, 14%), including in patients with high expression (A, 35%; B, 11%) and in those with "
        "bulky disease (A, 61%; B, 25%)."
    )
    found = [(o.value, o.group_label) for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert [v for v, _ in found] == [22.0, 14.0, 35.0, 11.0, 61.0, 25.0]
    assert [g.split()[1] for _, g in found] == ["A", "B"] * 3


def test_a_determiner_alone_is_no_group(extractor):
    from evidence_tables.extractor.groups import clean

    assert clean("the") is None and clean("These") is None and clean("A") == "A"


@pytest.mark.parametrize(
    "text",
    [
        "The CR rate among patients with relapsed disease was 37%.",
        "Median OS in patients who had progressed after two lines was 6.1 months.",
    ],
)
def test_an_event_word_inside_the_group_does_not_cut_it(extractor, text):
    (o,) = [o for o in extractor.extract(text) if o.measure in ("cr_rate", "median_os")]
    assert o.group_label and (
        "relapsed disease" in o.group_label or "progressed after two lines" in o.group_label
    )


def test_a_dash_between_two_rates_is_one_range(extractor):
    text = "Across the centres, complete remission was reported in 30%-70% of patients."
    assert [o for o in extractor.extract(text) if o.measure == "cr_rate"] == []


def test_rates_before_and_after_are_two_values(extractor):
    text = "The complete remission rate rose from 30% to 45% after consolidation."
    assert [o.value for o in extractor.extract(text) if o.measure == "cr_rate"] == [30.0, 45.0]


def test_pod_alone_is_not_progression(extractor):
    text = "POD was 8% in the first year; the ratio of POD to baseline was 12%."
    assert [o for o in extractor.extract(text) if o.measure == "relapse_rate"] == []
    text = "POD24 occurred in 19% of patients."
    assert [o.value for o in extractor.extract(text) if o.measure == "relapse_rate"] == [19.0]


def test_progressive_disease_beside_other_responses_is_a_best_response(extractor):
    best = "Best responses were complete response in 40%, partial response in 25% and progressive disease in 20%."
    assert [o.value for o in extractor.extract(best) if o.measure == "relapse_rate"] == []
    alone = "Progressive disease occurred in 20% of patients during maintenance."
    assert [o.value for o in extractor.extract(alone) if o.measure == "relapse_rate"] == [20.0]


def test_acute_lymphoblastic_leukaemia_in_capitals_is_not_all_patients(extractor):
    assert [o.value for o in extractor.extract("All patients achieved a complete remission.")] == [
        100.0
    ]
    text = "ALL patients achieved a complete remission more often than AML patients."
    assert [o for o in extractor.extract(text) if o.measure == "cr_rate"] == []


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("The CR rate among patients with relapsed disease was 37%.", "relapsed disease"),
        ("The CR rate in relapsed patients was 37%.", "relapsed patients"),
    ],
)
def test_relapsed_describing_the_people_is_no_relapse_rate(extractor, text, group):
    found = [(o.measure, o.value) for o in extractor.extract(text)]
    assert found == [("cr_rate", 37.0)]
    assert group in extractor.extract(text)[0].group_label


def test_another_trials_cohort_does_not_start_the_report(extractor):
    text = (
        "In a previous trial of 500 patients, the CR rate with chemotherapy alone was 30%. We enrolled 48 "
        "patients. The CR rate was 52%."
    )
    sizes = [o.value for o in extractor.extract(text) if o.measure == "cohort_size"]
    assert 48.0 in sizes


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("Women aged 40 years or older had a CR rate of 41%.", "Women aged 40 years or older"),
        ("Among women, the CR rate was 41%.", "women"),
        ("Women had a CR rate of 41%.", None),
    ],
)
def test_women_are_a_group_when_the_text_sets_them_apart(extractor, text, group):
    found = [o.group_label for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert found == [group]


def test_a_value_without_group_after_grouped_ones_is_uncertain(extractor):
    text = "Relapse was less frequent with MAC than with reduced-intensity conditioning (22% vs 35% vs 41%)."
    found = [
        (o.value, o.group_label, FLAG_GROUP_UNCERTAIN in o.flags)
        for o in extractor.extract(text)
        if o.measure == "relapse_rate"
    ]
    assert [v for v, _, _ in found] == [22.0, 35.0, 41.0]
    assert all(g is not None or unsure for _, g, unsure in found), found  # no silent 'whole cohort'
    text = "Median OS was 11.4 months in arm A and 8.2 months."
    (_, second) = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert second.group_label is None and FLAG_GROUP_UNCERTAIN in second.flags


def test_an_overall_value_leading_its_breakdown_is_everyones(extractor):
    text = "The CR rate was 44%, and 19% in patients with extramedullary disease."
    first, second = [o for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert (first.group_label, first.flags) == (None, ())
    assert "extramedullary" in second.group_label


def test_the_group_of_a_sentences_first_measure_carries_to_values_given_with_it(extractor):
    text = (
        "The response rate for the elderly cohort (n = 52) was 55% (95% CI, 41 to 68), with a complete "
        "response rate of 20% and a median overall survival of 9.1 months."
    )
    found = {
        o.measure: o.group_label
        for o in extractor.extract(text)
        if o.measure in ("cr_rate", "median_os")
    }
    assert found == {"cr_rate": "elderly cohort", "median_os": "elderly cohort"}
    text = "The CR rate in patients with bulky disease was 40%, and median OS was 12 months."  # a clause of its own
    assert [o.group_label for o in extractor.extract(text) if o.measure == "median_os"] == [None]


def test_a_value_set_against_a_grouped_one_is_uncertain(extractor):
    text = "The CR rate was 38% vs 17% in patients with a complex karyotype."
    first, second = [o for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert first.group_label is None and FLAG_GROUP_UNCERTAIN in first.flags
    assert "complex karyotype" in second.group_label


def test_values_joined_by_versus_share_a_respectively_list(extractor):
    text = (
        "Progression occurred in 14.5% versus 8.1% for the standard-dose and the escalated-dose arms, "
        "respectively."
    )
    found = [
        (o.value, o.group_label) for o in extractor.extract(text) if o.measure == "relapse_rate"
    ]
    assert found == [(14.5, "standard-dose"), (8.1, "escalated-dose")]


def test_after_a_treatment_names_the_group_when_set_against_another(extractor):
    text = (
        "The 2-year cumulative incidence of relapse was 11% after cord blood grafts compared with 27% "
        "after peripheral blood grafts."
    )
    found = [
        (o.value, o.group_label) for o in extractor.extract(text) if o.measure == "relapse_rate"
    ]
    assert found == [(11.0, "cord blood grafts"), (27.0, "peripheral blood grafts")]


@pytest.mark.parametrize(
    ("text", "measure", "group"),
    [
        (
            "Only 11% of FLT3-negative patients relapsed, compared with 38% of FLT3-positive patients.",
            "relapse_rate",
            ["FLT3-negative patients", "FLT3-positive patients"],
        ),
        ("Overall, 27% of del(17p) patients achieved CR.", "cr_rate", ["del(17p) patients"]),
        ("Overall, 27% of the 90 patients achieved CR.", "cr_rate", [None]),
        ("Overall, 27% of evaluable patients achieved CR.", "cr_rate", [None]),
    ],
)
def test_the_people_a_rate_is_of_name_its_group(extractor, text, measure, group):
    assert [o.group_label for o in extractor.extract(text) if o.measure == measure] == group


def test_a_bound_inside_a_group_is_no_value(extractor):
    text = (
        "The median OS for patients with primary refractory disease (<6 months) was 4.2 months compared with "
        "10.9 months for those with later relapse."
    )
    assert [
        (o.value, o.group_label) for o in extractor.extract(text) if o.measure == "median_os"
    ] == [(4.2, "patients with primary refractory disease"), (10.9, "those with later relapse")]


@pytest.mark.parametrize(
    ("text", "group"),
    [
        (
            "Median OS was shorter for patients aged 70 years or older (5.9 months) than for younger patients "
            "(13.4 months).",
            ["patients aged 70 years or older", "younger patients"],
        ),
        ("Median OS of patients aged 80 years was 7 months.", ["patients aged 80 years"]),
        (
            "Patients aged 70 years or older (median OS 6.6 months) fared worse.",
            ["Patients aged 70 years or older"],
        ),
    ],
)
def test_an_age_inside_a_group_is_part_of_it(extractor, text, group):
    assert [o.group_label for o in extractor.extract(text) if o.measure == "median_os"] == group


def test_higher_after_a_than_after_b_pairs_in_order(extractor):
    text = "Relapse rates were higher after haploidentical than after sibling grafts (29% vs 18%; P=.04)."
    assert [o.group_label for o in extractor.extract(text) if o.measure == "relapse_rate"] == [
        "haploidentical",
        "sibling grafts",
    ]


def test_a_value_set_against_a_grouped_one_by_than_is_uncertain(extractor):
    text = "The CR rate was lower (21%) than in patients with a normal karyotype (48%)."
    first, second = [o for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert first.group_label is None and FLAG_GROUP_UNCERTAIN in first.flags
    assert "normal karyotype" in second.group_label


def test_counts_listed_as_the_subject_take_the_groups_after_their_noun(extractor):
    text = "There were five (12%) and 14 (33%) relapses in the A and B arms, respectively."
    assert [
        (o.value, o.group_label) for o in extractor.extract(text) if o.measure == "relapse_rate"
    ] == [(12.0, "arm A"), (33.0, "arm B")]


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        # every value of the list named in brackets: the names are the groups, known regimens or not
        (
            "CR rates were 64% (R-CHOP) and 57% (R-CHOP-14 plus lenalidomide).",
            ["R-CHOP", "R-CHOP-14 plus lenalidomide"],
        ),
        ("CR rates were 64% (R-CHOP) and 57% (P = .04).", ["R-CHOP", None]),
        (
            "The relapse rate was 19% (rituximab arm) vs 33% (observation arm).",
            ["rituximab arm", "observation arm"],
        ),
        ("The CR rate was 47% (arm A) and 41% (arm B).", ["arm A", "arm B"]),
        ("The CR rate was 47% (CR) and 30% (PR).", [None, None]),
    ],
)
def test_a_group_named_in_a_bracket_after_the_value(extractor, text, groups):
    found = [o for o in extractor.extract(text) if o.measure in ("cr_rate", "relapse_rate")]
    assert [o.group_label for o in found][: len(groups)] == groups
    assert all(FLAG_ARM_ORDER not in o.flags for o in found if o.group_label)


@pytest.mark.parametrize(
    ("text", "measure", "expected"),
    [
        ("There were 9 CRs (41%).", "cr_rate", [(41.0, None)]),
        ("Eleven complete remissions (52%) were observed.", "cr_rate", [(52.0, None)]),
        ("We observed 7 relapses (18%).", "relapse_rate", [(18.0, None)]),
    ],
)
def test_a_count_of_events_with_its_percent_is_a_rate(extractor, text, measure, expected):
    assert [
        (o.value, o.group_label) for o in extractor.extract(text) if o.measure == measure
    ] == expected


def test_a_passive_verb_between_a_value_and_its_group(extractor):
    text = (
        "A complete remission rate of 58% was achieved in the favourable-risk cohort compared to 37% in the "
        "adverse-risk cohort."
    )
    assert [o.group_label for o in extractor.extract(text) if o.measure == "cr_rate"] == [
        "favourable-risk cohort",
        "adverse-risk cohort",
    ]


@pytest.mark.parametrize(
    ("text", "measure", "groups"),
    [
        (
            "CR rates were similar between fit (71%) and unfit (64%) patients.",
            "cr_rate",
            ["fit patients", "unfit patients"],
        ),
        (
            "Relapse was less frequent in MRD-negative (9%) than in MRD-positive (31%) patients.",
            "relapse_rate",
            ["MRD-negative patients", "MRD-positive patients"],
        ),
    ],
)
def test_groups_before_bracketed_values_share_the_noun_after_them(extractor, text, measure, groups):
    assert [o.group_label for o in extractor.extract(text) if o.measure == measure] == groups


def test_an_arm_named_by_its_kind_takes_what_it_received(extractor):
    text = (
        "Methods: In this phase 3 trial, 410 patients were randomly assigned to capecitabine plus cetuximab or "
        "capecitabine alone. Results: The median OS was 12.9 months with the combination versus 9.6 months "
        "with capecitabine alone."
    )
    found = [o.group_label for o in extractor.extract(text) if o.measure == "median_os"]
    assert found == ["combination (capecitabine plus cetuximab)", "capecitabine alone"]


def test_a_kind_that_fits_no_single_arm_is_left_as_printed(extractor):
    text = "The median OS was 12.9 months with the combination."  # no arms to choose from
    assert [o.group_label for o in extractor.extract(text) if o.measure == "median_os"] in (
        [None],
        ["combination"],
    )


@pytest.mark.parametrize(
    ("text", "measure", "groups"),
    [
        (
            "Median OS was 4.1 months for early and 12.6 months for late relapses.",
            "median_os",
            ["early relapses", "late relapses"],
        ),
        (
            "The CR rate was 74% in favorable-risk, 55% in intermediate-risk and 31% in adverse-risk patients.",
            "cr_rate",
            ["favorable-risk patients", "intermediate-risk patients", "adverse-risk patients"],
        ),
    ],
)
def test_groups_given_one_per_value_share_the_noun_of_the_last(extractor, text, measure, groups):
    assert [o.group_label for o in extractor.extract(text) if o.measure == measure] == groups


def test_a_group_printed_after_counts_and_percent(extractor):
    text = "Relapse occurred in 7/35 (20.0%) MRD-negative and 18/33 (54.5%) MRD-positive patients."
    assert [o.group_label for o in extractor.extract(text) if o.measure == "relapse_rate"] == [
        "MRD-negative",
        "MRD-positive",
    ]


def test_a_group_phrase_stops_before_and_was(extractor):
    text = "Median OS had not been reached in the ponatinib arm and was 31.2 months in the imatinib arm."
    assert [o.group_label for o in extractor.extract(text) if o.measure == "median_os"] == [
        "ponatinib arm",
        "imatinib arm",
    ]


def test_the_subject_of_a_comparison_takes_the_first_value(extractor):
    text = "Patients receiving consolidation had a median OS of 41 months compared with 29 months for observation."
    assert [o.group_label for o in extractor.extract(text) if o.measure == "median_os"] == [
        "consolidation",
        "observation",
    ]


def test_a_list_whose_groups_cannot_be_split_is_uncertain(extractor):
    text = "CR rates were 82%, 61% and 37% in patients with 0, 1 and 2 or more adverse features."
    found = [o for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert [o.value for o in found] == [82.0, 61.0, 37.0]
    assert all(o.group_label is None and FLAG_GROUP_UNCERTAIN in o.flags for o in found)


def test_when_comparing_a_with_b_names_the_respectively_pair(extractor):
    text = (
        "When comparing observation with maintenance lenalidomide, there was no difference in overall survival "
        "(median, 41.3 months v 44.0 months, respectively; P = .52)."
    )
    assert [o.group_label for o in extractor.extract(text) if o.measure == "median_os"] == [
        "observation",
        "maintenance lenalidomide",
    ]


def test_an_opening_adverb_does_not_hide_the_subject(extractor):
    text = (
        "In contrast, patients with high LDH had significantly shorter OS than those with normal LDH "
        "(9.2 versus 20.7 months; P = 0.003)."
    )
    assert [o.group_label for o in extractor.extract(text) if o.measure == "median_os"][
        0
    ] == "patients with high LDH"


def test_a_dose_with_its_unit_stays_in_the_group(extractor):
    text = "Median survival for 5 μM compound X was 21.3 months compared with 17.8 months for 50 μM compound X."
    assert [o.group_label for o in extractor.extract(text) if o.measure == "median_os"] == [
        "5 μM compound X",
        "50 μM compound X",
    ]


def test_mst_is_median_survival_only_where_a_value_follows(extractor):
    assert [
        o.value for o in extractor.extract("The MST was 13.1 months.") if o.measure == "median_os"
    ] == [13.1]
    text = "Scores were lower in the MST group at discharge (3.1 months vs 3.9 months, P=0.004)."
    assert [o.value for o in extractor.extract(text) if o.measure == "median_os"] == []


def test_a_clause_in_brackets_is_no_arm_definition(extractor):
    text = (
        "Patients with leptomeningeal spread were enrolled in the control group (those with clinical signs were "
        "randomized to systemic therapy alone). Median overall survival was 4.2 months in the control group."
    )
    assert [o.group_label for o in extractor.extract(text) if o.measure == "median_os"] == [
        "control group"
    ]


def test_a_respectively_list_not_split_gives_no_value_a_part_of_it(extractor):
    """One phrase found after a 'respectively' list names part of the list, not the value printed before
    it: every value is left without a group, flagged."""
    text = "Median OS was 14.1 and 9.3 months for the FLT3-ITD high-ratio and low-ratio or NPM1 subsets, respectively."
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [o.value for o in found] == [14.1, 9.3]
    assert all(o.group_label is None and FLAG_GROUP_UNCERTAIN in o.flags for o in found), found


def test_values_set_against_each_other_in_one_population_keep_it_and_are_flagged(extractor):
    """The population is stated, the arm of each value is not: both kept, flagged for the arm."""
    text = "Among patients with secondary AML, median OS was 9.6 versus 5.9 months (HR, 0.69)."
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [(o.value, o.group_label) for o in found] == [
        (9.6, "patients with secondary AML"),
        (5.9, "patients with secondary AML"),
    ]
    assert all(FLAG_GROUP_UNCERTAIN in o.flags for o in found)


def test_an_arm_gets_no_bracket_that_repeats_it_or_is_a_statistic(extractor):
    text = (
        "Patients were randomized to a control group or an experimental group. The experimental group "
        "(hazard ratio 0.61 for death) fared better: median overall survival was 4.4 months in the control "
        "versus 7.9 months in the experimental group."
    )
    labels = [o.group_label for o in extractor.extract(text) if o.measure == "median_os"]
    assert labels[1] == "experimental group" and "(a control)" not in (labels[0] or ""), labels


def test_a_response_in_a_relative_clause_defines_who_relapsed(extractor):
    """'30% of patients who achieved CR relapsed': the CR says who they are; it is no CR rate."""
    found = extractor.extract(
        "Of 90 treated patients, 30% of the patients who achieved CR relapsed."
    )
    assert [(o.measure, o.value) for o in found if o.measure != "cohort_size"] == [
        ("relapse_rate", 30.0)
    ]
    assert "achieved CR" in (found[-1].group_label or "")


def test_a_scope_counting_the_whole_study_keeps_arms(extractor):
    """'Among 264 eligible patients, ... 56% with A and 59% with B': the count is everyone, the arms stand."""
    text = (
        "A total of 264 patients were randomized. Among 264 patients with AML, CR rates were 56% with "
        "idarubicin and 59% with daunorubicin."
    )
    found = [o for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert [(o.value, o.group_label) for o in found] == [
        (56.0, "idarubicin"),
        (59.0, "daunorubicin"),
    ]


def _os_groups(extractor, text):
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    return [(o.value, o.group_label, FLAG_ARM_ORDER in o.flags) for o in found]


def test_arms_from_a_randomised_trials_title(extractor):
    """A title that names what the trial compares gives its arms when the methods do not."""
    text = (
        "Randomized phase III study of oralvatinib versus docetaxel in previously treated "
        "gastric cancer. Patients were randomized 1:1 and stratified by region. Median overall "
        "survival was 9.4 vs 7.7 months."
    )
    assert _os_groups(extractor, text) == [(9.4, "oralvatinib", True), (7.7, "docetaxel", True)]


def test_no_arms_from_a_title_without_randomisation(extractor):
    text = (
        "Outcomes of oralvatinib versus docetaxel in gastric cancer: a registry analysis. Median "
        "overall survival was 9.4 vs 7.7 months."
    )
    assert [g for _, g, _ in _os_groups(extractor, text)] == [None, None]


def test_arm_names_followed_by_a_size_bracket(extractor):
    """'A (AB) (n = 75; doses) or B (B2) (n = 74; doses)': the arms, each with its short name; a list
    'between AB and B2 arms' after a preposition of its own names them too."""
    text = (
        "A total of 149 patients were randomly assigned to tarlimab with gemcitabine (TG) (n = 75; "
        "tarlimab 10 mg/kg) or gemcitabine (G) (n = 74; 1000 mg/m2 weekly). There was no difference "
        "in the response rate at 12 weeks between TG and G arms (31% vs 27%). Survival did not differ "
        "(TG vs G; median OS, 11.0 vs 12.2 months)."
    )
    assert _os_groups(extractor, text) == [(11.0, "TG", True), (12.2, "G", True)]


def test_an_arm_name_cut_by_a_thousands_comma_keeps_no_number(extractor):
    text = (
        "Patients were randomized to oralvatinib 50 mg/day or capecitabine 1,250 mg/m2 twice daily. "
        "Median overall survival (10.1 vs. 12.6 months) did not differ."
    )
    assert _os_groups(extractor, text) == [
        (10.1, "oralvatinib 50 mg/day", True),
        (12.6, "capecitabine", True),
    ]


def test_arms_introduced_after_a_long_methods_section(extractor):
    background = " ".join(
        f"Background sentence number {i} says nothing of arms." for i in range(16)
    )
    text = (
        f"{background} In all, 300 patients were randomly assigned to weekly paclitaxel (150 patients) "
        "or three-weekly paclitaxel (150 patients). Median overall survival was 20.1 vs 18.3 months."
    )
    assert _os_groups(extractor, text) == [
        (20.1, "weekly paclitaxel", True),
        (18.3, "three-weekly paclitaxel", True),
    ]


def test_pairs_of_values_take_the_groups_a_list_named_just_before(extractor):
    """'in the A and B groups, respectively, with a relapse rate of x vs y at 2 years, and ...': each pair
    the two groups in the order the list named them (not said of these values: flagged)."""
    text = (
        "Median PFS was 7 and 11 months in the observation and maintenance groups, respectively, "
        "with a relapse rate of 70% vs. 52% at 2 years, and 88% vs. 71% at 4 years. The median OS "
        "times were 20.5 and 31.7 months, with an OS rate of 15% vs. 30% at 5 years."
    )
    found = [o for o in extractor.extract(text) if o.measure != "cohort_size"]
    assert [(o.measure, o.value, o.group_label) for o in found] == [
        ("relapse_rate", 70.0, "observation"),
        ("relapse_rate", 52.0, "maintenance"),
        ("relapse_rate", 88.0, "observation"),
        ("relapse_rate", 71.0, "maintenance"),
        ("median_os", 20.5, "observation"),
        ("median_os", 31.7, "maintenance"),
    ]
    assert all(FLAG_ARM_ORDER in o.flags for o in found)


def test_an_arms_bracket_counting_another_arm_is_no_definition(extractor):
    text = (
        "Toxicity led to withdrawal in arm A (two in arm B). The median OS was 40.1 months versus "
        "30.2 months for arm A and B, and 17.3 months versus 26.4 months for arm C and D."
    )
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [(o.value, o.group_label) for o in found] == [
        (40.1, "arm A"),
        (30.2, "arm B"),
        (17.3, "arm C"),
        (26.4, "arm D"),
    ]


def test_a_subject_with_a_trait_against_the_rest(extractor):
    """'Patients with high X had shorter OS (median a vs. b days)': the subject's and the others', by
    convention (flagged)."""
    text = (
        "Patients with high serum ferritin had shorter overall survival (median 412 vs. 780 days)."
    )
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [(o.value, o.group_label) for o in found] == [
        (412.0, "Patients with high serum ferritin"),
        (780.0, "Patients without high serum ferritin"),
    ]
    assert all(FLAG_ARM_ORDER in o.flags for o in found)


def test_a_value_against_another_arms_value_is_not_both_arms_subgroup(extractor):
    """'the rate in the vaccinated group was 12% versus 14% in the control group': each arm its value."""
    text = (
        "Patients were randomized to vaxitide plus GM-CSF versus GM-CSF alone. The recurrence rate "
        "in the vaccinated group was 11.9% versus 14.6% in the control group."
    )
    found = [o for o in extractor.extract(text) if o.measure == "relapse_rate"]
    assert [o.value for o in found] == [11.9, 14.6]
    assert "vaccinated" in found[0].group_label and "control" in found[1].group_label
    assert "control" not in found[0].group_label


def test_as_compared_is_no_part_of_a_group(extractor):
    text = (
        "Local recurrence at 10 years was 5.9% among the 410 women assigned to standard irradiation "
        "as compared with 6.1% among the 405 women assigned to the shorter schedule."
    )
    found = [o for o in extractor.extract(text) if o.measure == "relapse_rate"]
    assert [(o.value, o.group_label) for o in found] == [
        (5.9, "standard irradiation"),
        (6.1, "shorter schedule"),
    ]


def test_one_value_for_both_arms_just_compared(extractor):
    text = (
        "Patients were randomized to tegafur or observation (OBS). Median PFS did not differ between "
        "the tegafur group and the OBS group (3.4 versus 3.5 months), as was median OS (15.1 months "
        "for both, P = 0.91)."
    )
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [(o.value, o.group_label) for o in found] == [
        (15.1, "tegafur"),
        (15.1, "observation (OBS)"),
    ]


def test_groups_opening_a_sentence_then_respectively(extractor):
    """'For A versus B, respectively, overall survival (median, x vs. y months)': A's and B's."""
    text = (
        "For doxorubicin versus gemcitabine, respectively, overall survival (median, 21.3 months vs. "
        "24.8 months) and time-to-treatment failure (median, 4.1 months vs. 3.2 months) did not differ."
    )
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [(o.value, o.group_label) for o in found] == [
        (21.3, "doxorubicin"),
        (24.8, "gemcitabine"),
    ]


def test_a_clause_with_its_verb_is_no_listed_group(extractor):
    """'in arm B and was not reached in arm A' lists no group 'was not reached in' for a later
    'respectively': the values take the trial's arms, in order."""
    text = (
        "Patients were randomized to bortezomib (arm A) or carfilzomib (arm B). Median OS was 58.1 "
        "months in arm B and was not reached in arm A. Progression at 3 years occurred in 17% vs 26%, "
        "respectively."
    )
    found = [o for o in extractor.extract(text) if o.measure == "relapse_rate"]
    assert [o.value for o in found] == [17.0, 26.0]
    assert [o.group_label for o in found] == ["bortezomib", "carfilzomib"]


def test_a_measure_among_people_with_a_trait_against_the_rest(extractor):
    text = "The CR rate among patients with therapy-related AML was lower (21% vs 47%, P = .02)."
    found = [o for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert [(o.value, o.group_label) for o in found] == [
        (21.0, "patients with therapy-related AML"),
        (47.0, "patients without therapy-related AML"),
    ]
    assert all(FLAG_ARM_ORDER in o.flags for o in found)


def test_an_age_bound_is_no_survival_time(extractor):
    text = "Median OS was 8.3 months for patients 75 years or older."
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [o.value for o in found] == [8.3]


def test_a_numbered_day_is_no_survival_time(extractor):
    text = (
        "Median OS was 20.7 months in patients who achieved CR at day 90 and 5.2 months in those who did "
        "not."
    )
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [o.value for o in found] == [20.7, 5.2]


def test_responders_counted_in_a_scope_are_no_cr_rate(extractor):
    """'Of 23 patients achieving CR, 6 relapsed (26%)': the relapse rate as printed; no CR rate."""
    found = extractor.extract("Of 23 patients achieving CR, 6 relapsed (26%).")
    assert [(o.measure, o.value) for o in found if o.measure != "cohort_size"] == [
        ("relapse_rate", 26.0)
    ]
    assert "achieving CR" in found[-1].group_label


def test_the_group_before_a_bracket_of_two_values_after_than_is_the_seconds(extractor):
    text = (
        "Patients were randomized to levetiracetam or control. Seizure recurrence was lower in the "
        "treatment group than the control group over 12 months (31.5% vs. 62.0%, p = 0.01)."
    )
    found = [o for o in extractor.extract(text) if o.measure == "relapse_rate"]
    assert found and "control group" not in (found[0].group_label or "")


def test_a_scope_over_values_set_against_each_other_is_both_arms(extractor):
    text = (
        "Patients were randomized to drug A or placebo. Median OS was 15.2 months with drug A vs 11.0 "
        "months with placebo; in patients with TP53 mutation, it was 9.1 vs 7.9 months."
    )
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [(o.value, o.group_label) for o in found] == [
        (15.2, "drug A"),
        (11.0, "placebo"),
        (9.1, "drug A, patients with TP53 mutation"),
        (7.9, "placebo, patients with TP53 mutation"),
    ]
    assert FLAG_ARM_ORDER not in found[0].flags and FLAG_ARM_ORDER in found[2].flags


def test_an_age_comparison_is_no_pair_of_groups(extractor):
    """'in patients older and younger than 65 years (40% and 44%, respectively)': not 'patients older and
    younger' and '65 years'."""
    text = "CR rates were similar in patients older and younger than 65 years (40% and 44%, respectively)."
    found = [o for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert [o.value for o in found] == [40.0, 44.0]
    assert all(
        o.group_label is None or "older" in o.group_label or "younger" in o.group_label
        for o in found
    )
    assert not any(o.group_label in ("65 years", "patients older and younger") for o in found)


def test_a_group_stops_before_the_next_value_of_its_list(extractor):
    found = [
        o
        for o in extractor.extract(
            "CR was achieved by 47% of patients in arm 1 and by 30% in arm 2."
        )
        if o.measure == "cr_rate"
    ]
    assert found[0].value == 47.0 and found[0].group_label == "arm 1"


def test_a_suspended_comparative_is_split():
    from evidence_tables.extractor.groups import split_list

    assert split_list("patients older and younger than 65 years", 2) == [
        "patients older than 65 years",
        "younger than 65 years",
    ]


def test_arms_a_randomised_study_says_it_compared(extractor):
    """'This randomised phase III study compared A with B plus C': its arms, when no sentence assigns
    patients to them."""
    text = (
        "This multicentre, randomised phase III study compared paclitaxel with 5-fluorouracil plus "
        "oxaliplatin in patients with gastric cancer. Median overall survival (12.0 vs 11.1 months) did "
        "not differ."
    )
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [(o.value, o.group_label) for o in found] == [
        (12.0, "paclitaxel"),
        (11.1, "5-fluorouracil plus oxaliplatin"),
    ]
    assert all(FLAG_ARM_ORDER in o.flags for o in found)


def test_a_title_arm_may_begin_with_a_digit_and_hold_plus():
    from evidence_tables.extractor.arms import _TITLE_VS

    m = _TITLE_VS.match("Docetaxel vs 5-fluorouracil plus vinorelbine in metastatic breast cancer.")
    assert m is not None and (m.group("a"), m.group("b")) == (
        "Docetaxel",
        "5-fluorouracil plus vinorelbine",
    )


@pytest.mark.parametrize(
    ("methods", "arms"),
    [
        (
            "In a randomized, double-blind study, 40 patients received injections of either placebo or "
            "tumour lysate vaccine.",
            ("placebo", "tumour lysate vaccine"),
        ),
        (
            "Patients were randomized and received either gemcitabine with or without erlotinib.",
            ("gemcitabine with erlotinib", "gemcitabine without erlotinib"),
        ),
    ],
    ids=["received-either", "with-or-without"],
)
def test_arms_of_a_randomised_study_that_received_either(extractor, methods, arms):
    text = f"{methods} Median overall survival (9.9 vs 7.4 months) did not differ."
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert tuple(o.group_label for o in found) == arms


def test_a_title_with_a_colon_before_its_study():
    from evidence_tables.extractor.arms import _TITLE_VS

    m = _TITLE_VS.match(
        "NEOTRIAL: a phase II randomized study of two schedules of drug X plus paclitaxel versus "
        "paclitaxel alone as neoadjuvant therapy."
    )
    assert m is not None and m.group("b") == "paclitaxel alone"


def test_with_and_without_each_bracketed_share_the_trait(extractor):
    text = (
        "The CR rate did not differ between patients with (39%) and without (46%) prior transplant."
    )
    found = [o for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert [(o.value, o.group_label) for o in found] == [
        (39.0, "patients with prior transplant"),
        (46.0, "patients without prior transplant"),
    ]


AZA_DEC = "Patients were randomized to azacitidine or decitabine. "


@pytest.mark.parametrize(
    "sentence",
    [
        "Median OS (azacitidine vs decitabine) was 10.9 vs 12.3 months.",
        "Median OS, azacitidine vs decitabine: 10.9 vs 12.3 months.",
        "Compared with decitabine, azacitidine produced a shorter median OS (10.9 vs 12.3 months).",
    ],
    ids=["bracketed-pair", "pair-colon", "compared-with-subject"],
)
def test_the_order_of_two_arms_said_before_their_values(extractor, sentence):
    found = [o for o in extractor.extract(AZA_DEC + sentence) if o.measure == "median_os"]
    assert [(o.value, o.group_label) for o in found] == [
        (10.9, "azacitidine"),
        (12.3, "decitabine"),
    ]
    assert not any(FLAG_ARM_ORDER in o.flags for o in found)


def test_values_against_the_comparison_they_follow_take_no_order_from_it(extractor):
    """'azacitidine achieved a higher CR rate (18% vs 24%)' contradicts itself: flagged, not stated."""
    text = AZA_DEC + "Compared with decitabine, azacitidine achieved a higher CR rate (18% vs 24%)."
    found = [o for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert [o.value for o in found] == [18.0, 24.0]
    assert all(FLAG_ARM_ORDER in o.flags or o.group_label is None for o in found)


def test_the_arm_compared_with_that_of_another(extractor):
    """'The OS of the TX arm was longer than that of the NX arm (32 vs. 27 months)': TX's 32."""
    text = (
        "Patients were randomized to NX or TX. The overall survival of the TX arm was longer than that "
        "of the NX arm (31 months vs. 26 months)."
    )
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [(o.value, o.group_label) for o in found] == [(31.0, "TX arm"), (26.0, "NX arm")]


def test_each_bracket_of_arm_values_keeps_its_subgroup(extractor):
    """'Patients with X had better OS (a vs b months, respectively) than those with Y (c vs d months,
    respectively)': each pair of the arms' values is X's or Y's."""
    text = (
        "Patients were randomized to a concurrent regimen or a sequential regimen. Patients with exon 19 "
        "deletions had better OS (median: 44.0 vs 32.1 months, respectively) than those with L858R "
        "(30.2 vs 27.5 months, respectively)."
    )
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [o.value for o in found] == [44.0, 32.1, 30.2, 27.5]
    assert ["exon 19" in o.group_label for o in found] == [True, True, False, False]
    assert ["L858R" in o.group_label for o in found] == [False, False, True, True]
    assert ["concurrent" in o.group_label for o in found] == [True, False, True, False]


def test_values_set_against_each_other_in_one_scope_are_flagged_even_after_another(extractor):
    """'In X, 21% developed a relapse (24 versus 18%, respectively)': the 24 and the 18 are two arms' (not
    said which), the 21 is X's."""
    text = "In patients who underwent BCS, 21% developed a local relapse (26 versus 16%, respectively)."
    found = [o for o in extractor.extract(text) if o.measure == "relapse_rate"]
    assert [o.value for o in found] == [21.0, 26.0, 16.0]
    assert [FLAG_GROUP_UNCERTAIN in o.flags for o in found] == [False, True, True]


def test_the_groups_named_after_compared_values_in_their_order(extractor):
    """'13.5 vs 11.3 months (HR, 0.95) for A vs B', 'in the A versus the B group': the two named after."""
    text = (
        "Adults with relapsed myeloma were randomly assigned to ixazomib or placebo. Median PFS was "
        "7.2 vs 6.0 months (HR, 0.91; P = .33), and median OS was 19.4 vs 16.8 months (HR, 0.87; "
        "P = .21) for placebo vs ixazomib. The CR rates were 31% vs 18% in the high-dose versus the "
        "low-dose cohort."
    )
    found = extractor.extract(text)
    os_ = [(o.value, o.group_label, o.flags) for o in found if o.measure == "median_os"]
    assert os_ == [(19.4, "placebo", ()), (16.8, "ixazomib", ())]
    cr = [(o.value, o.group_label) for o in found if o.measure == "cr_rate"]
    assert cr == [(31.0, "high-dose"), (18.0, "low-dose")]


def test_arms_after_the_people_randomly_assigned(extractor):
    """'We randomly assigned 240 patients with X to A or B': the arms are A and B, not the clause before."""
    text = (
        "We randomly assigned 240 patients aged 60 years or older with AML 1:1 to decitabine or "
        "intensive chemotherapy. Median OS was 11.1 vs 10.2 months."
    )
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [o.group_label for o in found] == ["decitabine", "intensive chemotherapy"]


def test_a_title_clause_with_its_verb_is_no_arm(extractor):
    """A first sentence 'We randomly assigned ... to A or B' read as a title 'X or B' gives no arm 'We ...'."""
    text = (
        "We randomly assigned our adults with myeloma to bortezomib or lenalidomide. Median OS was "
        "41 vs 38 months."
    )
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [o.value for o in found] == [41.0, 38.0]
    assert not any("assigned" in (o.group_label or "") for o in found), found


def test_each_list_of_measures_with_its_own_values(extractor):
    """'TTP and OS were a and b months, respectively, in A, whereas TTP and OS were c and d months,
    respectively, in B': b is A's OS and d is B's; neither a nor c is an OS."""
    text = (
        "Patients were randomly assigned to pomalidomide or observation. Time to progression and OS were "
        "9.1 and 25.4 months, respectively, in the pomalidomide group, whereas time to progression and OS "
        "were 5.2 and 19.9 months, respectively, in the observation group."
    )
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [(o.value, o.group_label) for o in found] == [
        (25.4, "pomalidomide"),
        (19.9, "observation"),
    ]


def test_the_arm_favoured_before_a_colon_has_the_first_value(extractor):
    """'higher in the B group: 52% (n = 61) versus 33% (n = 40)': B's 52, stated (the counts in brackets
    are no values to read the direction from)."""
    text = (
        "Patients were randomized to azacitidine or decitabine. The CR rate was higher in the "
        "decitabine group: 52% (n = 61) versus 33% (n = 40) (P = .02)."
    )
    found = [o for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert [(o.value, o.group_label, o.flags) for o in found] == [
        (52.0, "decitabine", ()),
        (33.0, "azacitidine", ()),
    ]


def test_the_other_arm_of_arms_sharing_a_word(extractor):
    """'higher in the dose B arm (48% vs 30%)' in a trial of dose A and dose B: the 30% is dose A's."""
    text = (
        "Patients were randomized to dose A or dose B. The CR rate was higher in the "
        "dose B arm (47% vs 29%)."
    )
    found = [o for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert [(o.value, o.group_label) for o in found] == [(47.0, "dose B arm"), (29.0, "dose A")]


COHORTS_ONE_AFTER_ANOTHER = (
    "Methods: This phase I/II study treated two cohorts with drug X: newly diagnosed and relapsed "
    "AML. Results: Sixty patients were enrolled. In the newly diagnosed cohort, the median age was "
    "72 years. The CR/CRi rate was 88%. With a median follow-up of 15 months, median OS was not "
    "reached. In the relapsed cohort, the CR/CRi rate was 31% and median OS was 6.2 months. "
    "Conclusions: A CR/CRi rate of 88% is encouraging."
)


def test_a_cohort_scope_carries_over_the_sentences_after_it(extractor):
    """'In the X cohort, ... . The CR rate was 88%. ... In the Y cohort, ...': the 88% and the OS after it
    are X's (cohorts reported one after another), not the whole study's; not past the section."""
    found = extractor.extract(COHORTS_ONE_AFTER_ANOTHER)
    cr = [(o.value, o.group_label) for o in found if o.measure == "cr_rate"]
    assert cr == [
        (88.0, "newly diagnosed cohort"),
        (31.0, "relapsed cohort"),
        (88.0, None),
    ]
    os_ = [(o.not_reached, o.group_label) for o in found if o.measure == "median_os"]
    assert os_[0] == (True, "newly diagnosed cohort")


def test_dose_groups_reported_one_after_another(extractor):
    """'Among the 90 patients treated with 200 mg, ... . At a median follow-up of 12 months, ... 45% achieving
    CR. In 80 patients treated with 50 mg at a median follow-up of 8 months, ... 19% achieving CR'."""
    text = (
        "Results: Overall, 170 patients were treated. Among the 90 patients treated with 200 mg, the "
        "median age was 68 years. At a median follow-up of 12.1 months, the ORR was 66%, with 45% "
        "achieving complete response (CR). In 80 patients treated with 50 mg at a median follow-up of "
        "8.2 months, the ORR was 40%, with 19% achieving CR."
    )
    found = [
        (o.value, o.group_label, o.flags) for o in extractor.extract(text) if o.measure == "cr_rate"
    ]
    assert found == [(45.0, "200 mg", ()), (19.0, "50 mg", ())]


def test_a_trait_subgroup_does_not_carry(extractor):
    """'Among patients with a TP53 mutation, ... . Median OS was 20 months. For patients without TP53
    mutations, ...': a subgroup the abstract steps into and out of; the 20 months are everyone's."""
    text = (
        "Results: A total of 98 patients were enrolled. Among patients with a TP53 mutation (n = 20), the "
        "CR rate was 20%. Median overall survival was 21.6 months. For patients without TP53 mutations, "
        "median OS was not reached."
    )
    found = [(o.value, o.group_label) for o in extractor.extract(text) if o.measure == "median_os"]
    assert found[0] == (21.6, None)


def test_a_sentence_with_its_own_subject_takes_no_carried_scope(extractor):
    """'Triple-negative tumours had the highest pCR rate, 28%': their own, not the cohort opened before."""
    text = (
        "Results: 300 women were enrolled. In the HER2-negative group, pCR was seen in 12% and 14% of "
        "patients treated without and with drug Y, respectively. In the HER2-positive group, the pCR "
        "rate was 25%. Triple-negative breast cancers had the highest pCR rate of 28%."
    )
    found = [(o.value, o.group_label) for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert (28.0, "HER2-positive group") not in found


def test_a_time_inside_a_people_scope_is_their_trait(extractor):
    """'In patients relapsing within 12 months of transplant, 61% and 38% ... in arm A and arm B': the
    scope names people first, so its time is a trait of theirs (was dropped as a time)."""
    text = (
        "Results: 300 patients were randomized to arm A or arm B. In patients relapsing within 12 months "
        "of transplant, the CR rates were 61% in arm A and 38% in arm B."
    )
    found = [(o.value, o.group_label) for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert found == [
        (61.0, "arm A, patients relapsing within 12 months of transplant"),
        (38.0, "arm B, patients relapsing within 12 months of transplant"),
    ]


def test_a_scope_opening_the_results_section_carries(extractor):
    """'Results: Among the 90 patients treated with 200 mg, ...': the heading before the scope is no reason
    to miss it."""
    text = (
        "Methods: Patients received drug Z at 50 mg or 200 mg. Results: Among the 90 patients treated "
        "with 200 mg, the median age was 68 years. The ORR was 66%, with 45% achieving complete response "
        "(CR). In 80 patients treated with 50 mg, the ORR was 40%, with 19% achieving CR."
    )
    found = [(o.value, o.group_label) for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert found == [(45.0, "200 mg"), (19.0, "50 mg")]


def test_the_cr_item_of_a_breakdown_is_the_measures_people(extractor):
    """'The CR/CRi rate for NPM1-mutated patients was 70% (CR, 52%; CRi, 18%)': the 52% is theirs too."""
    text = (
        "Results: Sixty patients were enrolled. The CR/CRi rate for NPM1-mutated patients was 70% "
        "(CR, 52%; CRi, 18%)."
    )
    found = [(o.value, o.group_label) for o in extractor.extract(text) if o.measure == "cr_rate"]
    assert found == [(70.0, "NPM1-mutated patients"), (52.0, "NPM1-mutated patients")]


NONINFERIORITY = (
    "Phase III Study Comparing Cisplatin Plus Vinorelbine With Cisplatin Plus Pemetrexed in Patients "
    "With Advanced NSCLC. Patients and Methods: This randomized study compared overall survival in "
    "1,640 patients with stage IIIB or IV NSCLC and an Eastern Cooperative Oncology Group performance "
    "status of 0 to 1. Results: Overall survival for cisplatin/pemetrexed was noninferior to "
    "cisplatin/vinorelbine (median survival, 10.1 v 10.4 months, respectively; HR = 0.95). Overall "
    "survival was superior for cisplatin/pemetrexed versus cisplatin/vinorelbine in patients with "
    "adenocarcinoma (n = 812; 12.4 v 10.8 months, respectively). In contrast, in patients with squamous "
    "histology, survival was better with cisplatin/vinorelbine versus cisplatin/pemetrexed (n = 455; "
    "10.6 v 9.2 months, respectively)."
)


def test_arms_in_the_order_a_sentence_names_them(extractor):
    """A title 'Comparing A With B' gives the arms; a 'respectively' follows the order the sentence names them
    in ('for B ... to A (x v y, respectively)'), each bracket of a pair is its people's, a sentence may open
    with 'In contrast, in X,'; an 'Eastern Cooperative Oncology Group' is no listed group."""
    found = [
        (o.value, o.group_label, o.flags)
        for o in extractor.extract(NONINFERIORITY)
        if o.measure == "median_os"
    ]
    assert found == [
        (10.1, "Cisplatin Plus Pemetrexed", ()),
        (10.4, "Cisplatin Plus Vinorelbine", ()),
        (12.4, "Cisplatin Plus Pemetrexed, adenocarcinoma", ()),
        (10.8, "Cisplatin Plus Vinorelbine, adenocarcinoma", ()),
        (10.6, "Cisplatin Plus Vinorelbine, patients with squamous histology", ()),
        (9.2, "Cisplatin Plus Pemetrexed, patients with squamous histology", ()),
    ]


def test_a_dose_group_of_the_one_treatment_is_a_group(extractor):
    """'Among 17 patients receiving 10 mg X once every two weeks, ... the mOS was 20.3 months' in a study of
    X: those patients (but 'With first-line X, the median OS was ...' is everyone)."""
    text = (
        "Results: In all, 150 patients were treated with tarlatamab. Among 18 patients receiving 10 mg "
        "tarlatamab once every two weeks, the ORR was 33.3% and the mOS was 19.8 months (95% CI, 5.1 to "
        "NE). With first-line tarlatamab, the median OS was 16.5 months."
    )
    found = [(o.value, o.group_label) for o in extractor.extract(text) if o.measure == "median_os"]
    assert found == [(19.8, "10 mg tarlatamab once every two weeks"), (16.5, None)]


@pytest.mark.parametrize(
    ("text", "measure", "expected"),
    [
        (
            "Results: In all, 58 patients were treated. Thirty-one patients achieved a complete remission "
            "(CR) (53%) and fourteen achieved a partial remission (24%).",
            "cr_rate",
            [(53.0, None)],
        ),
        (
            "Results: In all, 40 patients were treated. In Group B, the median survival was 54 months with "
            "nine patients (53%) alive at 5 years.",
            "median_os",
            [(54.0, "Group B")],
        ),
    ],
    ids=["hyphenated-count-subject", "count-after-the-value"],
)
def test_a_count_of_people_is_no_group(extractor, text, measure, expected):
    """'Thirty-one patients achieved CR (53%)', '... with nine patients (53%) alive': how many, not who."""
    found = [(o.value, o.group_label) for o in extractor.extract(text) if o.measure == measure]
    assert found == expected


def test_the_two_groups_are_no_group_name(extractor):
    """'11.8 and 11.2 months in the two groups': the arms, unnamed: no group 'two groups', flagged."""
    text = (
        "Results: 120 patients were randomized. The median survival times were 11.6 and 11.1 months in the "
        "two groups."
    )
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [o.value for o in found] == [11.6, 11.1]
    assert all(o.group_label is None and FLAG_GROUP_UNCERTAIN in o.flags for o in found)


def test_a_survival_of_complete_responders_is_no_cr_rate(extractor):
    """'the disease-free survival for the complete responders is 60%': their DFS, no CR rate (but 'the
    rate of complete responders was 35%' is one)."""
    text = (
        "Results: In all, 60 patients were treated. With a median follow-up of 20 years, the overall "
        "survival for the group is 38%, and the disease-free survival for the complete responders is 61%."
    )
    assert [o for o in extractor.extract(text) if o.measure == "cr_rate"] == []


@pytest.mark.parametrize(
    ("text", "measure", "expected"),
    [
        (
            "Results: 210 patients were randomized to arm A or arm B. Median OS did not differ between the "
            "arms: arm A: 14.8 versus arm B: 16.9 months (P = .30).",
            "median_os",
            [(14.8, "arm A"), (16.9, "arm B")],
        ),
        (
            "Results: 130 women were randomly assigned to an exercise program or usual care. Among 70 women "
            "who received neoadjuvant chemotherapy, women randomly assigned to exercise were more likely to "
            "have a pCR than those randomly assigned to usual care (51% v 27%; P = .04).",
            "cr_rate",
            [
                (51.0, "women randomly assigned to exercise"),
                (27.0, "randomly assigned to usual care"),
            ],
        ),
        (
            "Results: 410 patients were randomized to drug T plus pembrolizumab or placebo plus "
            "pembrolizumab. The objective response rate was 47.6% for T-pembrolizumab (CRR 16.9%) and 40.3% "
            "for placebo-pembrolizumab (CRR 10.6%).",
            "cr_rate",
            [(16.9, "T-pembrolizumab"), (10.6, "placebo-pembrolizumab")],
        ),
        (
            "Results: 520 patients were randomized to SG or TPC. In this final analysis, SG (n = 267) "
            "improved median PFS (PFS; 4.7 v 1.6 months) and median OS (OS; 11.6 v 6.8 months; HR, 0.52).",
            "median_os",
            [(11.6, "SG"), (6.8, "TPC")],
        ),
    ],
    ids=["arm-colon", "more-likely-than", "crr-bracket", "subject-improved"],
)
def test_stated_arm_orders(extractor, text, measure, expected):
    """'arm A: x versus arm B: y', 'A were more likely to have a pCR than B (x v y)', 'A (CRR x%)', 'A (n =
    267) improved median OS (x v y)': each value's group is stated, so none is flagged."""
    found = [o for o in extractor.extract(text) if o.measure == measure]
    assert [(o.value, o.group_label) for o in found] == expected
    assert not any(o.flags for o in found)


def test_the_addition_of_a_drug_names_the_combination(extractor):
    """'The addition of IFN to 5-FU improved survival (median 15.9 vs 7.2 months)': not 5-FU's 15.9."""
    text = (
        "Results: 90 patients were randomized to 5-FU alone or the combination of IFN and 5-FU. The "
        "addition of IFN to 5-FU significantly improved survival time (median 15.1 vs 7.1 months)."
    )
    found = [o for o in extractor.extract(text) if o.measure == "median_os"]
    assert [o.value for o in found] == [15.1, 7.1]
    assert found[0].group_label != "5-FU alone" or FLAG_ARM_ORDER in found[0].flags  # (not stated)


def test_the_subject_has_the_first_of_several_values(extractor):
    """'Patients with X had a median survival of 30 months as compared with the 21 months of patients with
    Y, and 6.0 months with Z': every other value has its group, the first is the subject's."""
    text = (
        "Results: 120 patients were studied. Patients with diploid tumors had a median survival time of "
        "30 months as compared with the 21 months of patients with hypotriploid tumors, and 6.0 months "
        "with hypertriploid tumors."
    )
    found = [(o.value, o.group_label) for o in extractor.extract(text) if o.measure == "median_os"]
    assert found == [
        (30.0, "Patients with diploid tumors"),
        (21.0, "hypotriploid tumors"),
        (6.0, "hypertriploid tumors"),
    ]


def test_every_value_bracketed_with_a_longer_name(extractor):
    """'6 months (Grade 2 and 4 tumors) and 9 months (Grade 3 tumors)': the brackets name the groups."""
    text = (
        "Results: 120 patients were studied. Patients over 50 years of age had a median survival time of "
        "5 months (Grade 2 and 4 tumors) and 8 months (Grade 3 tumors)."
    )
    found = [(o.value, o.group_label) for o in extractor.extract(text) if o.measure == "median_os"]
    assert found == [(5.0, "Grade 2 and 4 tumors"), (8.0, "Grade 3 tumors")]
