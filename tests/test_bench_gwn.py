"""The GeoWebNews benchmark's arithmetic, on a made-up corpus in its format.

``fixtures/mini_gwn.xml`` holds two invented articles annotated by hand:

* article 0 (177 characters): toponyms Quito (24-29), Quito (45-50),
  Guayaquil (78-87), Ecuadorian (100-110, a Demonym, no coordinates) and
  Ecuador (169-176, Metonymic); a Non_Toponym "Cuenca Orchestra" (130-146) and
  a Literal_Expression, which is not a toponym;
* article 1 (136 characters): Tasmania (9-17), Devonport (41-50), Hobart (its
  offsets 82-88 are wrong; it stands at 89-95) and Launceston (108-118,
  Literal_Modifier).

The metric tests feed synthetic predictions, so every expected number is
worked out by hand here and does not depend on how good the pipeline is.
"""

from __future__ import annotations

import importlib.util
import json
import math
from pathlib import Path

import pytest

from geo.bench import gwn
from geo.bench.gwn import (
    ArticleRun,
    GoldSpan,
    Placed,
    Predicted,
    Resources,
    best_overlap,
    error_km,
    error_scores,
    log_error_auc,
    match_spans,
    read_corpus,
    realign,
    span_scores,
)
from geo.coords import EARTH_RADIUS_KM

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini_gwn.xml"
ONE_DEGREE_KM = math.radians(1) * EARTH_RADIUS_KM  # one degree of latitude along a meridian


@pytest.fixture(scope="module")
def corpus():
    return read_corpus(MINI)


# --------------------------------------------------------------------------- reading the corpus


def test_corpus_keeps_toponyms_and_non_toponyms_but_not_expressions(corpus):
    first, second = corpus.articles
    assert [(t.name, t.type, t.span) for t in first.toponyms] == [
        ("Quito", "Literal", (24, 29)),
        ("Quito", "Literal", (45, 50)),
        ("Guayaquil", "Literal", (78, 87)),
        ("Ecuadorian", "Demonym", (100, 110)),
        ("Ecuador", "Metonymic", (169, 176)),
    ]
    assert [(t.name, t.type) for t in first.non_toponyms] == [("Cuenca Orchestra", "Non_Toponym")]
    assert [t.name for t in second.toponyms] == ["Tasmania", "Devonport", "Hobart", "Launceston"]
    # The demonym has no coordinates: resolution is measured on the other eight.
    assert sum(len(a.placed_toponyms) for a in corpus.articles) == 8
    assert first.toponyms[0].geonames_id == 3652462 and second.toponyms[1].geonames_id is None


def test_wrong_offset_is_realigned_to_the_name_nearby(corpus):
    hobart = corpus.articles[1].toponyms[2]
    assert hobart.span == (89, 95)
    assert corpus.articles[1].text[89:95] == "Hobart"
    assert (corpus.realigned, corpus.dropped) == (1, 0)


def test_realign_takes_whole_words_and_skips_occurrences_already_held():
    text = "Ecuadorian rain. Ecuador and Ecuador."
    wrong = GoldSpan(-50, -43, "Ecuador", "Literal")
    # "Ecuadorian" is not "Ecuador"; the first free whole word is the nearest.
    assert realign(text, wrong, []).span == (17, 24)
    assert realign(text, wrong, [(17, 24)]).span == (29, 36)
    assert realign(text, wrong, [(17, 24), (29, 36)]) is None
    right = GoldSpan(17, 24, "Ecuador", "Literal")
    assert realign(text, right, [(17, 24)]) is right


def test_limit_keeps_the_first_articles():
    assert len(read_corpus(MINI, limit=1).articles) == 1


# --------------------------------------------------------------------------- metric functions


def test_span_matching_exact_and_overlapping():
    gold = [(0, 5), (10, 15), (20, 25)]
    predicted = [(0, 5), (10, 12), (12, 15), (30, 35)]
    found, right = match_spans(gold, predicted, overlap=False)
    assert (found, right) == ({0}, {0})
    found, right = match_spans(gold, predicted, overlap=True)
    assert (found, right) == ({0, 1}, {0, 1, 2})
    # Touching is not overlapping.
    assert match_spans([(0, 5)], [(5, 9)], overlap=True) == (frozenset(), frozenset())


def test_precision_recall_f1():
    scores = span_scores(gold=9, predicted=7, found=5, right=5)
    assert scores.precision == pytest.approx(5 / 7)
    assert scores.recall == pytest.approx(5 / 9)
    assert scores.f1 == pytest.approx(0.625)  # 2·(5/7)(5/9) / (5/7 + 5/9) = (50/63) / (80/63)
    empty = span_scores(gold=3, predicted=0, found=0, right=0)
    assert (empty.precision, empty.recall, empty.f1) == (0.0, 0.0, 0.0)


def test_error_km_and_the_unplaced():
    assert error_km((10.0, 20.0), (11.0, 20.0)) == pytest.approx(ONE_DEGREE_KM)
    assert error_km((10.0, 20.0), None) == 20039.0


def test_auc_of_the_log_error_curve():
    # ln(1 + error) = 0, 1, 2: two trapezoids of areas 1/2 and 3/2 over a width of 2 -> mean height 1.
    assert log_error_auc([math.e**2 - 1, 0.0, math.e - 1]) == pytest.approx(1 / math.log(20039))
    assert log_error_auc([0.0, 0.0]) == 0.0
    assert log_error_auc([20039.0] * 3) == pytest.approx(math.log(20040) / math.log(20039))
    assert log_error_auc([math.e - 1]) == pytest.approx(1 / math.log(20039))


def test_error_scores():
    scores = error_scores([161.0, 0.0, 1000.0, 100.0, 161.5])
    assert scores.count == 5
    assert scores.accuracy_161 == pytest.approx(3 / 5)  # 161 km itself counts as right
    assert scores.mean_km == pytest.approx(1422.5 / 5)
    assert scores.median_km == 161.0
    assert error_scores([]).accuracy_161 is None


def test_best_overlap_and_disjoint_layers():
    assert best_overlap((10, 20), [(0, 12), (15, 30)]) == 1
    assert best_overlap((10, 20), [(0, 15), (15, 30)]) == 0  # a tie goes to the first
    assert gwn._disjoint_layers([(0, 10), (5, 8), (10, 12), (9, 11)]) == [[0, 2], [1, 3]]


def test_speed_figures(corpus):
    speed = gwn._speed(corpus, [0.1, 0.3], cpu=None)
    assert speed.articles == 2
    assert speed.megabytes == pytest.approx((177 + 136) / 1e6)
    assert speed.articles_per_s == pytest.approx(5.0)
    assert speed.mb_per_s == pytest.approx(313e-6 / 0.4)
    assert (speed.p50_ms, speed.p95_ms) == pytest.approx((100.0, 300.0))
    assert (speed.warm_passes, speed.warm_articles_per_s) == (0, None)
    # Warm passes are timed whole, and the best one counts: 2 articles in 0.25 s.
    warm = gwn._speed(corpus, [0.1, 0.3], cpu=None, warm_seconds=[0.5, 0.25, 0.4])
    assert warm.warm_passes == 3
    assert warm.warm_articles_per_s == pytest.approx(8.0)
    assert warm.warm_mb_per_s == pytest.approx(313e-6 / 0.25)


# --------------------------------------------------------------------------- the report, from synthetic runs


def _at(gold: GoldSpan, degrees: float = 0.0, entry_id: str = "x") -> Placed:
    """A placement ``degrees`` of latitude north of the gold point."""
    return Placed(entry_id, gold.name, "", gold.lat + degrees, gold.lon)


def _predicted(start: int, end: int, text: str, place: Placed) -> Predicted:
    return Predicted(start, end, text, False, place)


@pytest.fixture(scope="module")
def synthetic(corpus):
    quito, quito2, guayaquil, _demonym, ecuador = corpus.articles[0].toponyms
    tasmania, devonport, hobart, launceston = corpus.articles[1].toponyms
    nowhere = Placed("x", "nowhere", "", 0.0, 0.0)
    first = ArticleRun(
        predicted=(
            _predicted(24, 29, "Quito", _at(quito)),  # exact, 0 km
            _predicted(45, 50, "Quito", _at(quito)),  # exact, 0 km
            _predicted(78, 83, "Guaya", _at(guayaquil, 1)),  # overlapping, 1 degree off
            _predicted(130, 146, "Cuenca Orchestra", nowhere),  # on the Non_Toponym: wrong
            _predicted(169, 176, "Ecuador", _at(ecuador, 2)),  # exact, 2 degrees off
        ),
        # Resolution of the gold spans with points: Quito, Quito, Guayaquil, Ecuador.
        located=(
            _at(quito, 0, "geonames:3652462"),
            _at(quito2, 0, "geonames:3652462"),
            _at(guayaquil, 1, "geonames:1"),
            _at(ecuador, 2, "country:EC"),
        ),
        seconds=0.1,
    )
    second = ArticleRun(
        predicted=(
            _predicted(0, 5, "Ferry", nowhere),  # unannotated: wrong
            _predicted(9, 17, "Tasmania", _at(tasmania, 1)),  # exact, 1 degree off
            _predicted(89, 95, "Hobart", _at(hobart)),  # exact (after realignment), 0 km
        ),
        # Tasmania, Devonport, Hobart, Launceston.
        located=(None, _at(devonport), _at(hobart, 0, "geonames:2163355"), _at(launceston, 1)),
        seconds=0.3,
    )
    runs = (first, second)
    speed = gwn._speed(corpus, [0.1, 0.3], cpu=None)
    report = gwn.evaluate(corpus, runs, speed, Resources(10.0, 50.0, 0.5))
    return report, runs


def test_report_recognition(synthetic):
    report, _ = synthetic
    assert (report.articles, report.toponyms, report.placed_toponyms) == (2, 9, 8)
    # Exact: Quito, Quito, Ecuador, Tasmania, Hobart = 5 of 9 gold, 5 of 8 predictions;
    # F1 = 2·(5/8)(5/9) / (5/8 + 5/9) = (50/72) / (85/72) = 10/17.
    assert (report.exact.found, report.exact.right, report.exact.predicted) == (5, 5, 8)
    assert (report.exact.precision, report.exact.recall) == pytest.approx((5 / 8, 5 / 9))
    assert report.exact.f1 == pytest.approx(10 / 17)
    # Overlap adds Guayaquil: 6 of 9, 6 of 8; F1 = 2·(3/4)(2/3) / (3/4 + 2/3) = 1 / (17/12) = 12/17.
    assert (report.overlap.precision, report.overlap.recall) == pytest.approx((3 / 4, 2 / 3))
    assert report.overlap.f1 == pytest.approx(12 / 17)


def test_report_by_type(synthetic):
    report, _ = synthetic
    by_type = {t.type: t for t in report.by_type}
    literal = by_type["Literal"]  # Quito, Quito, Guayaquil, Tasmania, Devonport, Hobart
    assert (literal.gold, literal.recall_exact, literal.recall_overlap) == (6, pytest.approx(4 / 6), pytest.approx(5 / 6))
    # Resolution of the six: 0, 0, 111, unplaced, 0, 0 km.
    assert (literal.placed, literal.accuracy_161) == (6, pytest.approx(5 / 6))
    assert (by_type["Demonym"].recall_overlap, by_type["Demonym"].placed, by_type["Demonym"].accuracy_161) == (0.0, 0, None)
    assert (by_type["Metonymic"].recall_exact, by_type["Metonymic"].accuracy_161) == (1.0, 0.0)
    assert (by_type["Literal_Modifier"].recall_overlap, by_type["Literal_Modifier"].accuracy_161) == (0.0, 1.0)
    assert report.by_type[0].type == "Literal"  # commonest type first


def test_report_resolution_on_gold_spans(synthetic):
    report, _ = synthetic
    a, b = ONE_DEGREE_KM, 2 * ONE_DEGREE_KM
    # Errors: 0, 0, a, b | unplaced (20039), 0, 0, a.
    resolution = report.resolution
    assert resolution.count == 8
    assert resolution.accuracy_161 == pytest.approx(6 / 8)
    assert resolution.mean_km == pytest.approx((2 * a + b + 20039) / 8)
    assert resolution.median_km == pytest.approx(a / 2)  # sorted: 0, 0, 0, 0, a, a, b, 20039
    # Heights ln(1+e) sorted: 0, 0, 0, 0, A, A, B, C; trapezoids sum to 2A + B + C/2 over 7 steps.
    big_a, big_b, big_c = math.log1p(a), math.log1p(b), math.log1p(20039)
    assert resolution.auc == pytest.approx((2 * big_a + big_b + big_c / 2) / 7 / math.log(20039))
    assert report.unplaced == 1
    # GeoNames ids on Quito, Quito, Guayaquil, Ecuador, Hobart; right on three.
    assert report.geonames_match == pytest.approx(3 / 5)


def test_report_end_to_end(synthetic):
    report, _ = synthetic
    e2e = report.end_to_end
    # Found: Quito 0, Quito 0, Guayaquil 1°, Ecuador 2°, Tasmania 1°, Hobart 0; not Devonport, Launceston.
    assert (e2e.gold, e2e.found) == (8, 6)
    assert e2e.accuracy_161 == pytest.approx(5 / 6)
    assert e2e.recall_161 == pytest.approx(5 / 8)


def test_report_table_and_json(synthetic):
    report, _ = synthetic
    table = gwn.format_table(report)
    assert "exact span" in table and "58.8%" in table and "acc@161 75.0%" in table
    document = json.loads(json.dumps(report.to_dict()))
    assert document["overlap"]["f1"] == pytest.approx(12 / 17)
    assert document["speed"]["articles_per_s"] == pytest.approx(5.0)


def test_error_analysis_names_each_kind_of_error(corpus, synthetic):
    _, runs = synthetic
    text = gwn.error_analysis(corpus, runs, 5)
    assert "Cuenca Orchestra  |  Non_Toponym" in text
    assert "Ferry  |  unannotated" in text
    assert "Devonport  |  Literal" in text  # a false negative
    assert "gold 'Guayaquil'  |  predicted 'Guaya'" in text
    assert "Tasmania  |  Literal" in text  # placed nowhere
    assert "Ecuador (Metonymic) -> country:EC" in text


# --------------------------------------------------------------------------- the command


def test_unreadable_corpus_exits_1(tmp_path, capsys):
    assert gwn.run([str(tmp_path / "missing.xml")]) == 1
    broken = tmp_path / "broken.xml"
    broken.write_text("<articles><article>", "utf-8")
    assert gwn.run([str(broken)]) == 1
    assert "cannot read the corpus" in capsys.readouterr().err


_HAS_GAZETTEER = (ROOT / "assets" / "gazetteer" / "gazetteer.sqlite").exists() and importlib.util.find_spec("geo.gazetteer")


@pytest.mark.skipif(not _HAS_GAZETTEER, reason="the gazetteer asset is not built")
def test_whole_benchmark_on_the_mini_corpus(tmp_path, capsys):
    out = tmp_path / "report.json"
    assert gwn.run([str(MINI), "--out", str(out), "--errors", "3"]) == 0
    printed = capsys.readouterr().out
    assert "exact span" in printed and "false negatives" in printed
    report = json.loads(out.read_text("utf-8"))
    assert (report["articles"], report["toponyms"], report["placed_toponyms"]) == (2, 9, 8)
    assert (report["realigned"], report["dropped"]) == (1, 0)
    assert report["resolution"]["count"] == 8
    for key in ("precision", "recall", "f1"):
        assert 0.0 <= report["exact"][key] <= report["overlap"][key] <= 1.0
    assert report["speed"]["articles"] == 2 and report["speed"]["articles_per_s"] > 0
    assert report["speed"]["warm_passes"] == gwn.WARM_PASSES and report["speed"]["warm_articles_per_s"] > 0
    assert f"speed, warm (best of {gwn.WARM_PASSES} more passes" in printed
    assert report["resources"]["peak_rss_mb"] >= report["resources"]["rss_before_mb"] > 0
    assert report["resources"]["startup_s"] is not None
