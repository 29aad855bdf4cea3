#!/bin/bash
# Berth copy of shared/clients/make-test-images.sh (the project's shared client test material).
# CI must not depend on ../shared, so the set of scripts lives here; they find each other
# through lib.sh's CLIENTS_DIR (this directory). Changes from the shared original: none
# but this header. `make clients` runs the three *-check/*-with scripts (see README.md).
#
# make-test-images.sh OUTDIR
#
# Build small container test images offline, from the statically linked
# busybox of Debian's busybox-static package. Nothing is downloaded except
# Debian packages that are missing (busybox-static umoci skopeo jq).
#
# Output (OUTDIR is created if needed; files of a previous run are replaced):
#   OUTDIR/busybox-rootfs.tar        the plain root filesystem (tar, uid/gid 0)
#   OUTDIR/oci/                      an OCI image layout with three tags:
#       latest  1 layer: busybox + applet symlinks in /bin, /etc/passwd,
#               /etc/group; config Cmd ["sh"], Env PATH=..., WorkingDir /
#       multi   4 layers, for testing layer application:
#                 1  the "latest" layer
#                 2  adds /opt/data/old.txt
#                 3  whiteout: deletes /bin/vi           (.wh.vi)
#                 4  opaque dir: /opt/data now only holds new.txt
#                    (.wh..wh..opq), so old.txt is gone
#               config adds Env CLIENTS_IMAGE=multi and WorkingDir /opt/data
#       index   an OCI image index (multi-platform "manifest list") with two
#               entries: linux/<host arch> -> the "latest" manifest, and a
#               second architecture whose config merely claims that arch
#               (same x86/whatever layer: never run it, it is only there to
#               test platform selection)
#   OUTDIR/busybox-docker.tar        `docker save` style archive of "latest",
#                                    RepoTags docker.io/library/busybox:latest
#   OUTDIR/busybox-multi-docker.tar  same for "multi" (busybox:multi)
#   OUTDIR/IMAGES.txt                what was built, with digests
#
# Expected contents of a container started from "multi":
#   /bin/vi absent, /opt/data/new.txt present, /opt/data/old.txt absent,
#   $CLIENTS_IMAGE = multi, working directory /opt/data.
#
# Requires root (chroot for `busybox --install`, uid 0 ownership in layers).

set -euo pipefail
CLIENTS_SCRIPT=make-test-images.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
require_root
ensure_cmds umoci umoci skopeo skopeo jq jq sha256sum coreutils tar tar gzip gzip
if [ ! -x /bin/busybox ] && ! command -v busybox >/dev/null 2>&1; then
    apt_install busybox-static
fi
BUSYBOX=${BUSYBOX:-$(command -v busybox || echo /bin/busybox)}
# The image contains no C library, so busybox must be statically linked.
if ldd "$BUSYBOX" >/dev/null 2>&1; then
    die "$BUSYBOX is dynamically linked; install the busybox-static package (it replaces busybox)"
fi

OUT=$(readlink -m "$1")
mkdir -p "$OUT"
WORK=$(mktemp -d "$OUT/.work.XXXXXX")
cleanup() { umount_under "$WORK"; rm -rf "$WORK"; }
trap cleanup EXIT

# Our own signature policy, so that skopeo works without containers-common's
# /etc/containers/policy.json.
printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' > "$WORK/policy.json"
SKOPEO=(skopeo --policy "$WORK/policy.json")

ARCH=$(host_oci_arch)
if [ "$ARCH" = amd64 ]; then OTHER_ARCH=arm64; else OTHER_ARCH=amd64; fi

# ------------------------------------------------------------------ rootfs
log "building the busybox root filesystem"
R=$WORK/rootfs
mkdir -p "$R"/{bin,dev,etc,proc,sys,tmp,root,run,var/tmp,home/clients}
chmod 1777 "$R/tmp" "$R/var/tmp"
chmod 0700 "$R/root"
install -m 0755 "$BUSYBOX" "$R/bin/busybox"
# One symlink per applet (/bin/sh -> /bin/busybox, ...), all in /bin.
if ! chroot "$R" /bin/busybox --install -s /bin 2>/dev/null; then
    for applet in $("$R/bin/busybox" --list); do
        [ -e "$R/bin/$applet" ] || ln -s busybox "$R/bin/$applet"
    done
fi
cat > "$R/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
clients:x:1000:1000:clients test user:/home/clients:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
cat > "$R/etc/group" <<'EOF'
root:x:0:
tty:x:5:
clients:x:1000:
nogroup:x:65534:
EOF
chown 1000:1000 "$R/home/clients"
echo "busybox test image built by make-test-images.sh" > "$R/etc/clients-image"

rm -f "$OUT/busybox-rootfs.tar"
tar --numeric-owner -C "$R" -cf "$OUT/busybox-rootfs.tar" .

# ------------------------------------------------------------ OCI layout
L=$OUT/oci
rm -rf "$L"
log "creating OCI layout $L (tag latest)"
umoci init --layout "$L"
umoci new --image "$L:latest"
umoci unpack --image "$L:latest" "$WORK/bundle" >/dev/null
cp -a "$R/." "$WORK/bundle/rootfs/"
umoci repack --history.created_by "make-test-images.sh: busybox rootfs" \
    --image "$L:latest" "$WORK/bundle"
umoci config --image "$L:latest" --no-history \
    --architecture "$ARCH" --os linux \
    --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    --config.cmd sh --config.workingdir / \
    --config.label org.opencontainers.image.title=clients-busybox

log "tag multi: 4 layers with a whiteout and an opaque directory"
# The extra layers are written with GNU tar and appended verbatim, so that the
# whiteout entries are exactly the ones described above.
mkdir -p "$WORK/l2/opt/data" "$WORK/l3/bin" "$WORK/l4/opt/data"
echo "old (layer 2; must be hidden by the opaque dir of layer 4)" > "$WORK/l2/opt/data/old.txt"
: > "$WORK/l3/bin/.wh.vi"
: > "$WORK/l4/opt/data/.wh..wh..opq"
echo "new (layer 4)" > "$WORK/l4/opt/data/new.txt"
chmod 0755 "$WORK"/l2/opt "$WORK"/l2/opt/data "$WORK/l4/opt/data"
chmod 0644 "$WORK/l2/opt/data/old.txt" "$WORK/l4/opt/data/new.txt"
TAR=(tar --numeric-owner --owner=0 --group=0)
"${TAR[@]}" -C "$WORK/l2" -cf "$WORK/layer2.tar" opt
"${TAR[@]}" -C "$WORK/l3" -cf "$WORK/layer3.tar" bin/.wh.vi
"${TAR[@]}" -C "$WORK/l4" -cf "$WORK/layer4.tar" --no-recursion \
    opt/data opt/data/.wh..wh..opq opt/data/new.txt
umoci raw add-layer --image "$L:latest" --tag multi \
    --history.created_by "make-test-images.sh: add /opt/data/old.txt" "$WORK/layer2.tar"
umoci raw add-layer --image "$L:multi" \
    --history.created_by "make-test-images.sh: delete /bin/vi (whiteout)" "$WORK/layer3.tar"
umoci raw add-layer --image "$L:multi" \
    --history.created_by "make-test-images.sh: make /opt/data opaque, add new.txt" "$WORK/layer4.tar"
umoci config --image "$L:multi" --no-history \
    --config.env CLIENTS_IMAGE=multi --config.workingdir /opt/data

log "tag index: image index for linux/$ARCH + linux/$OTHER_ARCH"
# add_blob FILE: store FILE as a blob of the layout; print "sha256:HEX SIZE".
add_blob() {
    local hex size
    hex=$(sha256sum "$1" | cut -d' ' -f1)
    size=$(stat -c %s "$1")
    cp "$1" "$L/blobs/sha256/$hex"
    echo "sha256:$hex $size"
}
blob() { echo "$L/blobs/sha256/${1#sha256:}"; }
m1=$(jq -r '.manifests[] | select(.annotations["org.opencontainers.image.ref.name"] == "latest") | .digest' "$L/index.json")
m1size=$(stat -c %s "$(blob "$m1")")
c1=$(jq -r .config.digest "$(blob "$m1")")
jq -c --arg a "$OTHER_ARCH" '.architecture = $a' "$(blob "$c1")" > "$WORK/config2.json"
read -r c2 c2size < <(add_blob "$WORK/config2.json")
jq -c --arg d "$c2" --argjson s "$c2size" '.config.digest = $d | .config.size = $s' \
    "$(blob "$m1")" > "$WORK/manifest2.json"
read -r m2 m2size < <(add_blob "$WORK/manifest2.json")
jq -n -c --arg d1 "$m1" --argjson s1 "$m1size" --arg a1 "$ARCH" \
          --arg d2 "$m2" --argjson s2 "$m2size" --arg a2 "$OTHER_ARCH" '{
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [
      {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d1, size: $s1,
       platform: {architecture: $a1, os: "linux"}},
      {mediaType: "application/vnd.oci.image.manifest.v1+json", digest: $d2, size: $s2,
       platform: {architecture: $a2, os: "linux"}}
    ]}' > "$WORK/index-blob.json"
read -r ix ixsize < <(add_blob "$WORK/index-blob.json")
jq -c --arg d "$ix" --argjson s "$ixsize" '.manifests += [{
        mediaType: "application/vnd.oci.image.index.v1+json", digest: $d, size: $s,
        annotations: {"org.opencontainers.image.ref.name": "index"}}]' \
    "$L/index.json" > "$WORK/index.json"
cp "$WORK/index.json" "$L/index.json"

umoci gc --layout "$L"
chmod -R a+rX "$L"   # umoci writes blobs 0600

# ------------------------------------------------------ docker-archive tars
log "writing docker-archive tarballs"
rm -f "$OUT/busybox-docker.tar" "$OUT/busybox-multi-docker.tar"
"${SKOPEO[@]}" copy -q "oci:$L:latest" "docker-archive:$OUT/busybox-docker.tar:busybox:latest"
"${SKOPEO[@]}" copy -q "oci:$L:multi" "docker-archive:$OUT/busybox-multi-docker.tar:busybox:multi"

# ------------------------------------------------------------------ check
for tag in latest multi; do
    "${SKOPEO[@]}" inspect "oci:$L:$tag" >/dev/null || die "skopeo cannot read oci:$L:$tag"
done
[ "$("${SKOPEO[@]}" inspect --raw "oci:$L:index" | jq -r .mediaType)" = \
  application/vnd.oci.image.index.v1+json ] || die "index tag is not an image index"
tar -tf "$OUT/busybox-docker.tar" manifest.json >/dev/null || die "bad docker archive"

{
    echo "# test images built by make-test-images.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "busybox-rootfs.tar           $(sha256sum "$OUT/busybox-rootfs.tar" | cut -d' ' -f1)"
    jq -r '.manifests[] | "oci:\(.annotations["org.opencontainers.image.ref.name"])  \(.mediaType)  \(.digest)"' "$L/index.json"
    for tag in latest multi; do
        echo "oci:$tag layers: $("${SKOPEO[@]}" inspect "oci:$L:$tag" | jq -r '.Layers | join(" ")')"
    done
    echo "busybox-docker.tar           RepoTags $(tar -xOf "$OUT/busybox-docker.tar" manifest.json | jq -c '.[0].RepoTags')"
    echo "busybox-multi-docker.tar     RepoTags $(tar -xOf "$OUT/busybox-multi-docker.tar" manifest.json | jq -c '.[0].RepoTags')"
} > "$OUT/IMAGES.txt"
cat "$OUT/IMAGES.txt"
log "done: $OUT"
