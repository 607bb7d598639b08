"""geomap export: formats by suffix, atomic writes, and corrections applied."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from geo.errors import ExportError
from geo.export import export
from geo.files import write_atomic
from geo.pipeline import tell_story


def _geomap(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo.cli", *args], capture_output=True, text=True, timeout=120)


def test_export_geojson_from_the_command_line(seed_path, tmp_path):
    out = tmp_path / "seed.geojson"
    result = _geomap("export", str(seed_path), "-o", str(out))
    assert result.returncode == 0, result.stderr
    collection = json.loads(out.read_text("utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert {f["properties"]["layer"] for f in collection["features"]} == {"places", "smuggling", "port_pressure"}


def test_same_article_gives_byte_identical_files(seed_path, tmp_path):
    first, second = tmp_path / "a.geojson", tmp_path / "b.geojson"
    _geomap("export", str(seed_path), "-o", str(first))
    _geomap("export", str(seed_path), "-o", str(second))
    assert first.read_bytes() == second.read_bytes()


def test_unknown_suffix_is_a_clear_error(seed_path, tmp_path):
    result = _geomap("export", str(seed_path), "-o", str(tmp_path / "map.docx"))
    assert result.returncode == 2 and "cannot write .docx" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "map.docx").exists()


def test_failed_write_leaves_no_file(tmp_path, monkeypatch):
    target = tmp_path / "out.geojson"

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(ExportError, match="No space left"):
        write_atomic(target, "{}")
    assert list(tmp_path.iterdir()) == []


def test_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.geojson"
    target.write_text("old", "utf-8")

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new")
    assert target.read_text("utf-8") == "old" and [p.name for p in tmp_path.iterdir()] == ["out.geojson"]


def test_unwritable_directory_is_an_export_error(seed_article, gazetteer, tmp_path):
    story = tell_story(seed_article, gazetteer=gazetteer)
    with pytest.raises(ExportError):
        export(story, tmp_path / "missing-dir" / "map.geojson")


def test_export_reads_the_corrections_file_beside_the_article(seed_text, tmp_path):
    article = tmp_path / "story.txt"
    article.write_text(seed_text, "utf-8")
    (tmp_path / "story.corrections.json").write_text(json.dumps({"places": {"pacific": {"drop": True}}}), "utf-8")
    out = tmp_path / "story.geojson"
    result = _geomap("export", str(article), "-o", str(out))
    assert result.returncode == 0 and "dropped pacific" in result.stderr
    ids = {f["properties"]["id"] for f in json.loads(out.read_text("utf-8"))["features"]}
    assert "pacific" not in ids and "madrid" in ids
    ignored = _geomap("export", str(article), "-o", str(out), "--no-corrections")
    assert ignored.returncode == 0
    assert "pacific" in {f["properties"]["id"] for f in json.loads(out.read_text("utf-8"))["features"]}


def test_malformed_corrections_file_is_one_line(seed_text, tmp_path):
    article = tmp_path / "story.txt"
    article.write_text(seed_text, "utf-8")
    (tmp_path / "story.corrections.json").write_text('{"places": {"madrid": {"pick": }}}', "utf-8")
    result = _geomap("export", str(article), "-o", str(tmp_path / "x.geojson"))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "not valid JSON (line 1" in result.stderr
    assert not (tmp_path / "x.geojson").exists()
