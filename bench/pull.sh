#!/usr/bin/env bash
# bench/pull.sh: pull + unpack of a multi-layer image of >= 200 MB from a local registry,
# berth against podman (overlay driver, private storage), side by side in one hyperfine run.
#
#   bench/pull.sh                              # berth from .build/release
#   BERTH=/path/to/berth RUNS=5 WARMUP=1 PULL_TIMEOUT=600 bench/pull.sh
#
# The image is built once by bench/big-image.sh into out/bench/big-image (a debootstrap
# minbase tree in 5 gzip layers) and pushed with skopeo into a registry started by
# tests/clients/registry.sh on a free port of 127.0.0.1. Every timed run starts from an
# empty store of its own (numbered by hyperfine --prepare). Prints the medians and the ratio berth/podman;
# hyperfine's JSON goes to out/bench/pull.json. Everything is removed again at the end
# (registry, stores, podman's mounts); the image cache stays.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BERTH=${BERTH:-$REPO/.build/release/berth}
PODMAN=${PODMAN:-podman}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
OUT=${OUT:-$REPO/out/bench}
IMAGES_DIR=${IMAGES_DIR:-$REPO/out/clients/images}

for tool in hyperfine jq skopeo docker-registry "$PODMAN" python3; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make deps)" >&2; exit 2; }
done
[ -x "$BERTH" ] || { echo "bench: $BERTH is not built (make build)" >&2; exit 2; }

mkdir -p "$OUT"
"$REPO/bench/big-image.sh" "$OUT/big-image"
[ -f "$IMAGES_DIR/IMAGES.txt" ] || "$REPO/tests/clients/make-test-images.sh" "$IMAGES_DIR" >/dev/null

T=$(mktemp -d /tmp/berth-bench-pull.XXXXXX)
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export REGISTRY_ADDR=127.0.0.1:$PORT
PM=("$PODMAN" --root "$T/p" --runroot "$T/pr" --storage-driver overlay)
umount_under() {
	awk -v p="$1" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r |
		while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
}
cleanup() {
	[ -d "$T/p" ] && "${PM[@]}" system reset -f >/dev/null 2>&1 || true
	"$REPO/tests/clients/registry.sh" stop "$T/registry" >/dev/null 2>&1 || true
	umount_under "$T"
	rm -rf "$T"
}
trap cleanup EXIT

IMAGES_DIR=$IMAGES_DIR "$REPO/tests/clients/registry.sh" start "$T/registry" >"$T/registry-start.log" 2>&1 ||
	{ cat "$T/registry-start.log" >&2; exit 1; }
printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$T/policy.json"
REF=$REGISTRY_ADDR/big:latest
skopeo --policy "$T/policy.json" copy -q --dest-tls-verify=false "oci:$OUT/big-image/oci:big" "docker://$REF"
cat "$OUT/big-image/SIZES.txt"

# Each must work once (and unpack everything) before it is timed; a hang ends the bench.
timeout "${PULL_TIMEOUT:-600}" "$BERTH" --root "$T/b" pull -q "$REF" >/dev/null ||
	{ echo "bench: berth pull $REF failed or took more than ${PULL_TIMEOUT:-600} s" >&2; exit 1; }
layers=$("$BERTH" --root "$T/b" image inspect "$REF" | jq '.[0].RootFS.Layers | length')
echo "berth: $layers layers, $(du -sb "$T/b" | cut -f1) bytes in its store"
"${PM[@]}" pull -q --tls-verify=false "$REF" >/dev/null
echo "podman: $(du -sb "$T/p" | cut -f1) bytes in its store"

# Every timed run pulls into a store of its own; the stores are deleted only at the end.
# ext4 passes over inodes freed in the last minutes when it allocates new ones
# ("recently_deleted"), so deleting the previous run's 400 MB of files right before each run
# would time that scan, for both tools, rather than a pull on an ordinary machine.
# sync: the previous run's dirty pages are written back before, not during, the next run.
# $T/n numbers the runs.
echo 0 >"$T/n"
NEXT="echo \$((\$(cat $T/n) + 1)) >$T/n; sync"
hyperfine --runs "$RUNS" --warmup "$WARMUP" --export-json "$OUT/pull.json" \
	-n berth --prepare "$NEXT" "$BERTH --root $T/b-\$(cat $T/n) pull -q $REF" \
	-n podman --prepare "$NEXT" "$PODMAN --root $T/p-\$(cat $T/n) --runroot $T/pr-\$(cat $T/n) --storage-driver overlay pull -q --tls-verify=false $REF"
for n in $(seq 1 "$(cat "$T/n")"); do
	[ ! -d "$T/p-$n" ] || "$PODMAN" --root "$T/p-$n" --runroot "$T/pr-$n" --storage-driver overlay system reset -f >/dev/null 2>&1 || true
done

jq -r '
	(.results | map({(.command): .median}) | add) as $m
	| "median wall: berth \($m.berth * 1000 | floor) ms, podman \($m.podman * 1000 | floor) ms; berth/podman = \(($m.berth / $m.podman * 1000 | round) / 1000) (goal <= 0.5)"
' "$OUT/pull.json"
