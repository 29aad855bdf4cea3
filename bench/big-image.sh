#!/usr/bin/env bash
# bench/big-image.sh OUTDIR: build (once) the image bench/pull.sh pulls: a Debian bookworm
# minbase tree (debootstrap, from the Debian mirror) of at least 200 MB, split into LAYERS
# (default 5) gzip layers of about the same size, as the OCI layout OUTDIR/oci, tag "big".
# A finished OUTDIR (OUTDIR/oci + OUTDIR/SIZES.txt) is reused as it is.
#
#   MIRROR=http://deb.debian.org/debian LAYERS=5 bench/big-image.sh out/bench/big-image
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CLIENTS_SCRIPT=big-image.sh
. "$REPO/tests/clients/lib.sh"
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
OUT=$(readlink -m "$1")
MIRROR=${MIRROR:-http://deb.debian.org/debian}
LAYERS=${LAYERS:-5}
MIN_BYTES=$((200 * 1000 * 1000))

if [ -f "$OUT/SIZES.txt" ] && [ -f "$OUT/oci/index.json" ]; then
	exit 0
fi
require_root
ensure_cmds debootstrap debootstrap umoci umoci skopeo skopeo jq jq
rm -rf "$OUT"
mkdir -p "$OUT"
WORK=$(mktemp -d "$OUT/.work.XXXXXX")
cleanup() { umount_under "$WORK"; rm -rf "$WORK"; }
trap cleanup EXIT

log "debootstrap --variant=minbase bookworm from $MIRROR (a minute or two)"
# Extra packages only when minbase alone is too small for the 200 MB the bench needs.
include=""
for attempt in 1 2; do
	rm -rf "$WORK/tree"
	debootstrap --variant=minbase ${include:+--include="$include"} bookworm "$WORK/tree" "$MIRROR" \
		>"$WORK/debootstrap.log" 2>&1 || { tail -n 20 "$WORK/debootstrap.log" >&2; die "debootstrap failed"; }
	umount_under "$WORK/tree"
	rm -rf "$WORK/tree/var/cache/apt/archives"/*.deb "$WORK/tree/var/lib/apt/lists"/*_Packages
	bytes=$(du -sb "$WORK/tree" | cut -f1)
	log "tree: $bytes bytes${include:+ (with $include)}"
	[ "$bytes" -lt "$MIN_BYTES" ] || break
	include=python3,perl,gcc,make
done
[ "$bytes" -ge "$MIN_BYTES" ] || die "the tree has only $bytes bytes"

log "splitting into $LAYERS layers"
/usr/bin/python3 "$REPO/bench/split-layers.py" "$WORK/tree" "$WORK/layers" "$LAYERS" >"$WORK/layers.txt"
cat "$WORK/layers.txt" >&2

log "OCI layout $OUT/oci (gzip layers)"
umoci init --layout "$OUT/oci"
umoci new --image "$OUT/oci:big"
for k in $(seq 1 "$LAYERS"); do
	umoci raw add-layer --image "$OUT/oci:big" \
		--history.created_by "bench/big-image.sh: layer $k of $LAYERS" "$WORK/layers/layer-$k.tar"
done
umoci config --image "$OUT/oci:big" --no-history --architecture "$(host_oci_arch)" --os linux \
	--config.cmd /bin/bash --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
umoci gc --layout "$OUT/oci"
chmod -R a+rX "$OUT/oci"

printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$WORK/policy.json"
{
	echo "# bench/big-image.sh on $(date -u +%Y-%m-%dT%H:%M:%SZ): debootstrap minbase bookworm${include:+ + $include}"
	echo "tree bytes: $bytes"
	echo "uncompressed layers: $(awk '{s += $2} END {print s}' "$WORK/layers.txt") ($(cut -d' ' -f2 "$WORK/layers.txt" | tr '\n' ' '))"
	echo "compressed layers: $(skopeo --policy "$WORK/policy.json" inspect --raw "oci:$OUT/oci:big" | jq '[.layers[].size] | add')"
} >"$OUT/SIZES.txt"
cat "$OUT/SIZES.txt" >&2
