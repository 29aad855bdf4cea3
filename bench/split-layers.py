#!/usr/bin/python3
"""Split a root file system tree into N layer tarballs of about the same size.

    split-layers.py TREE OUTDIR N

Walks TREE without following symlinks, sorts every entry by path and cuts the sorted
list into N contiguous runs of about equal content size, so each layer holds whole
neighbouring directories (usr/lib/x86_64-linux-gnu, usr/share/..., ...). Each layer
OUTDIR/layer-K.tar (pax format, numeric owners) is self-contained: it also carries the
parent directories of what it holds. Hard links whose first name is in another layer
become regular files. Prints "layer-K.tar BYTES" per layer.
"""

import os
import sys
import tarfile


def entries(tree):
    """(relative path, size) for everything under tree, sorted by path."""
    out = []
    for parent, dirs, files in os.walk(tree):
        dirs.sort()
        for name in dirs + sorted(files):
            path = os.path.join(parent, name)
            st = os.lstat(path)
            size = st.st_size if os.path.isfile(path) and not os.path.islink(path) else 0
            out.append((os.path.relpath(path, tree), size + 512))
    out.sort()
    return out


def main():
    tree, outdir, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    items = entries(tree)
    total = sum(size for _, size in items)
    chunks, current, acc = [], [], 0
    for path, size in items:
        current.append(path)
        acc += size
        if acc >= total * (len(chunks) + 1) / count and len(chunks) < count - 1:
            chunks.append(current)
            current = []
    chunks.append(current)
    os.makedirs(outdir, exist_ok=True)
    for k, chunk in enumerate(chunks, 1):
        name = os.path.join(outdir, "layer-%d.tar" % k)
        written = set()
        with tarfile.open(name, "w", format=tarfile.PAX_FORMAT) as tar:
            for path in chunk:
                parts = path.split(os.sep)
                for i in range(1, len(parts)):
                    parent = os.sep.join(parts[:i])
                    if parent not in written:
                        tar.add(os.path.join(tree, parent), arcname=parent, recursive=False)
                        written.add(parent)
                if path not in written:
                    tar.add(os.path.join(tree, path), arcname=path, recursive=False)
                    written.add(path)
        print("layer-%d.tar %d" % (k, os.path.getsize(name)))


if __name__ == "__main__":
    main()
