"""Which population a value belongs to: one resolver for every measure.

A measure rule finds a value and asks: whose is it? The resolver answers from the words around the value,
in the order an abstract scopes them:

1. the groups of a printed list ('17% and 13% in A and B, respectively', '17% vs 13% (A vs B)', 'x% in A vs
   y% in B', 'higher in A than in B (x vs y)', 'A had ... (x vs y)'), read by `pairing.pair`;
2. a group printed with the value ('in/among/for/with X' after it, 'X (CR 30%)' before its bracket,
   'Of the N patients in CR, M (x%) relapsed') — found by the measure's own layouts, or by pairing;
3. the scope its clause opens with ('In X,' 'Among X,' 'of these,'), added to an arm when both are named;
4. the label is read (`labels.read_label`): a population, the whole cohort, all arms, a time origin, or a
   phrase that is no population;
5. the regimen comes only from the population's own words (or, in a single-arm study, from the study's own
   treatment, never from background sentences).

Where the text does not decide — values printed as a comparison in a study of several arms with no group
beside them, a phrase that is no population — the value keeps no group and is marked uncertain
(`group_uncertain`): a reviewer checks it. Values of a comparison given to the trial's arms in the order
the abstract named them (the usual convention, not a statement), or to the groups the sentences before
named, keep those groups and are marked `group_from_arm_order`. A scope is added only to an arm's label
('In TP53-mutated patients, ... in arm A' -> 'arm A, TP53-mutated patients').
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from evidence_tables.extractor.arms import Arms
from evidence_tables.extractor.document import Document, Sentence
from evidence_tables.extractor.groups import STATISTIC, Group, regimen_of
from evidence_tables.extractor.measures.sentence_parts import clause_bounds
from evidence_tables.extractor.population.labels import read_label
from evidence_tables.extractor.population.pairing import VERSUS, Pairing, pair
from evidence_tables.extractor.population.scope import (
    Scope,
    carried_scope,
    scope_of,
    sentence_openings,
    subject_of,
)

# Values compared in their clause: their group matters, and a value without one may be any of them.
_COMPARISON = re.compile(
    r"\b(?:vs\.?|versus|v\.|compared|comparison|than|whereas|while|respectively)\b|"
    r"\b(?:higher|lower|longer|shorter|better|worse|superior|inferior|improved)\b",
    re.IGNORECASE,
)
_PEOPLE_WORDS = re.compile(
    r"\b(?:patients|participants|subjects|those|responders|cases|women|men|children|adults|"
    r"subgroup|cohort|arm|group)\b",
    re.IGNORECASE,
)
_SET_AGAINST = re.compile(r";|\b(?:vs\.?|versus|compared|whereas|while|than)\b", re.IGNORECASE)
_EITHER_ARM = re.compile(
    r"\bin\s+(?:either|both|each)\s+(?:of\s+the\s+(?:two\s+)?)?(?:arms?|groups?)\b", re.IGNORECASE
)
_DESIGNATOR = re.compile(r"\b(?:arm|group|cohort)\s+(?:[A-D]|[1-4]|I{1,3}|IV)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Population:
    """Whose a value is: `label` as the text names the population (None: the whole cohort), its `regimen`
    (canonical, from the population's own words), a time `origin` printed with it ('from CAR-T infusion',
    kept as the timepoint), and whether the text left it `uncertain`."""

    label: str | None
    regimen: str | None = None
    origin: str | None = None
    uncertain: bool = False
    from_arm_order: bool = False


class PopulationResolver:
    """The populations of one abstract's values (one per abstract: what it reads of the study is kept)."""

    def __init__(self, doc: Document, arms: Arms) -> None:
        self.doc = doc
        self.arms = arms
        self._openings: tuple[tuple[int, Scope], ...] | None = None

    def _carried(self, sent: Sentence) -> Group | None:
        """The scope carried from a sentence before (`scope.carried_scope`)."""
        if self._openings is None:
            self._openings = sentence_openings(self.doc, tuple(a.label for a in self.arms.trial))
        return carried_scope(self.doc, sent, self._openings)

    def pair(
        self,
        sent: Sentence,
        values: list[tuple[int, int]],
        cue_end: int,
        *,
        measures_listed: bool = False,
    ) -> Pairing:
        """The groups printed for the values of one list (start, end after unit and CI), in order."""
        return pair(self.doc, sent, values, cue_end, self.arms, measures_listed=measures_listed)

    def settle(
        self,
        sent: Sentence,
        value: tuple[int, int],
        group: Group | None,
        *,
        guessed: bool = False,
        peers: tuple[tuple[tuple[int, int], bool], ...] = (),
    ) -> Population:
        """The population of one value, from the group found for it (or None), its clause's scope and the
        study's arms. `peers`: the values of its measure the sentence gives, (span, has a group) each, this
        one among them; `guessed`: the group came from an order the text did not state."""
        listed = max(len(peers), 1)
        peers_grouped = any(grouped for span, grouped in peers if span != value)
        label, origin, uncertain, whole, timed = None, None, False, False, False
        span: tuple[int, int] | None = None
        if group is not None:
            group = self._as_arm(group)
            read = read_label(group)
            if read.reading == "population":
                label, span = self._designated(read.text or ""), (group.start, group.end)
            elif (
                read.reading == "origin"
                and peers_grouped
                and not group.origin
                and (after := _AFTER.match(read.text or ""))
            ):
                label, span = (
                    after.group(1),
                    (group.start, group.end),
                )  # '7% after A vs 30% after B'
            elif read.reading in ("origin", "when"):
                origin = read.text
                timed = read.reading == "when"
            elif read.reading == "junk":
                uncertain = True
            elif read.reading in ("site", "count"):
                pass  # where it happened, not to whom; how many, not who
            else:  # 'in all patients', 'in both arms': the whole cohort, said
                whole = True
        scope = scope_of(self.doc, sent, value[0], tuple(a.label for a in self.arms.trial))
        if scope is not None and scope.group is not None:
            if label is None and not whole:
                label, span = scope.group.label, (scope.group.start, scope.group.end)
            elif (
                label is not None
                and _words(scope.group.label).isdisjoint(_words(label))
                and self._is_arm(label)
                and not self._is_arm(scope.group.label)
                and (
                    not _SET_AGAINST.search(gap := sent.slice(scope.group.end, value[0]))
                    or _SECOND_OF_VALUES.search(
                        gap
                    )  # 'In X, it was 9.1 vs 7.9 months': both are X's
                )
            ):
                label = f"{label}, {scope.group.label}"  # 'In TP53-mutated patients, ... in arm A': arm A, TP53-mutated
        elif scope is not None and scope.whole:
            whole = True
        event_origin = label is not None and re.match(
            r"(?:from|after|following|since)\s", label, re.IGNORECASE
        )
        if (
            (label is None or event_origin)
            and not whole
            and listed == 1
            and (subject := subject_of(sent, value[0])) is not None
        ):
            if event_origin:  # 'Patients with asymptomatic recurrence had a median survival from relapse of 35 months'
                origin = label
            label, span = subject.label, (subject.start, subject.end)
        if label is None and _WHOLE_AFTER.match(sent.text, value[1] - sent.start):
            whole = (
                True  # '10.2 months (95% CI, 6.1-NR) for the whole population; for X it was 13.9'
            )
        if (
            label is None
            and not whole
            and group is None
            and (carried := self._carried(sent)) is not None
        ):
            label, span = carried.label, (carried.start, carried.end)
        if (
            label is None and not whole and not uncertain and not timed
        ):  # (a time is no unnamed group)
            uncertain = self._open_question(sent, value, listed, peers_grouped) or _beside_grouped(
                sent, value, peers
            )
        uncertain = uncertain and label is None
        if label:
            label = self._with_arm(self._with_definition(label))
        regimen = self._regimen(sent, span) if label else None
        if (
            label
            and regimen
            and regimen == self.arms.treatment
            and not self.arms.trial
            and listed == 1
            and not _PEOPLE_WORDS.search(label)
            # ('Among 17 patients receiving 10 mg X once every two weeks,': a part of the study, named so)
            and not (span is not None and _PEOPLE_WORDS.search(self.doc.text[span[0] : span[1]]))
        ):
            label = None  # 'with first-line bevacizumab' in a study of it: the study's one treatment, everyone
        return Population(
            label=label,
            regimen=regimen or (None if uncertain else self.arms.treatment),
            origin=origin,
            uncertain=uncertain,
            from_arm_order=guessed and label is not None,
        )

    def set_against(
        self, sent: Sentence, spans: list[tuple[int, int]], found: list[Population]
    ) -> list[Population]:
        """'Among patients with de novo disease, median OS was 39.6 versus 30.5 months': values set against
        each other that all read as one population are that population's arms, which the text does not
        name: each keeps the population and is flagged."""
        labels = {p.label for p in found}
        if len(found) < 2 or len(labels) != 1 or None in labels:
            return found
        # the values joined to a neighbour by 'vs' ('21% developed a local relapse (24 versus 18%,
        # respectively)': the 24 and the 18, not the 21)
        against = set()
        for i, (a, b) in enumerate(zip(spans, spans[1:])):
            if VERSUS.search(sent.slice(a[1], b[0])):
                against |= {i, i + 1}
        return [replace(p, uncertain=True) if i in against else p for i, p in enumerate(found)]

    def every_arm(
        self, sent: Sentence, group: Group | None, value: tuple[int, int]
    ) -> list[Group] | None:
        """'No recurrence occurred in either group', 'in both arms': one value for each of the study's arms (or
        the groups the sentences before gave their values), when the phrase says so and they are known."""
        said = group is not None and read_label(group).reading == "all_arms"
        if not said and (group is None or read_label(group).reading == "junk"):
            # in the value's own clause, with no other measure between: not '40%, and grade 3 neutropenia was
            # similar in both arms'
            _, clause_end = clause_bounds(sent, value[1])
            gap = sent.slice(value[1], min(clause_end, value[1] + 120))
            either = _EITHER_ARM.search(gap)
            said = either is not None and not re.search(
                r"[,;]\s*(?:and|but|while|whereas)?\b", gap[: either.start()]
            )
        if not said:
            return None
        arms = list(self.arms.trial) or self.arms.recently_valued(sent.index, 2)
        return arms if len(arms) >= 2 else None

    def _is_arm(self, label: str) -> bool:
        """Does a label name one of the study's arms ('arm A', 'the control group', a trial arm's name)?"""
        lowered = label.lower()
        return bool(
            _DESIGNATOR.search(label)
            or re.search(r"\b(?:arm|group)\b", label, re.IGNORECASE)
            or any(
                a.label.lower() in lowered or lowered in a.label.lower() for a in self.arms.trial
            )
        )

    def _as_arm(self, group: Group) -> Group:
        """'(study vs control)': a bare word that begins one trial arm's name is that arm ('study group')."""
        word = group.label.strip().lower()
        if " " in word or not self.arms.trial:
            return group
        hits = [a for a in self.arms.trial if a.label.lower().startswith(word + " ")]
        return (
            Group(hits[0].label, group.start, group.end, group.origin) if len(hits) == 1 else group
        )

    def _with_definition(self, label: str) -> str:
        """'arm A' -> 'arm A (docetaxel every 3 weeks)', 'study group' -> 'study group (chemotherapy plus
        letrozole)': an arm named by letter or role, with what the abstract says it received."""
        head = re.match(
            r"(?:the\s+)?(?P<name>(?:arm|group|cohort)\s+\w+|\w+\s+(?:arm|group))\b(?P<rest>.*)$",
            label,
            re.IGNORECASE | re.DOTALL,
        )
        if head is None or "(" in label:
            return label
        name = " ".join(head.group("name").split()).lower()
        definition = next((d for k, d in self.doc.abbreviations.items() if k.lower() == name), None)
        if definition and (
            _NOT_DEFINITION.match(definition)
            or _CLAUSE.search(definition)
            or _DESIGNATOR.search(definition)  # 'arm A (five in arm B)': a count of another arm's
            or definition.strip().lower() in (name, label.strip().lower())
        ):
            # 'Group A (range 8 to 300+ weeks)': a statistic in brackets, not what it received; nothing to add
            definition = None
        if definition:  # 'six cycles of docetaxel, ...' -> 'docetaxel, ...'
            definition = re.sub(
                r"^(?:\w+\s+)?(?:cycles?|courses?|doses?|weeks?|months?)\s+of\s+",
                "",
                definition,
                flags=re.IGNORECASE,
            )
        return (
            f"{label[: head.end('name')]} ({definition}){head.group('rest')}"
            if definition
            else label
        )

    def _with_arm(self, label: str) -> str:
        """'the combination' -> 'combination (FTD/TPI plus bevacizumab)', 'monotherapy' -> 'monotherapy (X alone)':
        an arm named by its kind, where exactly one of the trial's arms is of that kind."""
        kind = _ARM_KIND.fullmatch(label)
        if kind is None or "(" in label:
            return label
        if kind.group("combined"):
            arms = [
                a.label
                for a in self.arms.trial
                if _COMBINED.search(a.label) and not _SINGLE.search(a.label)
            ]
        elif kind.group(
            "control"
        ):  # the arm said to be control, else the one without the added drug
            arms = [a.label for a in self.arms.trial if _CONTROL.search(a.label)] or [
                a.label for a in self.arms.trial if not _COMBINED.search(a.label)
            ]
        else:
            arms = [a.label for a in self.arms.trial if _SINGLE.search(a.label)]
        if (
            len(arms) != 1
            or len(self.arms.trial) < 2
            or _bare(arms[0]) in (_bare(label), f"{_bare(label)} group", f"{_bare(label)} arm")
        ):
            return label  # ('control group (control group)': nothing to add)
        return f"{label} ({arms[0]})"

    def _designated(self, label: str) -> str:
        """'A' where the abstract names 'arm A' (or 'group A', 'cohort A'): that arm."""
        if not re.fullmatch(r"[A-D]|[1-4]|I{1,3}|IV", label):
            return label
        named = re.search(rf"\b(arm|group|cohort)\s+{label}\b", self.doc.text, re.IGNORECASE)
        return f"{named.group(1).lower()} {label}" if named else label

    def _open_question(
        self, sent: Sentence, value: tuple[int, int], listed: int, peers_grouped: bool
    ) -> bool:
        """A value with no group that may be any of several groups' values: in a study of several arms,
        one printed beside other values or in a comparison; in any study, one of a list whose values
        have no group at all ('CR rates were 40% and 25%')."""
        if len(self.arms.trial) < 2:
            return listed >= 2 and not peers_grouped
        if listed >= 2:
            return True
        window = sent.slice(max(sent.start, value[0] - 120), min(sent.end, value[1] + 60))
        return bool(_COMPARISON.search(window) or _DESIGNATOR.search(window))

    def _regimen(self, sent: Sentence, span: tuple[int, int] | None) -> str | None:
        if span is None:
            return None
        name = regimen_of(self.doc, sent, span[0], span[1])
        if name is None:
            words = self.doc.text[span[0] : span[1]].strip().lower()
            for short, long_form in self.doc.abbreviations.items():
                if words == short.lower():
                    return long_form
        return name


def _beside_grouped(
    sent: Sentence, value: tuple[int, int], peers: tuple[tuple[tuple[int, int], bool], ...]
) -> bool:
    """A value with no group after values with groups ('12 months in A and 9 months'), or set against one
    ('40% vs 20% in X', '(6 months) than in X (15 months)'), is not the whole cohort's by default: an overall figure leads its breakdown ('30%, and
    12% in patients with X')."""
    ordered = sorted(peers)
    at = next((i for i, (span, _) in enumerate(ordered) if span == value), None)
    if at is None:
        return False
    if any(grouped for _, grouped in ordered[:at]):
        return True
    following = (
        ordered[at + 1] if at + 1 < len(ordered) else None
    )  # '40% vs 20% in X': the 40% is not X's
    if following is None or not following[1]:
        return False
    return bool(_VERSUS.match(sent.slice(value[1], following[0][0])))


_CLAUSE = re.compile(
    r"\b(?:were|was|randomi[sz]ed|assigned|allocated|enrolled|included)\b", re.IGNORECASE
)
_NOT_DEFINITION = re.compile(rf"\s*(?:{STATISTIC}|\d|hazard|odds|relative\s+risk)", re.IGNORECASE)
_ARM_KIND = re.compile(
    r"(?:the\s+)?(?:(?P<combined>combination|combined|doublet|triplet)|monotherapy|single[\s\-]agent|"
    r"(?P<control>control))(?:\s+(?:arm|group|therapy|treatment|regimen|cohort))?",
    re.IGNORECASE,
)
_COMBINED = re.compile(r"\bplus\b|\s\+\s|\bcombined\s+with\b|\bwith\b|\band\b", re.IGNORECASE)
_SINGLE = re.compile(r"\balone\b|\bmonotherapy\b|\bsingle[\s\-]agent\b", re.IGNORECASE)
_CONTROL = re.compile(
    r"\bplacebo\b|\bcontrol\b|\bobservation\b|\bstandard\b|\balone\b|\bbest\s+supportive\b",
    re.IGNORECASE,
)
_AFTER = re.compile(r"(?:after|following)\s+(.+)", re.IGNORECASE)
_SECOND_OF_VALUES = re.compile(
    r"^[^;]*?\b(?:was|were)\s+\d[\d.]*\s*(?:%|months?|years?|weeks?|days?)?\s*(?:vs\.?|versus|v\.?)\s*$",
    re.IGNORECASE,
)
_WHOLE_AFTER = re.compile(
    r"\s*(?:\([^()]*\)\s*)?,?\s*(?:(?:for|in|among|across)\s+(?:the\s+)?(?:whole|entire|overall|total|full)\s+"
    r"(?:population|cohort|group|series|study|sample)|(?:for|in|among|across)\s+all\s+(?:\d+\s+)?patients|overall)\b",
    re.IGNORECASE,
)
_VERSUS = re.compile(
    r"[\s,;)\]]*(?:vs\.?|versus|v\.|(?:as\s+)?compared\s+(?:with|to)|than)(?:\s|$)", re.IGNORECASE
)


def _words(label: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", label.lower())) - {
        "the",
        "patients",
        "in",
        "with",
        "of",
        "and",
        "arm",
        "group",
    }


def _bare(label: str) -> str:
    """A label without its article, lower case: 'a control' -> 'control'."""
    return re.sub(r"^(?:a|an|the)\s+", "", label.strip().lower())
