#!/usr/bin/env bash
# tests/demo.sh: bootstrap a local busybox image from Debian's busybox-static
# (`berth import` of a root filesystem tarball), list it with `berth images`,
# mount its layers with `berth image mount` as the root of an OCI bundle and run
# that with berth-runtime: the container prints its hostname, `ps` (its program
# is PID 1), `ip link` (loopback only) and its memory limit as seen from inside.
# Everything (image store, mounts, cgroups, files) is removed afterwards.
#
#   tests/demo.sh                       # .build/release/berth{,-runtime}
#   RUNTIME=/usr/sbin/runc tests/demo.sh
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
RUNTIME=${RUNTIME:-$REPO/.build/release/berth-runtime}
BERTH=${BERTH:-$REPO/.build/release/berth}
[ -x "$RUNTIME" ] || { echo "demo: $RUNTIME is not built (make build)" >&2; exit 2; }
[ -x "$BERTH" ] || { echo "demo: $BERTH is not built (make build)" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "demo: run as root" >&2; exit 2; }

WORK=$(mktemp -d /tmp/berth-demo.XXXXXX)
ID=demo-$$
CG_PARENT=berth-demo-$$
cleanup() {
	"$RUNTIME" --root "$WORK/state" delete --force "$ID" >/dev/null 2>&1 || true
	mountpoint -q "$WORK/bundle/rootfs" && "$BERTH" --root "$WORK/berth" image unmount "$WORK/bundle/rootfs"
	find /sys/fs/cgroup/*/"$CG_PARENT" -depth -type d -exec rmdir {} + 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

# The image: a root filesystem tarball of busybox-static, imported as one layer.
ROOTFS=$WORK/rootfs
mkdir -p "$ROOTFS"/{bin,dev,proc,sys,tmp,etc}
cp /bin/busybox "$ROOTFS/bin/busybox"
# Link every applet to /bin/busybox as the container will see it.
for applet in $(/bin/busybox --list); do
	[ "$applet" = busybox ] || ln -s busybox "$ROOTFS/bin/$applet"
done
tar --numeric-owner --owner=0 --group=0 -C "$ROOTFS" -cf "$WORK/busybox-rootfs.tar" .
echo "\$ berth import busybox-rootfs.tar local/busybox:demo"
"$BERTH" --root "$WORK/berth" import "$WORK/busybox-rootfs.tar" local/busybox:demo
echo "\$ berth images"
"$BERTH" --root "$WORK/berth" images
echo

BUNDLE=$WORK/bundle
mkdir -p "$BUNDLE/rootfs"
echo "\$ berth image mount local/busybox:demo $BUNDLE/rootfs"
"$BERTH" --root "$WORK/berth" image mount local/busybox:demo "$BUNDLE/rootfs"

jq --arg cg "/$CG_PARENT/$ID" '
	.hostname = "berth-demo"
	| .root.readonly = true
	| .linux.cgroupsPath = $cg
	| .linux.resources.memory = {"limit": 134217728}
	| .process.args = ["/bin/sh", "-c",
		"echo \"hostname: $(hostname)\"; echo; ps; echo; ip link; echo; echo \"memory limit: $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes) bytes\""]' \
	"$REPO/tests/e2e/config.template.json" >"$BUNDLE/config.json"

echo "\$ $(basename "$RUNTIME") run --bundle $BUNDLE $ID"
"$RUNTIME" --root "$WORK/state" run --bundle "$BUNDLE" "$ID" </dev/null
