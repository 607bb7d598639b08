"""The GeoWebNews benchmark: how well ``geo`` finds and places toponyms.

GeoWebNews (Gritta, Pilehvar & Collier, "A Pragmatic Guide to Geoparsing
Evaluation", 2019) is 200 news articles whose toponyms are annotated with a
type, a span and, for most, gold coordinates. This module reads a file in its
XML format (the path is an argument: the corpus is never part of the project),
runs the real pipeline on every article and measures:

* recognition: precision, recall and F1 of the predicted mention spans against
  the toponyms, with exact and with overlapping spans, and recall per type;
* resolution on the gold spans: accuracy within 161 km, mean and median error,
  and the AUC of the log-error curve;
* end to end: accuracy within 161 km of the toponyms both found and placed;
* speed and size: articles and MB a second on one core, per-article p50/p95
  (the first pass), the best of further whole passes (warm), peak memory and
  start-up time.

``python -m geo.bench.gwn PATH [--out report.json] [--errors N] [--limit N]``
prints a table; ``--errors N`` also prints the N commonest errors, for an
engineer looking for general rules (print it, never save it into the repo).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import resource
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from ..article import read_article
from ..coords import distance_km
from ..errors import ArticleError, GeoError
from ..files import write_atomic

# ``geo.places`` and ``geo.gazetteer`` are imported where the pipeline runs, so
# the corpus reader and the metrics work (and are tested) without the gazetteer.

__all__ = [
    "TOPONYM_TYPES",
    "GoldSpan",
    "GoldArticle",
    "Corpus",
    "read_corpus",
    "realign",
    "match_spans",
    "span_scores",
    "error_km",
    "error_scores",
    "log_error_auc",
    "best_overlap",
    "Report",
    "benchmark",
    "format_table",
    "error_analysis",
    "run",
    "main",
]

# The GWN types that are toponyms (README of the corpus). Non_Toponym marks
# place-like names that are not places; *_Expression marks longer phrases
# around toponyms. Neither is a toponym.
TOPONYM_TYPES = frozenset(
    {
        "Literal",
        "Non_Literal_Modifier",
        "Metonymic",
        "Embedded_Non_Lit",
        "Mixed",
        "Literal_Modifier",
        "Coercion",
        "Demonym",
        "Embedded_Literal",
        "Homonym",
        "Language",
    }
)
NON_TOPONYM = "Non_Toponym"
# Half the earth's circumference: the largest possible error, and the one an
# unplaced toponym gets (Gritta et al.'s convention).
MAX_ERROR_KM = 20039.0
# 100 miles, the customary "correct" threshold of geoparsing papers.
ACCURACY_KM = 161.0
# Importing and opening the gazetteer is what every front end pays first.
STARTUP_CODE = "import geo, geo.gazetteer; geo.gazetteer.Gazetteer.open()"
STARTUP_RUNS = 3
WARMUP_ARTICLES = 1
# Passes over the corpus after the first, timed whole: the best is the pace of
# a process already running (its page and function caches filled), the state
# the comparison with Mordecai ("its Elasticsearch warm") assumes.
WARM_PASSES = 3

Span = tuple[int, int]
Point = tuple[float, float]


# --------------------------------------------------------------------------- the corpus


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """One annotated element: a toponym, or a Non_Toponym."""

    start: int
    end: int
    name: str
    type: str
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None

    @property
    def span(self) -> Span:
        return (self.start, self.end)

    @property
    def point(self) -> Point | None:
        return None if self.lat is None or self.lon is None else (self.lat, self.lon)


@dataclass(frozen=True, slots=True)
class GoldArticle:
    file: str
    text: str
    toponyms: tuple[GoldSpan, ...]
    non_toponyms: tuple[GoldSpan, ...]

    @property
    def placed_toponyms(self) -> tuple[GoldSpan, ...]:
        """The toponyms with gold coordinates: the ones resolution is measured on."""
        return tuple(t for t in self.toponyms if t.point is not None)


@dataclass(frozen=True, slots=True)
class Corpus:
    path: str
    articles: tuple[GoldArticle, ...]
    realigned: int  # elements whose offsets were wrong and were found nearby
    dropped: int  # toponyms whose name occurs nowhere free in the text


def _number(text: str | None, kind: type) -> Any:
    text = (text or "").strip()
    return kind(text) if text else None


def _gold_span(element: ET.Element) -> GoldSpan:
    return GoldSpan(
        start=int(element.findtext("start")),
        end=int(element.findtext("end")),
        name=element.findtext("extractedName") or "",
        type=(element.findtext("type") or "").strip(),
        lat=_number(element.findtext("latitude"), float),
        lon=_number(element.findtext("longitude"), float),
        geonames_id=_number(element.findtext("geonamesID"), int),
    )


def realign(text: str, gold: GoldSpan, taken: Sequence[Span]) -> GoldSpan | None:
    """``gold`` itself if its offsets hold its name, else the nearest free occurrence.

    A few GWN offsets are wrong (some negative). The name is searched as a
    whole word, nearest to the stated start; an occurrence another element
    already holds is not free (it would count one name twice). ``None`` when
    there is no free occurrence.

    >>> text = "Rain in Quito. Quito again."
    >>> realign(text, GoldSpan(3, 8, "Quito", "Literal"), [(8, 13)]).span
    (15, 20)
    >>> realign(text, GoldSpan(3, 8, "Quito", "Literal"), [(8, 13), (15, 20)]) is None
    True
    """
    if gold.name and text[gold.start : gold.end] == gold.name:
        return gold
    if not gold.name:
        return None
    pattern = rf"(?<!\w){re.escape(gold.name)}(?!\w)"
    free = [m.start() for m in re.finditer(pattern, text) if not any(_overlaps((m.start(), m.end()), t) for t in taken)]
    if not free:
        return None
    start = min(free, key=lambda i: (abs(i - gold.start), i))
    return replace(gold, start=start, end=start + len(gold.name))


def _realign_all(text: str, spans: list[GoldSpan]) -> tuple[list[GoldSpan], int, int]:
    """Spans with wrong offsets realigned; returns them, how many moved, how many were dropped."""
    right = [s.span for s in spans if s.name and text[s.start : s.end] == s.name]
    kept, moved, dropped = [], 0, 0
    for span in spans:
        aligned = realign(text, span, right)
        if aligned is None:
            dropped += 1
            continue
        if aligned is not span:
            moved += 1
            right.append(aligned.span)  # two wrong offsets of one name must not land on one occurrence
        kept.append(aligned)
    return kept, moved, dropped


def _read_article(element: ET.Element) -> tuple[GoldArticle, int, int]:
    text = element.findtext("text") or ""
    elements = [_gold_span(t) for t in element.iter("toponym")]
    toponyms, moved, dropped = _realign_all(text, [g for g in elements if g.type in TOPONYM_TYPES])
    others, others_moved, _ = _realign_all(text, [g for g in elements if g.type == NON_TOPONYM])
    article = GoldArticle(
        file=element.get("file", ""),
        text=text,
        toponyms=tuple(sorted(toponyms, key=lambda g: g.span)),
        non_toponyms=tuple(sorted(others, key=lambda g: g.span)),
    )
    return article, moved + others_moved, dropped


def read_corpus(path: str | Path, limit: int | None = None) -> Corpus:
    """A GWN-format XML file; ``limit`` keeps its first articles."""
    root = ET.parse(path).getroot()
    articles, moved, dropped = [], 0, 0
    for element in root.iter("article"):
        if limit is not None and len(articles) >= limit:
            break
        article, article_moved, article_dropped = _read_article(element)
        articles.append(article)
        moved += article_moved
        dropped += article_dropped
    return Corpus(str(path), tuple(articles), moved, dropped)


# --------------------------------------------------------------------------- metrics


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match_spans(gold: Sequence[Span], predicted: Sequence[Span], *, overlap: bool) -> tuple[frozenset[int], frozenset[int]]:
    """Indices of the gold spans found and of the predicted spans that are right.

    Exact: the same ``(start, end)``. Overlap: sharing at least one character.

    >>> match_spans([(0, 5), (10, 15)], [(0, 5), (11, 13), (20, 22)], overlap=False)
    (frozenset({0}), frozenset({0}))
    >>> match_spans([(0, 5), (10, 15)], [(0, 5), (11, 13), (20, 22)], overlap=True)
    (frozenset({0, 1}), frozenset({0, 1}))
    """
    if not overlap:
        gold_set, predicted_set = set(gold), set(predicted)
        return (
            frozenset(i for i, g in enumerate(gold) if g in predicted_set),
            frozenset(j for j, p in enumerate(predicted) if p in gold_set),
        )
    return (
        frozenset(i for i, g in enumerate(gold) if any(_overlaps(g, p) for p in predicted)),
        frozenset(j for j, p in enumerate(predicted) if any(_overlaps(g, p) for g in gold)),
    )


@dataclass(frozen=True, slots=True)
class SpanScores:
    gold: int
    predicted: int
    found: int  # gold spans matched by a prediction
    right: int  # predictions matching a gold span
    precision: float
    recall: float
    f1: float


def span_scores(gold: int, predicted: int, found: int, right: int) -> SpanScores:
    """Precision = right/predicted, recall = found/gold, F1 their harmonic mean.

    >>> s = span_scores(gold=4, predicted=5, found=3, right=3)
    >>> s.precision, s.recall, round(s.f1, 4)
    (0.6, 0.75, 0.6667)
    """
    precision = right / predicted if predicted else 0.0
    recall = found / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return SpanScores(gold, predicted, found, right, precision, recall, f1)


def error_km(gold: Point, predicted: Point | None) -> float:
    """Great-circle error; an unplaced toponym has the largest possible error."""
    if predicted is None:
        return MAX_ERROR_KM
    return min(distance_km(gold, predicted), MAX_ERROR_KM)


def log_error_auc(errors: Sequence[float]) -> float:
    """Area under the curve of ln(error + 1), errors sorted, over [0, 1], divided by ln(20039).

    Gritta et al.'s AUC (trapezoidal rule over the n errors at spacing
    1/(n-1)): 0 is perfect, 1 is every toponym at the antipode. Sorting makes
    it the area under the error curve the paper draws (their script integrates
    the list unsorted, which differs only in the two end half-trapezoids).

    >>> round(log_error_auc([0.0, math.e - 1, math.e ** 2 - 1]) * math.log(MAX_ERROR_KM), 6)
    1.0
    """
    if not errors:
        return float("nan")
    heights = sorted(math.log1p(e) for e in errors)
    if len(heights) == 1:
        return heights[0] / math.log(MAX_ERROR_KM)
    area = sum((a + b) / 2 for a, b in zip(heights, heights[1:])) / (len(heights) - 1)
    return area / math.log(MAX_ERROR_KM)


@dataclass(frozen=True, slots=True)
class ErrorScores:
    count: int
    accuracy_161: float | None
    mean_km: float | None
    median_km: float | None
    auc: float | None


def error_scores(errors: Sequence[float]) -> ErrorScores:
    """Accuracy within 161 km (inclusive), mean, median and AUC of the errors.

    >>> error_scores([0.0, 100.0, 161.0, 1000.0])  # doctest: +ELLIPSIS
    ErrorScores(count=4, accuracy_161=0.75, mean_km=315.25, median_km=130.5, auc=...)
    """
    if not errors:
        return ErrorScores(0, None, None, None, None)
    within = sum(1 for e in errors if e <= ACCURACY_KM)
    return ErrorScores(len(errors), within / len(errors), statistics.fmean(errors), statistics.median(errors), log_error_auc(errors))


def best_overlap(gold: Span, predicted: Sequence[Span]) -> int | None:
    """Index of the predicted span sharing most characters with ``gold`` (first on ties).

    >>> best_overlap((10, 20), [(0, 12), (15, 30), (40, 45)])
    1
    >>> best_overlap((10, 20), [(40, 45)]) is None
    True
    """
    shared = [(min(gold[1], p[1]) - max(gold[0], p[0]), -j) for j, p in enumerate(predicted) if _overlaps(gold, p)]
    return -max(shared)[1] if shared else None


def _percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile: the smallest value at or above ``share`` of them.

    >>> _percentile([4.0, 1.0, 3.0, 2.0], 0.5), _percentile([4.0, 1.0, 3.0, 2.0], 0.95)
    (2.0, 4.0)
    """
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


# --------------------------------------------------------------------------- running the pipeline


@dataclass(frozen=True, slots=True)
class Placed:
    """Where the pipeline put something: its gazetteer entry, in brief."""

    entry_id: str
    name: str
    country_code: str
    lat: float
    lon: float

    @property
    def point(self) -> Point:
        return (self.lat, self.lon)


@dataclass(frozen=True, slots=True)
class Predicted:
    start: int
    end: int
    text: str
    demonym: bool
    place: Placed

    @property
    def span(self) -> Span:
        return (self.start, self.end)


@dataclass(frozen=True, slots=True)
class ArticleRun:
    predicted: tuple[Predicted, ...]  # every mention of every place, by start
    located: tuple[Placed | None, ...]  # one per gold toponym with a point, in order
    seconds: float  # the pipeline alone: read_article + find_places


def _predictions(found_toponyms) -> tuple[Predicted, ...]:
    found: dict[Span, Predicted] = {}
    for toponym in found_toponyms:
        m, entry = toponym.mention, toponym.entry
        if entry is None:
            continue
        placed = Placed(entry.id, entry.name, entry.country_code, entry.lat, entry.lon)
        found.setdefault((m.start, m.end), Predicted(m.start, m.end, m.text, m.demonym, placed))
    return tuple(sorted(found.values(), key=lambda p: p.span))


def _disjoint_layers(spans: Sequence[Span]) -> list[list[int]]:
    """Span indices in groups whose spans do not overlap (one call of locate_spans each)."""
    layers: list[list[int]] = []
    ends: list[int] = []  # where each layer's last span ends
    for index in sorted(range(len(spans)), key=lambda i: spans[i]):
        start, end = spans[index]
        free = next((k for k, last in enumerate(ends) if last <= start), None)
        if free is None:
            layers.append([index])
            ends.append(end)
        else:
            layers[free].append(index)
            ends[free] = end
    return layers


def _entry_placed(entry) -> Placed | None:
    return None if entry is None else Placed(entry.id, entry.name, entry.country_code, entry.lat, entry.lon)


def _locate(article, spans: Sequence[Span], gazetteer) -> tuple[Placed | None, ...]:
    from ..places import locate_spans

    located: list[Placed | None] = [None] * len(spans)
    for layer in _disjoint_layers(spans):
        entries = locate_spans(article, tuple(spans[i] for i in layer), gazetteer=gazetteer)
        for index, entry in zip(layer, entries):
            located[index] = _entry_placed(entry)
    return tuple(located)


def _pipeline(text: str, gazetteer):
    """The timed part: text -> Article -> resolved toponyms. ``None`` for an unreadable article."""
    from ..places import toponyms  # a dictionary look-up once imported: nothing to time

    try:
        article = read_article(text)
    except ArticleError:
        return None, ()
    return article, toponyms(article, gazetteer=gazetteer)


@contextmanager
def _one_core() -> Iterator[int | None]:
    """Pin this thread to one CPU while timing, so the figures are per core."""
    if not hasattr(os, "sched_setaffinity"):
        yield None
        return
    before = os.sched_getaffinity(0)
    cpu = min(before)
    os.sched_setaffinity(0, {cpu})
    try:
        yield cpu
    finally:
        os.sched_setaffinity(0, before)


@dataclass(frozen=True, slots=True)
class Speed:
    articles: int
    megabytes: float  # UTF-8 text, 10^6 bytes
    seconds: float
    articles_per_s: float
    mb_per_s: float
    p50_ms: float
    p95_ms: float
    warmup_articles: int
    cpu: int | None  # the CPU the timing ran pinned to
    warm_passes: int = 0  # further passes over the corpus (WARM_PASSES), each timed whole
    warm_articles_per_s: float | None = None  # the best of them
    warm_mb_per_s: float | None = None


def _speed(corpus: Corpus, seconds: Sequence[float], cpu: int | None, warm_seconds: Sequence[float] = ()) -> Speed:
    total = sum(seconds)
    megabytes = sum(len(a.text.encode("utf-8")) for a in corpus.articles) / 1e6
    per_ms = [s * 1000 for s in seconds] or [0.0]
    return Speed(
        articles=len(seconds),
        megabytes=round(megabytes, 6),
        seconds=total,
        articles_per_s=len(seconds) / total if total else 0.0,
        mb_per_s=megabytes / total if total else 0.0,
        p50_ms=_percentile(per_ms, 0.5),
        p95_ms=_percentile(per_ms, 0.95),
        warmup_articles=min(WARMUP_ARTICLES, len(corpus.articles)),
        cpu=cpu,
        warm_passes=len(warm_seconds),
        warm_articles_per_s=len(seconds) / min(warm_seconds) if warm_seconds and min(warm_seconds) else None,
        warm_mb_per_s=megabytes / min(warm_seconds) if warm_seconds and min(warm_seconds) else None,
    )


def run_corpus(corpus: Corpus, gazetteer) -> tuple[tuple[ArticleRun, ...], Speed]:
    """The pipeline over every article (timed), then resolution of the gold spans (untimed)."""
    for gold in corpus.articles[:WARMUP_ARTICLES]:  # first lookups load caches and pages
        _pipeline(gold.text, gazetteer)
    timed = []
    with _one_core() as cpu:
        for gold in corpus.articles:
            began = time.perf_counter()
            try:
                article, places = _pipeline(gold.text, gazetteer)
            except Exception as error:  # a pipeline bug: say which article shows it
                raise RuntimeError(f"the pipeline failed on article {gold.file!r}: {error}") from error
            timed.append((article, places, time.perf_counter() - began))
        warm = []
        for _ in range(WARM_PASSES):
            began = time.perf_counter()
            for gold in corpus.articles:
                _pipeline(gold.text, gazetteer)
            warm.append(time.perf_counter() - began)
    runs = []
    # Apart from the timing, so the gold spans' lookups cannot warm later articles.
    for gold, (article, places, seconds) in zip(corpus.articles, timed):
        spans = [t.span for t in gold.placed_toponyms]
        located = _locate(article, spans, gazetteer) if article is not None else (None,) * len(spans)
        runs.append(ArticleRun(_predictions(places), located, seconds))
    return tuple(runs), _speed(corpus, [s for _, _, s in timed], cpu, warm)


# --------------------------------------------------------------------------- resources


@dataclass(frozen=True, slots=True)
class Resources:
    rss_before_mb: float  # peak resident memory before the gazetteer was opened
    peak_rss_mb: float  # peak resident memory of the whole run
    startup_s: float | None  # median wall time of STARTUP_CODE in a fresh interpreter


def peak_rss_mb() -> float:
    """The process's peak resident set (sqlite's page cache included, unlike tracemalloc)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS, KiB on Linux


def startup_seconds(runs: int = STARTUP_RUNS) -> float | None:
    """Median wall time to import ``geo`` and open the gazetteer; ``None`` if that fails."""
    package_parent = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_parent, os.environ.get("PYTHONPATH")])))
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", STARTUP_CODE], env=env, capture_output=True)
        if done.returncode:
            return None
        times.append(time.perf_counter() - began)
    return statistics.median(times)


# --------------------------------------------------------------------------- evaluation


@dataclass(frozen=True, slots=True)
class TypeScores:
    type: str
    gold: int
    recall_exact: float
    recall_overlap: float
    placed: int  # toponyms of this type with gold coordinates
    accuracy_161: float | None  # resolution on their gold spans


@dataclass(frozen=True, slots=True)
class EndToEnd:
    gold: int  # toponyms with gold coordinates
    found: int  # ... overlapped by a predicted mention (always placed)
    accuracy_161: float | None  # share of the found within 161 km
    recall_161: float | None  # share of all gold found and within 161 km


@dataclass(frozen=True, slots=True)
class Report:
    corpus: str
    articles: int
    toponyms: int
    placed_toponyms: int
    realigned: int
    dropped: int
    exact: SpanScores
    overlap: SpanScores
    by_type: tuple[TypeScores, ...]
    resolution: ErrorScores
    unplaced: int  # gold spans the pipeline put nowhere
    geonames_match: float | None  # same GeoNames id; only populated places carry one
    end_to_end: EndToEnd
    speed: Speed
    resources: Resources

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Matched:
    """One article's gold and predictions, and which of them matched."""

    gold: GoldArticle
    run: ArticleRun
    found_exact: frozenset[int]  # toponym indices
    found_overlap: frozenset[int]
    right_exact: frozenset[int]  # prediction indices
    right_overlap: frozenset[int]


def _match(gold: GoldArticle, run: ArticleRun) -> _Matched:
    gold_spans = [t.span for t in gold.toponyms]
    predicted = [p.span for p in run.predicted]
    found_exact, right_exact = match_spans(gold_spans, predicted, overlap=False)
    found_overlap, right_overlap = match_spans(gold_spans, predicted, overlap=True)
    return _Matched(gold, run, found_exact, found_overlap, right_exact, right_overlap)


def _resolution_rows(matched: Sequence[_Matched]) -> list[tuple[GoldSpan, Placed | None, float]]:
    return [
        (t, placed, error_km(t.point, placed.point if placed else None))
        for m in matched
        for t, placed in zip(m.gold.placed_toponyms, m.run.located)
    ]


def _end_to_end_rows(matched: Sequence[_Matched]) -> list[tuple[GoldSpan, Predicted | None]]:
    rows = []
    for m in matched:
        spans = [p.span for p in m.run.predicted]
        for t in m.gold.placed_toponyms:
            index = best_overlap(t.span, spans)
            rows.append((t, None if index is None else m.run.predicted[index]))
    return rows


def _by_type(matched: Sequence[_Matched], resolved) -> tuple[TypeScores, ...]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for m in matched:
        for i, t in enumerate(m.gold.toponyms):
            counts[t.type][0] += 1
            counts[t.type][1] += i in m.found_exact
            counts[t.type][2] += i in m.found_overlap
    errors: dict[str, list[float]] = defaultdict(list)
    for t, _, error in resolved:
        errors[t.type].append(error)
    return tuple(
        TypeScores(kind, gold, exact / gold, overlap / gold, len(errors[kind]), error_scores(errors[kind]).accuracy_161)
        for kind, (gold, exact, overlap) in sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
    )


def _geonames_match(resolved) -> float | None:
    with_id = [(t, placed) for t, placed, _ in resolved if t.geonames_id is not None]
    if not with_id:
        return None
    return sum(1 for t, placed in with_id if placed and placed.entry_id == f"geonames:{t.geonames_id}") / len(with_id)


def _end_to_end(matched: Sequence[_Matched]) -> EndToEnd:
    rows = _end_to_end_rows(matched)
    errors = [error_km(t.point, p.place.point) for t, p in rows if p is not None]
    within = sum(1 for e in errors if e <= ACCURACY_KM)
    return EndToEnd(
        gold=len(rows),
        found=len(errors),
        accuracy_161=within / len(errors) if errors else None,
        recall_161=within / len(rows) if rows else None,
    )


def _scores(matched: Sequence[_Matched], *, overlap: bool) -> SpanScores:
    return span_scores(
        gold=sum(len(m.gold.toponyms) for m in matched),
        predicted=sum(len(m.run.predicted) for m in matched),
        found=sum(len(m.found_overlap if overlap else m.found_exact) for m in matched),
        right=sum(len(m.right_overlap if overlap else m.right_exact) for m in matched),
    )


def evaluate(corpus: Corpus, runs: Sequence[ArticleRun], speed: Speed, resources: Resources) -> Report:
    matched = [_match(gold, run) for gold, run in zip(corpus.articles, runs)]
    resolved = _resolution_rows(matched)
    return Report(
        corpus=Path(corpus.path).name,
        articles=len(corpus.articles),
        toponyms=sum(len(a.toponyms) for a in corpus.articles),
        placed_toponyms=len(resolved),
        realigned=corpus.realigned,
        dropped=corpus.dropped,
        exact=_scores(matched, overlap=False),
        overlap=_scores(matched, overlap=True),
        by_type=_by_type(matched, resolved),
        resolution=error_scores([e for _, _, e in resolved]),
        unplaced=sum(1 for _, placed, _ in resolved if placed is None),
        geonames_match=_geonames_match(resolved),
        end_to_end=_end_to_end(matched),
        speed=speed,
        resources=resources,
    )


def benchmark(corpus: Corpus) -> tuple[Report, tuple[ArticleRun, ...]]:
    """Run the pipeline on the corpus and measure it; the runs serve error analysis."""
    from ..gazetteer import Gazetteer

    before = peak_rss_mb()
    with Gazetteer.open() as gazetteer:
        runs, speed = run_corpus(corpus, gazetteer)
    resources = Resources(before, peak_rss_mb(), startup_seconds())
    return evaluate(corpus, runs, speed, resources), runs


# --------------------------------------------------------------------------- output


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _num(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def format_table(report: Report) -> str:
    r, s, res, e2e = report, report.speed, report.resolution, report.end_to_end
    lines = [
        f"GeoWebNews benchmark: {r.corpus}, {r.articles} articles, {r.toponyms} toponyms "
        f"({r.placed_toponyms} with coordinates; offsets realigned {r.realigned}, toponyms dropped {r.dropped})",
        "",
        f"{'recognition':<14} {'P':>7} {'R':>7} {'F1':>7} {'gold':>6} {'pred':>6} {'found':>6} {'right':>6}",
    ]
    for label, scores in (("exact span", r.exact), ("overlap", r.overlap)):
        lines.append(
            f"{label:<14} {_pct(scores.precision):>7} {_pct(scores.recall):>7} {_pct(scores.f1):>7} "
            f"{scores.gold:>6} {scores.predicted:>6} {scores.found:>6} {scores.right:>6}"
        )
    lines += ["", f"{'type':<22} {'gold':>5} {'R exact':>8} {'R overlap':>10} {'placed':>7} {'acc@161':>8}"]
    for t in r.by_type:
        lines.append(
            f"{t.type:<22} {t.gold:>5} {_pct(t.recall_exact):>8} {_pct(t.recall_overlap):>10} "
            f"{t.placed:>7} {_pct(t.accuracy_161):>8}"
        )
    lines += [
        "",
        f"resolution on gold spans ({res.count}): acc@161 {_pct(res.accuracy_161)}, mean {_num(res.mean_km)} km, "
        f"median {_num(res.median_km)} km, AUC {_num(res.auc, 3)}; unplaced {r.unplaced}; "
        f"same GeoNames id {_pct(r.geonames_match)} (only populated places carry one)",
        f"end to end: {e2e.found} of {e2e.gold} found; acc@161 of those {_pct(e2e.accuracy_161)}, "
        f"found and within 161 km {_pct(e2e.recall_161)} of all",
        "",
        f"speed (one core{'' if s.cpu is None else f', cpu {s.cpu}'}, after {s.warmup_articles} warm-up): "
        f"{s.articles} articles, {s.megabytes:.3f} MB in {s.seconds:.2f} s = {s.articles_per_s:.1f} articles/s, "
        f"{s.mb_per_s:.3f} MB/s; per article p50 {s.p50_ms:.1f} ms, p95 {s.p95_ms:.1f} ms",
        *(
            [f"speed, warm (best of {s.warm_passes} more passes, same core): {s.warm_articles_per_s:.1f} articles/s, "
             f"{s.warm_mb_per_s:.3f} MB/s"]
            if s.warm_articles_per_s is not None else []
        ),
        f"memory: peak RSS {r.resources.peak_rss_mb:.1f} MB ({r.resources.rss_before_mb:.1f} MB before the gazetteer); "
        f"start-up (import + open) {_num(r.resources.startup_s, 2)} s",
    ]
    return "\n".join(lines)


def _top(counter: Counter, n: int) -> list[str]:
    return [f"  {count:>4}  " + "  |  ".join(map(str, key)) for key, count in counter.most_common(n)] or ["  (none)"]


def error_analysis(corpus: Corpus, runs: Sequence[ArticleRun], n: int) -> str:
    """The commonest recognition and resolution errors, for finding general rules.

    Printed only: it quotes the corpus, which must never be saved into the project.
    """
    matched = [_match(gold, run) for gold, run in zip(corpus.articles, runs)]
    false_pos: Counter = Counter()
    boundaries: Counter = Counter()
    false_neg: Counter = Counter()
    for m in matched:
        for j, p in enumerate(m.run.predicted):
            if j not in m.right_overlap:
                label = NON_TOPONYM if any(_overlaps(p.span, g.span) for g in m.gold.non_toponyms) else "unannotated"
                false_pos[(p.text, label + (", demonym" if p.demonym else ""))] += 1
            elif j not in m.right_exact:
                gold = next(t for t in m.gold.toponyms if _overlaps(t.span, p.span))
                boundaries[(f"gold {gold.name!r}", f"predicted {p.text!r}")] += 1
        for i, t in enumerate(m.gold.toponyms):
            if i not in m.found_overlap:
                false_neg[(t.name, t.type)] += 1
    resolved = _resolution_rows(matched)
    unplaced = Counter((t.name, t.type) for t, placed, _ in resolved if placed is None)
    wrong: dict[tuple, list[float]] = defaultdict(list)
    for t, placed, error in resolved:
        if placed is not None and error > ACCURACY_KM:
            wrong[(t.name, t.type, placed.entry_id, placed.name, placed.country_code)].append(error)
    frequent = sorted(wrong.items(), key=lambda item: (-len(item[1]), -max(item[1])))[:n]
    largest = sorted(wrong.items(), key=lambda item: -max(item[1]))[:n]

    def wrong_lines(items) -> list[str]:
        return [f"  {len(errs):>4}  {k[0]} ({k[1]}) -> {k[2]} {k[3]} [{k[4]}]  {max(errs):,.0f} km" for k, errs in items] or ["  (none)"]

    return "\n".join(
        [f"false positives (no toponym overlaps), top {n}:", *_top(false_pos, n), ""]
        + [f"boundary mismatches (overlap, not exact), top {n}:", *_top(boundaries, n), ""]
        + [f"false negatives (no prediction overlaps), top {n}:", *_top(false_neg, n), ""]
        + [f"gold spans placed nowhere, top {n}:", *_top(unplaced, n), ""]
        + [f"resolution errors over {ACCURACY_KM:.0f} km, most frequent first, top {n}:", *wrong_lines(frequent), ""]
        + [f"resolution errors over {ACCURACY_KM:.0f} km, largest first, top {n}:", *wrong_lines(largest)]
    )


# --------------------------------------------------------------------------- command line


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geomap bench gwn",
        description="Measure geo on a GeoWebNews-format corpus (recognition, resolution, speed).",
    )
    parser.add_argument("path", help="the corpus, a GWN-format XML file")
    parser.add_argument("--out", help="also write the report as JSON to this file")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="print the N commonest errors of each kind")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N articles")
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    """The benchmark as a command: 0 ok, 1 the corpus is unreadable, 3 the gazetteer or output failed."""
    args = build_parser().parse_args(argv)
    try:
        corpus = read_corpus(args.path, args.limit)
    except (OSError, ET.ParseError, ValueError, TypeError) as error:  # TypeError: an element lacks its offsets
        print(f"error: cannot read the corpus {args.path}: {error}", file=sys.stderr)
        return 1
    try:
        report, runs = benchmark(corpus)
    except GeoError as error:
        print(f"error: {error}", file=sys.stderr)
        return 3
    print(format_table(report))
    if args.errors > 0:
        print()
        print(error_analysis(corpus, runs, args.errors))
    if args.out:
        try:
            write_atomic(args.out, json.dumps(report.to_dict(), indent=2) + "\n")
        except GeoError as error:
            print(f"error: cannot write {args.out}: {error}", file=sys.stderr)
            return 3
    return 0


def main() -> None:
    raise SystemExit(run())


if __name__ == "__main__":
    main()
