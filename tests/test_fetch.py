"""fetch_cfpb against a local HTTP server: resume, restart, checksum, offline. Never CFPB's."""

from __future__ import annotations

import hashlib
import re
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from complaintlab.fetch import ChecksumError, FetchError, OfflineError, fetch_cfpb

PAYLOAD = bytes(range(256)) * 800  # 204,800 bytes
DIGEST = hashlib.sha256(PAYLOAD).hexdigest()


class Handler(BaseHTTPRequestHandler):
    """Serves PAYLOAD; ``server.ranges`` says whether Range is honoured, ``server.stop_after``
    breaks the transfer off after that many bytes."""

    def do_GET(self):
        server = self.server
        wanted = self.headers.get("Range")
        server.requests.append(wanted)
        if not self.path.endswith(".zip"):
            self.send_error(404)
            return
        payload = server.payload
        start = 0
        same = self.headers.get("If-Range") in (None, server.etag)  # else: the whole new file
        if wanted and server.ranges and same:
            start = int(re.fullmatch(r"bytes=(\d+)-", wanted).group(1))
            if start >= len(payload):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(payload)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(payload) - 1}/{len(payload)}")
        else:
            self.send_response(200)
        if server.etag:
            self.send_header("ETag", server.etag)
        body = payload[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body if server.stop_after is None else body[: server.stop_after])

    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.ranges, httpd.stop_after, httpd.requests = True, None, []
    httpd.payload, httpd.etag = PAYLOAD, None
    httpd.url = f"http://127.0.0.1:{httpd.server_port}/ccdb/complaints.csv.zip"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_downloads_checks_and_records_the_digest(server, tmp_path, capsys):
    path = fetch_cfpb(tmp_path / "data", url=server.url, sha256=DIGEST.upper(), progress=False)
    assert path == tmp_path / "data" / "complaints.csv.zip"
    assert path.read_bytes() == PAYLOAD
    assert (tmp_path / "data" / "complaints.csv.zip.sha256").read_text() == (
        f"{DIGEST}  complaints.csv.zip\n")
    assert DIGEST in capsys.readouterr().err
    assert not (tmp_path / "data" / "complaints.csv.zip.part").exists()
    assert server.requests == [None]


def test_resumes_a_truncated_part_file_with_a_range_request(server, tmp_path):
    (tmp_path / "complaints.csv.zip.part").write_bytes(PAYLOAD[:70_000])
    path = fetch_cfpb(tmp_path, url=server.url, sha256=DIGEST, progress=False)
    assert server.requests == ["bytes=70000-"]
    assert path.read_bytes() == PAYLOAD


def test_starts_again_when_the_server_ignores_the_range(server, tmp_path):
    server.ranges = False
    (tmp_path / "complaints.csv.zip.part").write_bytes(b"not the start of the file" * 100)
    path = fetch_cfpb(tmp_path, url=server.url, sha256=DIGEST, progress=False)
    assert server.requests == ["bytes=2500-"]  # asked, ignored, whole file sent
    assert path.read_bytes() == PAYLOAD


def test_a_broken_transfer_keeps_the_part_file_and_the_next_run_finishes_it(server, tmp_path):
    server.stop_after = 50_000
    with pytest.raises(FetchError, match="run again to resume") as info:
        fetch_cfpb(tmp_path, url=server.url, progress=False)
    assert "50,000 of 204,800 bytes" in str(info.value)
    assert (tmp_path / "complaints.csv.zip.part").read_bytes() == PAYLOAD[:50_000]
    server.stop_after = None
    path = fetch_cfpb(tmp_path, url=server.url, sha256=DIGEST, progress=False)
    assert server.requests[-1] == "bytes=50000-" and path.read_bytes() == PAYLOAD


def test_a_complete_part_file_is_finished_without_downloading(server, tmp_path):
    (tmp_path / "complaints.csv.zip.part").write_bytes(PAYLOAD)
    path = fetch_cfpb(tmp_path, url=server.url, sha256=DIGEST, progress=False)
    assert server.requests == [f"bytes={len(PAYLOAD)}-"]  # answered 416: nothing left
    assert path.read_bytes() == PAYLOAD


def test_a_checksum_mismatch_removes_the_download(server, tmp_path):
    with pytest.raises(ChecksumError, match=f"is {DIGEST}, not the expected 00ff"):
        fetch_cfpb(tmp_path, url=server.url, sha256="00ff", progress=False)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_not_downloaded_again(server, tmp_path):
    (tmp_path / "complaints.csv.zip").write_bytes(PAYLOAD)
    assert fetch_cfpb(tmp_path, url=server.url, sha256=DIGEST, progress=False).is_file()
    assert server.requests == []
    with pytest.raises(ChecksumError, match="delete it"):
        fetch_cfpb(tmp_path, url=server.url, sha256="00ff", progress=False)


def test_http_errors_are_named(server, tmp_path):
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_cfpb(tmp_path, url=server.url.replace(".zip", ".7z"), progress=False)
    assert list(tmp_path.iterdir()) == []


def test_offline_says_how_to_download_by_hand(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/complaints.csv.zip"
    with pytest.raises(OfflineError) as info:
        fetch_cfpb(tmp_path / "data", url=url, progress=False, timeout=5)
    message = str(info.value)
    assert message.startswith("could not reach 127.0.0.1")
    assert f"curl -LO {url}" in message and "load_cfpb" in message
    assert not (tmp_path / "data").exists()


def test_a_file_rebuilt_since_the_part_began_is_downloaded_whole(server, tmp_path):
    server.etag, server.stop_after = '"monday"', 50_000
    with pytest.raises(FetchError, match="run again to resume"):
        fetch_cfpb(tmp_path, url=server.url, progress=False)
    rebuilt = bytes(reversed(PAYLOAD))  # the export of the next day
    server.payload, server.etag, server.stop_after = rebuilt, '"tuesday"', None
    path = fetch_cfpb(tmp_path, url=server.url, progress=False)
    assert server.requests[-1] == "bytes=50000-"  # asked to resume, with If-Range "monday"
    assert path.read_bytes() == rebuilt  # not Monday's start glued to Tuesday's end
    assert not (tmp_path / "complaints.csv.zip.part.validator").exists()
