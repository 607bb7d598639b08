"""Sets of character spans, asked "does one hold this offset?" in log time."""

from __future__ import annotations

import bisect
from collections.abc import Iterable

__all__ = ["Spans"]


class Spans:
    """``[start, end)`` spans, overlapping or not, merged for look-up.

    >>> spans = Spans([(5, 9), (0, 3), (8, 12)])
    >>> [offset in spans for offset in (0, 3, 5, 11, 12)]
    [True, False, True, True, False]
    >>> 0 in Spans([]), bool(Spans([])), bool(spans)
    (False, False, True)
    """

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        self._starts = tuple(a for a, _ in merged)
        self._ends = tuple(b for _, b in merged)

    def __bool__(self) -> bool:
        return bool(self._starts)

    def __contains__(self, offset: int) -> bool:
        index = bisect.bisect_right(self._starts, offset) - 1
        return index >= 0 and offset < self._ends[index]

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The merged spans that share an offset with ``[start, end)``, in order:
        an offset there is in the spans exactly when one of these holds it.

        >>> Spans([(5, 9), (0, 3), (8, 12), (20, 25)]).overlapping(2, 21)
        [(0, 3), (5, 12), (20, 25)]
        >>> Spans([(5, 9)]).overlapping(9, 30), Spans([]).overlapping(0, 9)
        ([], [])
        """
        found = []
        index = bisect.bisect_right(self._ends, start)  # the first span ending after start
        while index < len(self._starts) and self._starts[index] < end:
            found.append((self._starts[index], self._ends[index]))
            index += 1
        return found
