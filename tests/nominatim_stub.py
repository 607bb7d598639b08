"""A loopback HTTP server that answers the way Nominatim does, for geocoder tests."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PLACES = {
    "buenaventura": {
        "place_id": 101,
        "osm_type": "relation",
        "osm_id": 1315437,
        "lat": "3.8801",
        "lon": "-77.0312",
        "class": "boundary",
        "type": "administrative",
        "addresstype": "city",
        "name": "Buenaventura",
        "display_name": "Buenaventura, Valle del Cauca, Colombia",
        "address": {"city": "Buenaventura", "state": "Valle del Cauca", "country": "Colombia", "country_code": "co"},
    },
    "ecuador": {
        "place_id": 102,
        "osm_type": "relation",
        "osm_id": 108089,
        "lat": "-1.3397668",
        "lon": "-79.3666965",
        "class": "boundary",
        "type": "administrative",
        "addresstype": "country",
        "name": "Ecuador",
        "display_name": "Ecuador",
        "address": {"country": "Ecuador", "country_code": "ec"},
    },
}


class NominatimStub:
    """Start with ``with NominatimStub() as stub:``; ``stub.domain`` is ``host:port``."""

    def __init__(self, fail: bool = False) -> None:
        self.requests: list[dict] = []
        self.fail = fail
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                stub.requests.append({"path": url.path, "query": query, "user_agent": self.headers.get("User-Agent")})
                if stub.fail:
                    self.send_response(500)
                    self.end_headers()
                    return
                if url.path == "/search":
                    hit = PLACES.get(query.get("q", "").lower())
                    body = [hit] if hit else []
                elif url.path == "/reverse":
                    body = PLACES["buenaventura"]
                else:
                    body = {"error": "unknown"}
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # keep test output clean
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def domain(self) -> str:
        host, port = self._server.server_address[:2]
        return f"{host}:{port}"

    def __enter__(self) -> "NominatimStub":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
