# bench/engine-lib.sh: shared set-up for bench/engine-run.sh and bench/monitor-rss.sh
# (sourced, not run): a private berth store and a private podman store below one temporary
# directory, busybox:latest loaded into both from out/clients/images/busybox-docker.tar,
# and the cleanup of everything (containers, podman's mounts and storage, cgroups, $T).
#
# After `engine_setup`:
#   B=(berth --root $T/b)                     berth, BERTH_CGROUP_PARENT=berth-bench-$$ exported
#   PM=(podman --root $T/p --runroot $T/pr --storage-driver overlay --cgroup-manager cgroupfs
#       --events-backend none --runtime $PODMAN_RUNTIME)
#   PM_RUN=(run --network none --cgroup-parent /berth-bench-podman-$$)
#   B_RUN_OPTS=(--network none)
# plus the same as strings (B_STR, PM_STR, PM_RUN_STR, B_RUN_OPTS_STR) for hyperfine's command
# lines. NETWORK=bridge runs both on their default bridge network instead (berth's over the
# CNI plugins, podman's with netavark, its network config under $T).
#
# podman gets a private containers.conf (CONTAINERS_CONF): cgroupfs, no events, its tmp_dir,
# file locks and volumes below $T, and ulimits the host can grant (this VM has no
# CAP_SYS_RESOURCE; podman's default nofile/nproc for root would make every runtime fail).
# Its runtime is runc by default: podman's default crun 1.8 refuses this host's cgroup
# "hybrid" layout (see bench/run.sh); PODMAN_RUNTIME=/path overrides.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$REPO/tests/lib/firewall.bash"
BERTH=${BERTH:-$REPO/.build/release/berth}
PODMAN=${PODMAN:-podman}
PODMAN_RUNTIME=${PODMAN_RUNTIME:-/usr/sbin/runc}
IMAGE_TAR=${IMAGE_TAR:-$REPO/out/clients/images/busybox-docker.tar}
OUT=${OUT:-$REPO/out/bench}
IMAGE=busybox:latest

for tool in hyperfine jq conmon "$PODMAN"; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make deps)" >&2; exit 2; }
done
[ -x "$BERTH" ] || { echo "bench: $BERTH is not built (make build)" >&2; exit 2; }
[ -x "$(dirname "$BERTH")/berth-monitor" ] || [ -n "${BERTH_MONITOR:-}" ] ||
	{ echo "bench: $(dirname "$BERTH")/berth-monitor is not built (make build)" >&2; exit 2; }
[ -f "$IMAGE_TAR" ] || { echo "bench: $IMAGE_TAR is missing (tests/clients/make-test-images.sh)" >&2; exit 2; }

T=$(mktemp -d /tmp/berth-bench-engine.XXXXXX)
BERTH_CG=berth-bench-$$
PODMAN_CG=berth-bench-podman-$$
export BERTH_CGROUP_PARENT=$BERTH_CG
B=("$BERTH" --root "$T/b")
PM=("$PODMAN" --root "$T/p" --runroot "$T/pr" --storage-driver overlay
	--cgroup-manager cgroupfs --events-backend none --runtime "$PODMAN_RUNTIME")
NETWORK=${NETWORK:-none}
if [ "$NETWORK" = bridge ]; then
	PM_RUN=(run --cgroup-parent "/$PODMAN_CG")
	B_RUN_OPTS=()
else
	PM_RUN=(run --network none --cgroup-parent "/$PODMAN_CG")
	B_RUN_OPTS=(--network none)
fi
B_RUN_OPTS_STR="${B_RUN_OPTS[*]}"
B_STR="${B[*]}"
PM_STR="${PM[*]}"
PM_RUN_STR="${PM_RUN[*]}"

umount_under() { # DIR: every mount at or below DIR, deepest first
	awk -v p="$1" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r -u |
		while read -r m; do umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true; done
}

# rm_cgroup REL: the (empty) directory REL in every cgroup hierarchy, children first (rmdir).
# podman (cgroupfs, v1) also makes REL/conmon below /sys/fs/cgroup/<dir> that is a plain tmpfs
# directory rather than a mounted hierarchy; such copies are removed with rm -r (the idea of
# rm_cgroup_tree in tests/clients/lib.sh).
rm_cgroup() {
	local rel=${1#/} root
	[ -n "$rel" ] || return 0
	for root in $(awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts) /sys/fs/cgroup/*; do
		[ -d "$root/$rel" ] || continue
		case $(stat -f -c %T "$root/$rel" 2>/dev/null) in
		cgroupfs | cgroup2fs) find "$root/$rel" -depth -type d -exec rmdir {} \; 2>/dev/null || true ;;
		tmpfs) rm -rf "${root:?}/${rel:?}" ;;
		esac
	done
}

# Leftover cgroup directories (for the report): one line each, empty when clean.
cgroups_left() {
	local root
	for root in /sys/fs/cgroup/* /sys/fs/cgroup/unified; do
		[ -d "$root/$BERTH_CG" ] && echo "$root/$BERTH_CG"
		[ -d "$root/$PODMAN_CG" ] && echo "$root/$PODMAN_CG"
	done
	return 0
}

engine_cleanup() {
	set +e
	if [ -d "$T/b" ]; then
		for id in $("${B[@]}" ps -a -q --no-trunc 2>/dev/null); do "${B[@]}" rm -f "$id" >/dev/null 2>&1; done
		# should berth itself fail: its monitors and the runtime's containers, started here
		local pid rt
		for pid in $(jq -r '.monitorPid // 0' "$T"/b/containers/*/container.json 2>/dev/null); do
			[ "$pid" -gt 0 ] 2>/dev/null && [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = berth-monitor ] &&
				kill -KILL "$pid" 2>/dev/null
		done
		rt=$(dirname "$BERTH")/berth-runtime
		if [ -x "$rt" ] && [ -d "$T/b/runtime" ]; then
			for id in $("$rt" --root "$T/b/runtime" list -q 2>/dev/null); do
				"$rt" --root "$T/b/runtime" delete --force "$id" >/dev/null 2>&1
			done
		fi
	fi
	if [ -d "$T/p" ]; then
		"${PM[@]}" rm -a -f -t 0 >/dev/null 2>&1
		"${PM[@]}" system reset -f >/dev/null 2>&1
	fi
	# berth's networks (bridges, iptables chains), namespaces and store
	[ ! -d "$T/b" ] || "${B[@]}" system reset -f >/dev/null 2>&1
	# the plugins' shared chains, when this bench made them
	remove_shared_chains NETAVARK "${NETAVARK_CHAINS_BEFORE:-yes}"
	remove_shared_chains CNI-HOSTPORT "${PORTMAP_CHAINS_BEFORE:-yes}"
	umount_under "$T"
	rm_cgroup "$BERTH_CG"
	rm_cgroup "$PODMAN_CG"
	rm -rf "$T"
	local left
	left=$(cgroups_left)
	[ -z "$left" ] || printf 'bench: cgroup directories left behind:\n%s\n' "$left" >&2
}

engine_setup() {
	NETAVARK_CHAINS_BEFORE=$(shared_chains_present NETAVARK)
	PORTMAP_CHAINS_BEFORE=$(shared_chains_present CNI-HOSTPORT)
	mkdir -p "$T"/{b,p,pr,ptmp,pvol,pnet,conmon-tmp} "$OUT"
	local nofile nproc pidmax
	nofile=$(ulimit -Hn)
	nproc=$(ulimit -Hu)
	pidmax=$(cat /proc/sys/kernel/pid_max)
	{ [ "$nproc" = unlimited ] || [ "$nproc" -gt "$pidmax" ]; } && nproc=$pidmax
	cat >"$T/containers.conf" <<EOF
# private podman configuration written by bench/engine-lib.sh
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "none"
conmon_env_vars = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TMPDIR=$T/conmon-tmp"]
tmp_dir = "$T/ptmp"
volume_path = "$T/pvol"
lock_type = "file"
network_backend = "netavark"
[network]
network_config_dir = "$T/pnet"
EOF
	export CONTAINERS_CONF=$T/containers.conf
	"${B[@]}" load -q -i "$IMAGE_TAR" >/dev/null ||
		{ echo "bench: failed: ${B_STR} load -q -i $IMAGE_TAR" >&2; exit 1; }
	"${PM[@]}" load -q -i "$IMAGE_TAR" >/dev/null ||
		{ echo "bench: failed: ${PM_STR} load -q -i $IMAGE_TAR" >&2; exit 1; }
}

# must CMD...: run CMD once (it must succeed) before it is timed; on failure, print the
# exact command and its output and end the bench.
must() {
	local out
	if ! out=$("$@" 2>&1); then
		printf 'bench: this command failed:\n  %s\n%s\n' "$*" "$out" >&2
		exit 1
	fi
	printf '%s' "$out"
}
