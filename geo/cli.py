"""``geomap``: the command line. It parses arguments, calls one library
function per command, and turns library errors into one-line messages."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from . import __version__
from .errors import ArticleError, CorrectionsError, GeoError
from .export import export, export_formats
from .places import find_places
from .reader import DEFAULT_MAX_BYTES, load_article
from .records import places_document, quotes_document
from .render.style import IMAGE_SIDES

__all__ = ["main", "build_parser", "EXIT_OK", "EXIT_INPUT", "EXIT_USAGE", "EXIT_FAILURE"]

EXIT_OK = 0
EXIT_INPUT = 1  # an article or corrections file could not be read
EXIT_USAGE = 2  # the command line itself was wrong (argparse's code)
EXIT_FAILURE = 3  # the gazetteer, a geocoder or an output file failed

_EXIT_CODES = f"""\
exit status:
  {EXIT_OK}  success
  {EXIT_INPUT}  an article (or corrections file) could not be read: missing, empty, binary, too large
  {EXIT_USAGE}  the command line was wrong
  {EXIT_FAILURE}  the gazetteer, a geocoder or an output file failed
"""


def _emit(documents: list[dict[str, Any]], as_json: bool, lines: bool, table: Callable[[dict[str, Any], TextIO], None], out: TextIO) -> None:
    """Print documents: one JSON document for one article asked for, JSON Lines for several."""
    if as_json:
        if not lines:
            out.write(json.dumps(documents[0], ensure_ascii=False, indent=2) + "\n")
        else:
            for document in documents:
                out.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
        return
    for index, document in enumerate(documents):
        if index:
            out.write("\n")
        table(document, out)


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _clip(text: str, width: int) -> str:
    """Article text fit for a terminal cell: no control codes, one line, at most ``width``."""
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def _places_table(document: dict[str, Any], out: TextIO) -> None:
    out.write(f"{_clip(document['article'], 60)}: {_clip(document['headline'], 100)}\n")
    header = f"{'id':<26} {'name':<24} {'kind':<10} {'cc':<3} {'lat':>9} {'lon':>10} {'conf':>5} paragraphs"
    out.write(header + "\n" + "-" * len(header) + "\n")
    for place in document["places"]:
        paragraphs = ",".join(str(p) for p in sorted({m["paragraph"] for m in place["mentions"]}))
        flag = " (inferred)" if place["inferred"] else ""
        out.write(
            f"{_clip(place['id'], 26):<26} {_clip(place['name'], 24):<24} {place['kind']:<10} "
            f"{place['country_code']:<3} {place['lat']:>9.4f} {place['lon']:>10.4f} {place['confidence']:>5.2f} "
            f"{paragraphs}{flag}\n"
        )


def _quotes_table(document: dict[str, Any], out: TextIO) -> None:
    out.write(f"{_clip(document['article'], 60)}: {_clip(document['headline'], 100)}\n")
    header = f"{'para':>4}  {'speaker':<20}  quote"
    out.write(header + "\n" + "-" * 78 + "\n")
    for quote in document["quotes"]:
        out.write(f"{quote['paragraph']:>4}  {_clip(quote['speaker'] or '(unknown)', 20):<20}  {_clip(quote['text'], 60)}\n")


def _for_each_article(args: argparse.Namespace, make: Callable[[Any], dict[str, Any]], table) -> int:
    documents, status = [], EXIT_OK
    for path in args.articles:
        try:
            article = load_article(path, max_bytes=args.max_bytes)
            documents.append(make(article))
        except (ArticleError, CorrectionsError) as err:
            print(f"geomap: {err}", file=sys.stderr)
            status = EXIT_INPUT
    if documents:
        _emit(documents, args.json, len(args.articles) > 1, table, sys.stdout)
    return status


def _run_places(args: argparse.Namespace) -> int:
    return _for_each_article(args, lambda article: places_document(article, find_places(article)), _places_table)


def _run_quotes(args: argparse.Namespace) -> int:
    return _for_each_article(args, quotes_document, _quotes_table)


def _run_export(args: argparse.Namespace) -> int:
    from .pipeline import story_from_file  # the story's geometry (shapely) loads only for exports

    try:
        story = story_from_file(args.article, max_bytes=args.max_bytes, use_corrections=not args.no_corrections)
    except (ArticleError, CorrectionsError) as err:
        print(f"geomap: {err}", file=sys.stderr)
        return EXIT_INPUT
    written = export(story, args.output, embed=args.embed, tiles=args.tiles, width=args.width, height=args.height)
    for note in story.notes:
        print(f"geomap: correction applied: {note}", file=sys.stderr)
    print(f"geomap: wrote {written}", file=sys.stderr)
    return EXIT_OK


def _run_bench(args: argparse.Namespace) -> int:
    from .bench import gwn  # the benchmark's imports are not worth loading for every command

    return gwn.run([args.path, *args.options])


def _positive(text: str) -> int:
    """An argparse type: a whole number above zero."""
    try:
        value = int(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from err
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be above zero, not {value}")
    return value


def _pixels(text: str) -> int:
    """An argparse type: an image side within the sizes the renderer draws."""
    low, high = IMAGE_SIDES
    value = _positive(text)
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"must be from {low} to {high} pixels, not {value}")
    return value


def _output(text: str) -> str:
    """An argparse type: a file name whose suffix names a format geomap writes."""
    suffix = os.path.splitext(text)[1].lower()
    if suffix not in export_formats():
        raise argparse.ArgumentTypeError(f"cannot write {suffix or 'a file without a suffix'}; use one of {', '.join(export_formats())}")
    return text


def _add_article_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("articles", nargs="+", metavar="ARTICLE", help="plain-text (or .html) article file(s)")
    parser.add_argument("--json", action="store_true", help="JSON: one document for one article, JSON Lines for several")
    parser.add_argument(
        "--max-bytes",
        type=_positive,
        default=DEFAULT_MAX_BYTES,
        metavar="N",
        help=f"refuse articles larger than N bytes (default {DEFAULT_MAX_BYTES:,})",
    )


def _command(commands, name: str, run: Callable[[argparse.Namespace], int], summary: str, description: str) -> argparse.ArgumentParser:
    """A subcommand with its help, its description and the exit codes under it."""
    parser = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog=_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=run)
    return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="geomap",
        description="Turn a news article into a map of its story: the places it names, "
        "who is quoted about them, and where things move. Works offline.",
        epilog=_EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    places = _command(
        commands,
        "places",
        _run_places,
        "list the places an article names, geocoded offline",
        "Find every place the article names, place it on the map with the embedded "
        "gazetteer, and show its mentions, the quotes that name it, and the candidates it beat.",
    )
    _add_article_arguments(places)

    quotes = _command(
        commands,
        "quotes",
        _run_quotes,
        "list an article's quotes and who said them",
        "List every quotation of the article with its speaker's full name and paragraph "
        "(paragraph 0 is the headline).",
    )
    _add_article_arguments(quotes)

    exporter = _command(
        commands,
        "export",
        _run_export,
        "write the article's map: standalone HTML, GeoJSON, KML, CSV, PNG or SVG",
        "Build the story of the article (places, flows, port pressure, roles, each with its "
        "evidence), apply the corrections file beside it (ARTICLE.corrections.json) and write it to "
        f"OUTPUT, the format chosen by its suffix ({', '.join(export_formats())}). Files are written "
        "atomically: a failed export leaves no partial file.",
    )
    exporter.add_argument("article", metavar="ARTICLE", help="plain-text (or .html) article file")
    exporter.add_argument("-o", "--output", required=True, type=_output, metavar="OUTPUT", help="the file to write")
    exporter.add_argument("--no-corrections", action="store_true", help="ignore ARTICLE.corrections.json")
    exporter.add_argument("--embed", action="store_true", help="with .html: write a fragment to paste into a report or CMS page")
    exporter.add_argument(
        "--tiles",
        metavar="PROVIDER",
        help="with .html: add online map tiles ('osm' or an xyzservices name such as CartoDB.Positron); "
        "the default is the offline Natural Earth basemap",
    )
    exporter.add_argument("--width", type=_pixels, metavar="PX", help="with .png/.svg: image width (default 1600)")
    exporter.add_argument("--height", type=_pixels, metavar="PX", help="with .png/.svg: image height (default 1000)")
    exporter.add_argument("--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES, metavar="N", help="refuse larger articles")

    bench = _command(
        commands,
        "bench",
        _run_bench,
        "measure recognition, resolution and speed on an annotated corpus",
        "Run a benchmark and print its table. 'gwn' is GeoWebNews: give the path to its "
        "GWN.xml (the corpus is never copied into the project). Options after the path: "
        "--out FILE.json (write the report), --errors N (print the N commonest errors), "
        "--limit N (only the first N articles); 'geomap bench gwn PATH --help' lists them.",
    )
    bench.add_argument("suite", choices=["gwn"], help="the benchmark: gwn (GeoWebNews)")
    bench.add_argument("path", help="the corpus file")
    bench.add_argument("options", nargs=argparse.REMAINDER, help="the benchmark's own options")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "embed", False) and not args.output.lower().endswith((".html", ".htm")):
        parser.error("--embed writes an HTML fragment: give an .html output file")
    try:
        return args.run(args)
    except GeoError as err:
        print(f"geomap: {err}", file=sys.stderr)
        return EXIT_FAILURE
    except BrokenPipeError:
        # A reader such as `head` went away: not an error worth a traceback.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
