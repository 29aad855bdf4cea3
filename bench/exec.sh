#!/usr/bin/env bash
# bench/exec.sh: `exec` of busybox `true` into a running container, with berth-runtime, runc
# and crun in one hyperfine invocation (wall time).
#
#   bench/exec.sh                      # berth-runtime from .build/release if built
#   BERTH_RUNTIME=/path/to/berth-runtime RUNS=50 bench/exec.sh
#
# Each runtime gets its own --root and its own running container (an init that sleeps). crun
# 1.8 refuses this host's cgroup "hybrid" layout, so it runs through a wrapper that hides
# /sys/fs/cgroup/unified in a private mount namespace; berth-runtime is timed through the same
# wrapper too (berth-runtime-wrapped), the like-for-like pair.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BERTH_RUNTIME=${BERTH_RUNTIME:-$REPO/.build/release/berth-runtime}
RUNC=${RUNC:-/usr/sbin/runc}
CRUN=${CRUN:-/usr/bin/crun}
RUNS=${RUNS:-50}
WARMUP=${WARMUP:-5}
OUT=${OUT:-$REPO/out/bench}

WORK=$(mktemp -d /tmp/berth-bench-exec.XXXXXX)
CG_PARENT=berth-bench-exec-$$
declare -A RT
NAMES=()
cleanup() {
	local name
	for name in "${NAMES[@]}"; do
		"${RT[$name]}" --root "$WORK/state-$name" delete --force "x-$name" >/dev/null 2>&1 || true
	done
	find /sys/fs/cgroup/*/"$CG_PARENT" -depth -type d -exec rmdir {} + 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT

make_wrapper() { # REAL OUT
	cat >"$2" <<WRAP
#!/bin/sh
exec unshare --mount --propagation slave -- /bin/sh -c 'umount -l /sys/fs/cgroup/unified 2>/dev/null; exec "\$0" "\$@"' '$1' "\$@"
WRAP
	chmod 0755 "$2"
}

BUNDLE=$WORK/bundle
mkdir -p "$BUNDLE/rootfs"/{bin,dev,proc,sys,tmp}
cp /bin/busybox "$BUNDLE/rootfs/bin/busybox"
ln -s busybox "$BUNDLE/rootfs/bin/true"
ln -s busybox "$BUNDLE/rootfs/bin/sleep"
jq --arg cg "/$CG_PARENT/bench" '.process.args = ["/bin/sleep", "600"] | .linux.cgroupsPath = $cg' \
	"$REPO/tests/e2e/config.template.json" >"$BUNDLE/config.json"

if [ -x "$BERTH_RUNTIME" ]; then RT[berth-runtime]=$BERTH_RUNTIME; NAMES+=(berth-runtime); fi
[ -x "$RUNC" ] && { RT[runc]=$RUNC; NAMES+=(runc); }
if [ -x "$CRUN" ]; then
	make_wrapper "$CRUN" "$WORK/crun-v1"
	RT[crun]=$WORK/crun-v1
	NAMES+=(crun)
	if [ -x "$BERTH_RUNTIME" ]; then
		make_wrapper "$BERTH_RUNTIME" "$WORK/berth-v1"
		RT[berth-runtime-wrapped]=$WORK/berth-v1
		NAMES+=(berth-runtime-wrapped)
	fi
fi

hf_args=()
for name in "${NAMES[@]}"; do
	state=$WORK/state-$name
	mkdir -p "$state"
	# Each runtime's own container, each in its own cgroup.
	mkdir -p "$WORK/bundle-$name"
	jq --arg cg "/$CG_PARENT/$name" --arg root "$BUNDLE/rootfs" '.linux.cgroupsPath = $cg | .root.path = $root' \
		"$BUNDLE/config.json" >"$WORK/bundle-$name/config.json"
	"${RT[$name]}" --root "$state" run -d --bundle "$WORK/bundle-$name" "x-$name" </dev/null >/dev/null 2>"$WORK/run-$name.err" ||
		{ echo "bench: $name cannot start its container: $(cat "$WORK/run-$name.err")" >&2; exit 1; }
	cmd="${RT[$name]} --root $state exec x-$name /bin/true </dev/null"
	sh -c "$cmd" || { echo "bench: $name cannot exec: $cmd" >&2; exit 1; }
	hf_args+=(-n "$name" "$cmd")
done

mkdir -p "$OUT"
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/exec.json" "${hf_args[@]}" 2>/dev/null | grep -v '^$' || \
	hyperfine --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/exec.json" "${hf_args[@]}"
echo
echo "exec of /bin/true: median wall time and ratios"
jq -r '
	def r2: if . == null then "-" else (. * 100 | round / 100 | tostring) end;
	[.results[] | {name: .command, m: (.median * 1000)}] as $r
	| ($r | map({(.name): .m}) | add) as $m
	| (["runtime", "median ms", "x crun", "x runc"] | @tsv),
	  ($r[] | [.name, (.m | r2), ((if $m.crun then .m / $m.crun else null end) | r2),
	           ((if $m.runc then .m / $m.runc else null end) | r2)] | @tsv)' "$OUT/exec.json" | column -t -s $'\t'
