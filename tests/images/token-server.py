#!/usr/bin/python3
"""A tiny Docker Registry v2 token server, the Bearer-auth fixture of tests/images.

    token-server.py --key KEY.pem --cert CERT.pem --users FILE --issuer ISS \
        --service SVC --port-file FILE [--log FILE] [--port N]

Listens on 127.0.0.1 only (port 0 = any free port, written to --port-file once the
socket is bound). GET /token?service=SVC&scope=repository:NAME:pull,push[&scope=...]
checks the request's Basic credentials against --users ("user:password" lines),
then answers {"token": JWT, "access_token": JWT, "expires_in": 300, "issued_at": ...}.

The JWT is what the distribution registry's `auth: token` verifies
(registry/auth/token/token.go): header {"typ": "JWT", "alg": "RS256", "x5c": [the
signing certificate, base64 DER]} -- the registry checks that chain against its
`rootcertbundle` -- and claims iss, sub, aud (= service), exp, nbf, iat, jti and
access: [{type, name, actions}] for every requested scope. A known user gets every
action asked for; an anonymous request gets a token with no access at all (as Docker
Hub does for private repositories), so the registry then refuses with 401; wrong
credentials get 401 here. Every request is logged as one JSON line to --log.

Signing uses python3-cryptography (Debian) when it is importable, otherwise
`openssl dgst -sha256 -sign` (also when TOKEN_SERVER_SIGNER=openssl). Only the standard library is needed besides that.
"""

import argparse
import base64
import http.server
import json
import os
import subprocess
import sys
import time
import urllib.parse
import uuid


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def pem_to_der_b64(pem_text):
    """The first certificate of a PEM file as standard base64 DER (x5c)."""
    lines, inside = [], False
    for line in pem_text.splitlines():
        if line.startswith("-----BEGIN CERTIFICATE"):
            inside = True
        elif line.startswith("-----END CERTIFICATE"):
            break
        elif inside:
            lines.append(line.strip())
    return "".join(lines)


class Signer:
    """RS256 (RSASSA-PKCS1-v1_5 with SHA-256) signatures with the key file."""

    def __init__(self, key_path):
        self.key_path = key_path
        self.key = None
        try:
            if os.environ.get("TOKEN_SERVER_SIGNER") == "openssl":
                raise ImportError("openssl signing requested")
            from cryptography.hazmat.primitives import serialization
            with open(key_path, "rb") as f:
                self.key = serialization.load_pem_private_key(f.read(), password=None)
            self.backend = "python3-cryptography"
        except ImportError:
            self.backend = "openssl"

    def sign(self, data):
        if self.key is not None:
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.asymmetric import padding
            return self.key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return subprocess.run(["openssl", "dgst", "-sha256", "-sign", self.key_path],
                              input=data, stdout=subprocess.PIPE, check=True).stdout


def parse_scopes(values):
    """["repository:a/b:pull,push", ...] -> [{type, name, actions}]."""
    access = []
    for value in values:
        for scope in value.split(" "):
            parts = scope.split(":")
            if len(parts) < 3:
                continue
            # The name may itself hold a colon (a registry host with a port).
            kind, name, actions = parts[0], ":".join(parts[1:-1]), parts[-1]
            access.append({"type": kind, "name": name,
                           "actions": [a for a in actions.split(",") if a]})
    return access


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "berth-test-token-server/1"

    def log_message(self, fmt, *args):  # quiet: we keep our own log
        pass

    def record(self, status, user, scopes):
        if not self.server.log_path:
            return
        entry = {"time": time.time(), "method": self.command, "path": self.path,
                 "status": status, "user": user, "scopes": scopes}
        with open(self.server.log_path, "a") as f:
            f.write(json.dumps(entry) + "\n")

    def reply(self, status, body, headers=()):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def credentials(self):
        """(user, ok): user None when the request is anonymous."""
        header = self.headers.get("Authorization", "")
        if not header.lower().startswith("basic "):
            return None, True
        try:
            user, _, password = base64.b64decode(header[6:].strip()).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return "?", False
        return user, self.server.users.get(user) == password

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        scopes = query.get("scope", [])
        if url.path != "/token":
            self.record(404, None, scopes)
            self.reply(404, {"errors": [{"code": "NOT_FOUND", "message": "not found"}]})
            return
        user, ok = self.credentials()
        if not ok:
            self.record(401, user, scopes)
            self.reply(401, {"errors": [{"code": "UNAUTHORIZED",
                                         "message": "wrong user name or password"}]},
                       [("WWW-Authenticate", 'Basic realm="berth-test-token-server"')])
            return
        service = query.get("service", [self.server.service])[0]
        access = parse_scopes(scopes) if user is not None else []
        now = int(time.time())
        header = {"typ": "JWT", "alg": "RS256", "x5c": [self.server.x5c]}
        claims = {"iss": self.server.issuer, "sub": user or "", "aud": service,
                  "exp": now + 300, "nbf": now - 10, "iat": now,
                  "jti": uuid.uuid4().hex, "access": access}
        signing_input = (b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
                         b64url(json.dumps(claims, separators=(",", ":")).encode()))
        token = signing_input + "." + b64url(self.server.signer.sign(signing_input.encode()))
        self.record(200, user, scopes)
        self.reply(200, {"token": token, "access_token": token, "expires_in": 300,
                         "issued_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))})

    do_HEAD = do_GET


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--key", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--users", required=True)
    p.add_argument("--issuer", required=True)
    p.add_argument("--service", required=True)
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--port-file", required=True)
    p.add_argument("--log")
    args = p.parse_args()

    users = {}
    with open(args.users) as f:
        for line in f:
            user, sep, password = line.rstrip("\n").partition(":")
            if sep:
                users[user] = password
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.users = users
    server.issuer = args.issuer
    server.service = args.service
    server.log_path = args.log
    server.signer = Signer(args.key)
    with open(args.cert) as f:
        server.x5c = pem_to_der_b64(f.read())
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, args.port_file)
    print("token server on 127.0.0.1:%d (signing with %s)" %
          (server.server_address[1], server.signer.backend), file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
