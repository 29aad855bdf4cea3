#!/usr/bin/env bash
# tests/demo.sh: bootstrap a local busybox image from Debian's busybox-static (`berth import`
# of a root filesystem tarball), then use it the way one uses docker: `berth run -d` with a
# memory limit and a named volume, `ps`, `logs`, `exec` (which reads the limit and the volume
# from inside), `stop`, `rm`. The container runs under berth's monitor with berth-runtime.
# Everything (state root, mounts, cgroups, files) is removed afterwards.
#
#   tests/demo.sh                          # .build/release/berth{,-runtime,-monitor}
#   BERTH_RUNTIME=/usr/sbin/runc tests/demo.sh
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BERTH=${BERTH:-$REPO/.build/release/berth}
[ -x "$BERTH" ] || { echo "demo: $BERTH is not built (make build)" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "demo: run as root" >&2; exit 2; }

WORK=$(mktemp -d /tmp/berth-demo.XXXXXX)
export BERTH_CGROUP_PARENT=berth-demo-$$
berth() {
	echo "\$ berth $*"
	"$BERTH" --root "$WORK/root" "$@"
}
cleanup() {
	for id in $("$BERTH" --root "$WORK/root" ps -aq 2>/dev/null); do
		"$BERTH" --root "$WORK/root" rm -f -v "$id" >/dev/null 2>&1 || true
	done
	find /sys/fs/cgroup/*/"$BERTH_CGROUP_PARENT" -depth -type d -exec rmdir {} + 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

# The image: a root filesystem tarball of busybox-static, imported as one layer.
ROOTFS=$WORK/rootfs
mkdir -p "$ROOTFS"/{bin,dev,proc,sys,tmp,etc}
cp /bin/busybox "$ROOTFS/bin/busybox"
for applet in $(/bin/busybox --list); do
	[ "$applet" = busybox ] || ln -s busybox "$ROOTFS/bin/$applet"
done
tar --numeric-owner --owner=0 --group=0 -C "$ROOTFS" -cf "$WORK/busybox-rootfs.tar" .
berth import -c 'CMD ["sh"]' "$WORK/busybox-rootfs.tar" local/busybox:demo
berth images
echo

berth run -d --name web -m 64m -v demo-data:/data local/busybox:demo \
	sh -c 'echo "written by $(hostname)" >/data/note; i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 0.5; done'
berth ps
sleep 1.2
berth logs web
echo
berth exec web sh -c 'echo "pid 1: $(cat /proc/1/cmdline | tr "\0" " ")"; echo "memory limit: $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max) bytes"; echo "volume: $(cat /data/note)"; ip link | grep -c "^[0-9]" | sed "s/^/network interfaces: /"'
echo
berth stop -t 1 web
berth ps -a
berth rm web
berth volume rm demo-data
echo
echo "demo: ok"
