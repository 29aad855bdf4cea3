#!/usr/bin/env bash
# tests/demo.sh: make an OCI bundle from busybox-static in a temporary directory
# and run it with berth-runtime: the container prints its hostname, `ps` (its
# program is PID 1), `ip link` (loopback only) and its memory limit as seen
# from inside. Everything is removed afterwards.
#
#   tests/demo.sh                       # .build/release/berth-runtime
#   RUNTIME=/usr/sbin/runc tests/demo.sh
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
RUNTIME=${RUNTIME:-$REPO/.build/release/berth-runtime}
[ -x "$RUNTIME" ] || { echo "demo: $RUNTIME is not built (make build)" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "demo: run as root" >&2; exit 2; }

WORK=$(mktemp -d /tmp/berth-demo.XXXXXX)
ID=demo-$$
CG_PARENT=berth-demo-$$
cleanup() {
	"$RUNTIME" --root "$WORK/state" delete --force "$ID" >/dev/null 2>&1 || true
	find /sys/fs/cgroup/*/"$CG_PARENT" -depth -type d -exec rmdir {} + 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

BUNDLE=$WORK/bundle
mkdir -p "$BUNDLE/rootfs"/{bin,dev,proc,sys,tmp,etc}
cp /bin/busybox "$BUNDLE/rootfs/bin/busybox"
# Link every applet to /bin/busybox as the container will see it.
for applet in $(/bin/busybox --list); do
	[ "$applet" = busybox ] || ln -s busybox "$BUNDLE/rootfs/bin/$applet"
done

jq --arg cg "/$CG_PARENT/$ID" '
	.hostname = "berth-demo"
	| .linux.cgroupsPath = $cg
	| .linux.resources.memory = {"limit": 134217728}
	| .process.args = ["/bin/sh", "-c",
		"echo \"hostname: $(hostname)\"; echo; ps; echo; ip link; echo; echo \"memory limit: $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes) bytes\""]' \
	"$REPO/tests/e2e/config.template.json" >"$BUNDLE/config.json"

echo "\$ $(basename "$RUNTIME") run --bundle $BUNDLE $ID"
"$RUNTIME" --root "$WORK/state" run --bundle "$BUNDLE" "$ID" </dev/null
