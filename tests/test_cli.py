"""The command line: every command has help, output formats, and clean failures."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli import EXIT_INPUT, EXIT_OK, EXIT_USAGE, build_parser, main


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo.cli", *args], capture_output=True, text=True, timeout=120)


def _commands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


def test_console_script_is_installed():
    assert shutil.which("geomap", path=str(Path(sys.executable).parent)), "pip install -e . provides `geomap`"


def test_top_level_help_lists_commands(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == EXIT_OK
    out = capsys.readouterr().out
    for command in _commands():
        assert command in out
    assert "exit status" in out


@pytest.mark.parametrize("command", _commands())
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == EXIT_OK
    out = capsys.readouterr().out
    assert f"usage: geomap {command}" in out and len(out.splitlines()) > 5


def test_places_json_one_article_is_one_document(seed_path):
    result = _run("places", str(seed_path), "--json")
    assert result.returncode == EXIT_OK, result.stderr
    document = json.loads(result.stdout)
    place = next(p for p in document["places"] if p["id"] == "buenaventura")
    assert set(place) >= {"id", "name", "kind", "country_code", "lat", "lon", "inferred", "mentions", "quotes"}
    assert place["mentions"][0] == {"paragraph": 4, "start": place["mentions"][0]["start"], "end": place["mentions"][0]["end"], "text": "Buenaventura", "demonym": False}
    assert {"text", "speaker", "paragraph"} <= set(place["quotes"][0]) if place["quotes"] else True


def test_places_json_several_articles_is_json_lines(seed_path, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("Ships in Manta\nShips left Manta for Guayaquil.", "utf-8")
    result = _run("places", str(seed_path), str(other), "--json")
    lines = result.stdout.splitlines()
    assert result.returncode == EXIT_OK and len(lines) == 2
    assert [json.loads(line)["article"] for line in lines] == [str(seed_path), str(other)]


def test_quotes_json(seed_path, gold):
    result = _run("quotes", str(seed_path), "--json")
    document = json.loads(result.stdout)
    assert result.returncode == EXIT_OK
    assert set(document["quotes"][0]) >= {"paragraph", "start", "end", "text", "speaker"}
    assert len(document["quotes"]) >= 13 and set(document["speakers"]) == set(gold["speakers"])


def test_tables_are_readable(seed_path):
    places = _run("places", str(seed_path)).stdout
    assert "Buenaventura" in places and "lat" in places.splitlines()[1]
    quotes = _run("quotes", str(seed_path)).stdout
    assert "Fausto Cobo" in quotes


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"\x00\x01\x02binary\x00" * 50, "binary"),
        (b"Headline\n" + b"x" * 10_500_000, "an article may be at most"),
    ],
)
def test_bad_articles_give_one_line_and_exit_code(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = _run("places", str(path))
    assert result.returncode == EXIT_INPUT
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_missing_file(tmp_path):
    result = _run("quotes", str(tmp_path / "nope.txt"))
    assert result.returncode == EXIT_INPUT and "no such file" in result.stderr and "Traceback" not in result.stderr


def test_latin1_article_is_read(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("Noticias de Bogotá\nEl coronel Mario Pazmiño llegó a Bogotá.".encode("latin-1"))
    result = _run("places", str(path), "--json")
    assert result.returncode == EXIT_OK
    assert [p["name"] for p in json.loads(result.stdout)["places"]] == ["Bogotá"]


def test_one_bad_article_among_good_ones_still_prints_the_good(seed_path, tmp_path):
    result = _run("places", str(seed_path), str(tmp_path / "missing.txt"), "--json")
    assert result.returncode == EXIT_INPUT
    assert json.loads(result.stdout.splitlines()[0])["article"] == str(seed_path)


def test_usage_error_exit_code():
    assert _run("places").returncode == EXIT_USAGE
    assert _run("nonsense").returncode == EXIT_USAGE
