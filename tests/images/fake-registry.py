#!/usr/bin/python3
"""A fake, read-only Docker Registry v2 serving crafted content: the bad-input fixture.

    fake-registry.py --dir DIR --port-file FILE [--port N] [--log FILE]

Listens on 127.0.0.1 only (port 0 = any free port, written to --port-file once the
socket is bound) and serves, byte for byte and without any checking, what
make-bad-images.py wrote under DIR:

    DIR/<name>/manifests/<tag or digest>           the manifest bytes
    DIR/<name>/manifests/<tag or digest>.headers   JSON object of response headers
                                                   (Content-Type, Docker-Content-Digest)
    DIR/<name>/blobs/<digest>                      the blob bytes (possibly not matching)

GET/HEAD /v2/ answers 200 {}; manifests get their .headers (Docker-Content-Digest
defaults to the sha256 of the bytes served); anything else is 404 with a registry error
body. Blobs of repositories under slow/ are sent at about 1 MiB/s (64 KiB every 1/16 s),
so that a test can interrupt a pull half-way. Every request is logged as "METHOD PATH STATUS" to --log.
"""

import argparse
import hashlib
import http.server
import json
import os
import sys
import time
import urllib.parse


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "berth-test-fake-registry/1"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def record(self, status):
        if self.server.log_path:
            with open(self.server.log_path, "a") as f:
                f.write("%s %s %d\n" % (self.command, self.path, status))

    def send(self, status, body, headers):
        self.send_response(status)
        self.send_header("Docker-Distribution-API-Version", "registry/2.0")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.record(status)
        if self.command != "HEAD":
            if self.path.startswith("/v2/slow/") and "/blobs/" in self.path:
                for offset in range(0, len(body), 65536):
                    self.wfile.write(body[offset:offset + 65536])
                    self.wfile.flush()
                    time.sleep(1 / 16)
            else:
                self.wfile.write(body)

    def not_found(self, code):
        body = json.dumps({"errors": [{"code": code, "message": code.lower().replace("_", " ")}]})
        self.send(404, body.encode(), {"Content-Type": "application/json"})

    def file(self, *parts):
        """The file DIR/parts..., or None; refuses anything that leaves DIR."""
        path = os.path.realpath(os.path.join(self.server.root, *parts))
        if not path.startswith(self.server.root + os.sep) or not os.path.isfile(path):
            return None
        return path

    def do_GET(self):
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        if path in ("/v2", "/v2/"):
            self.send(200, b"{}", {"Content-Type": "application/json"})
            return
        if not path.startswith("/v2/"):
            self.not_found("NOT_FOUND")
            return
        rest = path[len("/v2/"):]
        for kind, code in (("/manifests/", "MANIFEST_UNKNOWN"), ("/blobs/", "BLOB_UNKNOWN")):
            name, sep, ref = rest.rpartition(kind)
            if sep and name and ref:
                break
        else:
            self.not_found("NAME_UNKNOWN")
            return
        found = self.file(name, kind.strip("/"), ref)
        if found is None:
            self.not_found(code)
            return
        with open(found, "rb") as f:
            body = f.read()
        headers = {}
        if kind == "/manifests/":
            headers["Docker-Content-Digest"] = "sha256:" + hashlib.sha256(body).hexdigest()
            if os.path.isfile(found + ".headers"):
                with open(found + ".headers") as f:
                    headers.update(json.load(f))
        else:
            headers["Content-Type"] = "application/octet-stream"
            headers["Docker-Content-Digest"] = ref
        self.send(200, body, headers)

    do_HEAD = do_GET


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dir", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--log")
    args = p.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.root = os.path.realpath(args.dir)
    server.log_path = args.log
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, args.port_file)
    print("fake registry on 127.0.0.1:%d serving %s" % (server.server_address[1], server.root),
          file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
