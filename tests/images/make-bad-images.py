#!/usr/bin/python3
"""Write the crafted images that fake-registry.py serves (tests/images/bad-input.bats).

    make-bad-images.py DIR OUTSIDE ARCH

DIR      the fake registry's data directory (created)
OUTSIDE  an absolute directory outside every store; the hostile layers aim at it
         (it should hold a file "canary" that must never change)
ARCH     the OCI architecture of the host (amd64, arm64, ...): configs claim it

Every image is one OCI manifest with gzip layers, tag "latest". Repositories:

  good/small               a valid one-layer image (the fixture's sanity check)
  bad/layer-digest         the layer blob served does not hash to its digest
  bad/config-digest        the config blob served does not hash to its digest
  bad/manifest-not-json    the manifest is not JSON
  bad/manifest-oversized   a valid manifest of more than 4 MiB
  bad/media-type-unknown   Content-Type and mediaType application/vnd.berth.unknown+json
  bad/manifest-schema1     a Docker schema 1 (signed) manifest
  bad/config-not-json      the config blob is not JSON (its digest is right)
  bad/config-oversized     a valid config of more than 4 MiB
  hostile/<case>           layers with path tricks; see hostile_cases below
  slow/big                 a valid image with a 4 MiB incompressible layer, which
                           fake-registry.py sends slowly (repositories slow/*)

Layers are made with python3's tarfile (pax format) and gzip, deterministically.
"""

import gzip
import hashlib
import io
import json
import os
import random
import sys
import tarfile

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
UP = "../" * 40  # more than enough to climb from any store directory to /


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def tar_bytes(entries):
    """entries: (kind, name, payload) with kind file|dir|symlink|hardlink."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for kind, name, payload in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 1700000000
            info.uid = info.gid = 0
            info.uname = info.gname = "root"
            data = None
            if kind == "file":
                data = payload.encode() if isinstance(payload, str) else payload
                info.size, info.mode = len(data), 0o644
            elif kind == "dir":
                info.type, info.mode = tarfile.DIRTYPE, 0o755
            elif kind == "symlink":
                info.type, info.linkname, info.mode = tarfile.SYMTYPE, payload, 0o777
            elif kind == "hardlink":
                info.type, info.linkname, info.mode = tarfile.LNKTYPE, payload, 0o644
            else:
                raise ValueError(kind)
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return out.getvalue()


def gz(data):
    return gzip.compress(data, compresslevel=6, mtime=0)


class Registry:
    def __init__(self, root, arch):
        self.root = root
        self.arch = arch

    def blob(self, repo, data, served=None):
        """Store a blob; `served` replaces the bytes on the wire (digest mismatch)."""
        digest = sha256(data)
        path = os.path.join(self.root, repo, "blobs", digest)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data if served is None else served)
        return digest

    def manifest(self, repo, data, content_type, tag="latest"):
        directory = os.path.join(self.root, repo, "manifests")
        os.makedirs(directory, exist_ok=True)
        for ref in (tag, sha256(data)):
            with open(os.path.join(directory, ref), "wb") as f:
                f.write(data)
            with open(os.path.join(directory, ref + ".headers"), "w") as f:
                json.dump({"Content-Type": content_type}, f)

    def config_bytes(self, diff_ids, padding=0):
        config = {
            "created": "2024-01-01T00:00:00Z",
            "architecture": self.arch,
            "os": "linux",
            "config": {"Cmd": ["sh"], "Env": ["PATH=/usr/bin:/bin"]},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": [{"created": "2024-01-01T00:00:00Z", "created_by": "make-bad-images.py"}
                        for _ in diff_ids],
        }
        if padding:
            config["config"]["Labels"] = {"padding": "x" * padding}
        return json.dumps(config, separators=(",", ":")).encode()

    def image(self, repo, layer_tars, served_layer=None, config=None, served_config=None,
              manifest_padding=0):
        """A one-manifest image; returns the manifest bytes."""
        layers = []
        for i, tar in enumerate(layer_tars):
            blob = gz(tar)
            served = served_layer if (served_layer is not None and i == 0) else None
            layers.append({"mediaType": OCI_LAYER_GZIP, "digest": self.blob(repo, blob, served),
                           "size": len(blob)})
        if config is None:
            config = self.config_bytes([sha256(t) for t in layer_tars])
        manifest = {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {"mediaType": OCI_CONFIG, "digest": self.blob(repo, config, served_config),
                       "size": len(config)},
            "layers": layers,
        }
        if manifest_padding:
            manifest["annotations"] = {"org.example.padding": "x" * manifest_padding}
        data = json.dumps(manifest, indent=2).encode()
        self.manifest(repo, data, OCI_MANIFEST)
        return data


def hostile_cases(outside):
    """name -> list of layers (each a list of tar entries)."""
    out = outside.lstrip("/")
    canary = outside + "/canary"
    return {
        # Paths that leave the layer: must be refused.
        "dotdot": [[("file", "../dotdot-x", "pwned\n")]],
        "dotdot-deep": [[("file", UP + out + "/dotdot-deep-x", "pwned\n")]],
        "dotdot-inner": [[("dir", "a", None), ("file", "a/" + UP + out + "/dotdot-inner-x", "pwned\n")]],
        # Hard links to files outside: must be refused.
        "hardlink-passwd": [[("hardlink", "passwd", "/etc/passwd")]],
        "hardlink-dotdot": [[("hardlink", "canary-link", UP + out + "/canary")]],
        "hardlink-abs-write": [[("hardlink", "h", canary), ("file", "h", "pwned\n")]],
        # Tricks that may be contained instead of refused: nothing may land outside.
        "abs": [[("file", outside + "/abs-x", "pwned\n")]],
        "symlink-abs-write": [[("symlink", "escape", outside), ("file", "escape/symlink-abs-x", "pwned\n")]],
        "symlink-rel-write": [[("symlink", "up", UP + out), ("file", "up/symlink-rel-x", "pwned\n")]],
        "symlink-replace": [[("symlink", "c", canary), ("file", "c", "pwned\n")]],
        "hardlink-to-symlink": [[("symlink", "s", canary), ("hardlink", "h", "s"), ("file", "h", "pwned\n")]],
        "hardlink-through-symlink": [[("symlink", "d", outside), ("hardlink", "x", "d/canary")]],
        "two-layer-symlink": [[("symlink", "escape", outside)],
                              [("dir", "escape", None), ("file", "escape/two-layer-x", "pwned\n")]],
    }


def main():
    if len(sys.argv) != 4 or not os.path.isabs(sys.argv[2]):
        print("usage: make-bad-images.py DIR /ABSOLUTE/OUTSIDE ARCH", file=sys.stderr)
        sys.exit(2)
    root, outside, arch = sys.argv[1:]
    os.makedirs(root, exist_ok=True)
    reg = Registry(root, arch)
    hello = tar_bytes([("dir", "etc", None), ("file", "etc/hello.txt", "hello from the fake registry\n")])
    other = tar_bytes([("file", "other.txt", "not the layer the manifest names\n")])

    reg.image("good/small", [hello])
    # Its own layer: a store that already holds good/small's layer must still fetch it.
    claimed = tar_bytes([("file", "claimed.txt", "the layer the manifest names\n")])
    reg.image("bad/layer-digest", [claimed], served_layer=gz(other))
    config = reg.config_bytes([sha256(hello)])
    reg.image("bad/config-digest", [hello], config=config, served_config=config.replace(b"sh", b"ls"))
    reg.manifest("bad/manifest-not-json", b"this is not a manifest {", OCI_MANIFEST)
    reg.image("bad/manifest-oversized", [hello], manifest_padding=(4 << 20) + 1024)
    unknown = "application/vnd.berth.unknown+json"
    reg.manifest("bad/media-type-unknown",
                 json.dumps({"schemaVersion": 2, "mediaType": unknown, "layers": []}).encode(), unknown)
    schema1 = {"schemaVersion": 1, "name": "bad/manifest-schema1", "tag": "latest",
               "architecture": arch, "fsLayers": [], "history": [],
               "signatures": [{"header": {"alg": "ES256"}, "signature": "x", "protected": "x"}]}
    reg.manifest("bad/manifest-schema1", json.dumps(schema1).encode(),
                 "application/vnd.docker.distribution.manifest.v1+prettyjws")
    reg.image("bad/config-not-json", [hello], config=b"this is not a config {")
    reg.image("bad/config-oversized", [hello],
              config=reg.config_bytes([sha256(hello)], padding=(4 << 20) + 1024))

    noise = random.Random(4).randbytes(4 << 20)
    reg.image("slow/big", [tar_bytes([("file", "noise.bin", noise)])])

    for name, layers in hostile_cases(outside).items():
        reg.image("hostile/" + name, [tar_bytes(entries) for entries in layers])


if __name__ == "__main__":
    main()
