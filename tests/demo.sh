#!/usr/bin/env bash
# tests/demo.sh: bootstrap a local busybox image from Debian's busybox-static (`berth import`
# of a root filesystem tarball), then use it the way one uses docker: `berth run -d` with a
# memory limit and a named volume, `ps`, `logs`, `exec` (which reads the limit, the volume and
# the network from inside), `stop`, `rm`; then a page served by busybox httpd in a container,
# published with `-p 127.0.0.1:PORT:80` and fetched from the host with curl. Containers run
# under berth's monitor with berth-runtime, on berth's default bridge network.
# Everything (state root, mounts, cgroups, bridges, iptables chains, files) is removed
# afterwards (`berth system reset`).
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
	"$BERTH" --root "$WORK/root" system reset -f >/dev/null 2>&1 || true
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
berth exec web sh -c 'echo "pid 1: $(cat /proc/1/cmdline | tr "\0" " ")"; echo "memory limit: $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max) bytes"; echo "volume: $(cat /data/note)"; echo "network: $(ip -4 -o addr show eth0 | awk "{print \$4}"), $(ip route | head -n 1)"'
echo
berth stop -t 1 web
berth ps -a
berth rm web
berth volume rm demo-data
echo

# A page served from a container, published on the host's loopback.
mkdir -p "$WORK/www"
echo "hello from a berth container" >"$WORK/www/index.html"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
berth run -d --name page -p "127.0.0.1:$PORT:80" -v "$WORK/www:/www:ro" local/busybox:demo httpd -f -p 80 -h /www
berth port page
for _ in $(seq 1 50); do curl -fsS "http://127.0.0.1:$PORT/" >/dev/null 2>&1 && break; sleep 0.1; done
echo "\$ curl http://127.0.0.1:$PORT/"
curl -fsS "http://127.0.0.1:$PORT/"
berth rm -f page
echo
echo "demo: ok"
