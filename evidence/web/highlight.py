"""An abstract cut into runs of text, each with the values whose evidence covers it: what the page marks.

Evidence spans nest and cross ("the complete response rate was 40% with Pola-BR versus 18%"
holds two values' evidence, one inside the other), so the text is cut at every span's start
and end; a run is then wrapped in one `<mark>` per value covering it, in the order the values
are given (the page's numbering, so that numbers starting at one place read 1, 2, 3). Joined,
the runs of one value are exactly `abstract[start:end]`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True, kw_only=True)
class Run:
    """A piece of the abstract and the values (ids, in the order given) whose evidence covers it.

    `starts`: the values whose evidence begins with this run (the page numbers them there)."""

    text: str
    outcomes: tuple[str, ...] = ()
    starts: tuple[str, ...] = ()


def runs(abstract: str, values: Sequence[Mapping[str, Any]]) -> list[Run]:
    """Cut `abstract` at every value's `start` and `end`; values are rows with `id`, `start`, `end`."""
    spans = [
        (int(v["start"]), int(v["end"]), str(v["id"]))
        for v in values
        if 0 <= int(v["start"]) < int(v["end"]) <= len(abstract)
    ]
    cuts = sorted({0, len(abstract), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    out: list[Run] = []
    for left, right in zip(cuts, cuts[1:]):
        covering = [s for s in spans if s[0] <= left and right <= s[1]]
        out.append(
            Run(
                text=abstract[left:right],
                outcomes=tuple(s[2] for s in covering),
                starts=tuple(s[2] for s in covering if s[0] == left),
            )
        )
    return out
