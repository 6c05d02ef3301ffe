"""Synthetic records for the loopback server: made-up hematology abstracts, no real patients or papers.

Section text carries markup placeholders ({i}...{/i}, {sup}, {sub}) so one
record can be written as PubMed XML (escaped text, real tags), as Europe PMC
HTML (raw `<` in text, as Europe PMC sends it) and as the plain text the
readers must produce.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from xml.sax.saxutils import escape

_MARK = re.compile(r"\{(/?)(i|sup|sub)\}")
DRUGS = (
    "axicabtagene ciloleucel",
    "tisagenlecleucel",
    "lisocabtagene maraleucel",
    "glofitamab",
    "epcoritamab",
)
LABELS = ("Background", "Methods", "Results", "Conclusions")


@dataclass
class Record:
    """One synthetic study as both services hold it (mutable: tests revise records)."""

    pmid: str | None
    title: str
    sections: list[tuple[str | None, str]]
    pdat: date
    mdat: date
    journal: str = "Journal of Synthetic Hematology"
    topics: frozenset[str] = frozenset()
    authors: list[tuple[str, str, str]] = field(default_factory=list)
    ppr: str | None = None

    @property
    def study_id(self) -> str:
        return self.pmid or f"PPR:{self.ppr}"

    @property
    def doi(self) -> str:
        return f"10.5555/synth.{self.study_id.replace(':', '.')}"

    def xml_sections(self) -> list[tuple[str | None, str]]:
        return [
            (label, _MARK.sub(lambda m: f"<{m.group(1)}{m.group(2)}>", escape(text)))
            for label, text in self.sections
        ]

    def expected_pubmed(self) -> str | None:
        """The abstract the PubMed reader must store for this record."""
        parts = [
            f"{label.upper()}: {plain(t)}" if label else plain(t) for label, t in self.sections
        ]
        return "\n".join(parts) or None

    def expected_epmc(self) -> str | None:
        """The abstract the Europe PMC reader must store (headings as printed)."""
        parts = [f"{label}: {plain(t)}" if label else plain(t) for label, t in self.sections]
        return "\n".join(parts) or None

    def epmc_json(self, *, core: bool) -> dict[str, object]:
        out: dict[str, object] = {
            "id": self.pmid or self.ppr,
            "source": "MED" if self.pmid else "PPR",
        }
        if self.pmid:
            out["pmid"] = self.pmid
        out.update(
            doi=self.doi,
            title=self.title,
            pubYear=str(self.pdat.year),
            authorString=", ".join(f"{last} {ini}" for last, _f, ini in self.authors) + ".",
            firstPublicationDate=self.pdat.isoformat(),
        )
        if core:
            out["authorList"] = {
                "author": [
                    {
                        "fullName": f"{last} {ini}",
                        "firstName": fore,
                        "lastName": last,
                        "initials": ini,
                    }
                    for last, fore, ini in self.authors
                ]
            }
            out["journalInfo"] = {
                "journal": {"title": self.journal, "isoabbreviation": "J Synth Hematol"},
                "yearOfPublication": self.pdat.year,
            }
            out["pubTypeList"] = {"pubType": ["Journal Article"]}
            if self.sections:
                out["abstractText"] = "".join(
                    (f"<h4>{label}</h4>" if label else "")
                    + _MARK.sub(lambda m: f"<{m.group(1)}{m.group(2)}>", text)
                    for label, text in self.sections
                )
        return out


def plain(text: str) -> str:
    return _MARK.sub("", text)


def _sections(rng: random.Random, n_patients: int) -> list[tuple[str | None, str]]:
    drug = rng.choice(DRUGS)
    cr = rng.randint(20, 80)
    k = round(n_patients * cr / 100)
    os_months = round(rng.uniform(4, 30), 1)
    texts = [
        f"Outcomes after {drug} for relapsed large B-cell lymphoma remain uncertain{{i}} in routine care{{/i}}.",
        f"We reviewed {n_patients} consecutive CD19{{sup}}+{{/sup}} patients treated at {rng.randint(2, 12)} centres.",
        f"The complete response rate was {cr}% ({k}/{n_patients}); median overall survival was {os_months} months "
        f"(95% CI {round(os_months * 0.7, 1)}\u2013{round(os_months * 1.4, 1)}), P\u2009<\u20090.001, with "
        f"CO{{sub}}2{{/sub}}-free storage.",
        f"{drug.capitalize()} gave durable responses in a third of patients.",
    ]
    if rng.random() < 0.25:  # unstructured abstract
        return [(None, " ".join(texts))]
    return list(zip(LABELS, texts))


def make_corpus(
    n: int,
    *,
    topic: str = "car-t lymphoma",
    seed: int = 1,
    first_pmid: int = 31_000_001,
    start: date = date(2015, 1, 1),
    days: int = 3650,
    no_abstract_every: int = 40,
) -> list[Record]:
    """`n` records published evenly over `days` from `start`; every `no_abstract_every`-th has no abstract."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        pdat = start + timedelta(days=i * days // max(n, 1))
        n_patients = rng.randint(18, 400)
        sections = (
            []
            if no_abstract_every and i % no_abstract_every == no_abstract_every - 1
            else _sections(rng, n_patients)
        )
        authors = [
            (rng.choice(("Okafor", "Lindqvist", "Tanaka", "Moreau", "Silva")), "Ana", "A"),
            (rng.choice(("Berg", "Rossi", "Khan", "Novak")), "Jon", "J"),
        ]
        records.append(
            Record(
                pmid=str(first_pmid + i),
                title=f"Real-world outcomes of CAR-T cohort {i + 1} (n={n_patients})",
                sections=sections,
                pdat=pdat,
                mdat=pdat + timedelta(days=60),
                topics=frozenset({topic}),
                authors=authors,
            )
        )
    return records


def make_preprints(n: int, *, topic: str = "car-t lymphoma", seed: int = 2) -> list[Record]:
    """Europe PMC-only records (preprints, no PMID)."""
    rng = random.Random(seed)
    return [
        Record(
            pmid=None,
            ppr=f"PPR{700000 + i}",
            title=f"Preprint on CAR-T cohort {i + 1}",
            sections=_sections(rng, rng.randint(18, 200)),
            pdat=date(2024, 6, 1) + timedelta(days=i),
            mdat=date(2024, 6, 1),
            topics=frozenset({topic}),
            authors=[("Mbeki", "Lia", "L")],
        )
        for i in range(n)
    ]
