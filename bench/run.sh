#!/usr/bin/env bash
# bench/run.sh: `run` of busybox `true` with berth-runtime, runc and crun, in one
# hyperfine invocation (wall time), then peak RSS of each (GNU time %M).
#
#   bench/run.sh                      # berth-runtime from .build/release if built
#   BERTH_RUNTIME=/path/to/berth-runtime RUNS=50 RSS_RUNS=20 bench/run.sh
#   SECCOMP_PROFILE=Tests/SeccompTests/Fixtures/podman-default-seccomp.json bench/run.sh
#
# Every run uses a fresh container id ($$ of hyperfine's shell) and its
# runtime's own --root; foreground `run` deletes the container when it exits,
# which is checked at the end. crun 1.8 refuses this host's cgroup "hybrid"
# layout, so it runs through a wrapper that hides /sys/fs/cgroup/unified in a
# private mount namespace (the wrapper's unshare+sh add about 1-2 ms to crun).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
BERTH_RUNTIME=${BERTH_RUNTIME:-$REPO/.build/release/berth-runtime}
RUNC=${RUNC:-/usr/sbin/runc}
CRUN=${CRUN:-/usr/bin/crun}
RUNS=${RUNS:-50}
WARMUP=${WARMUP:-5}
RSS_RUNS=${RSS_RUNS:-20}
OUT=${OUT:-$REPO/out/bench}

for tool in hyperfine jq /usr/bin/time unshare; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is missing (make deps)" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/berth-bench.XXXXXX)
CG_PARENT=berth-bench-$$
cleanup() {
	local name id
	for name in "${NAMES[@]}"; do
		for id in $("${RT[$name]}" --root "$WORK/state-$name" list -q 2>/dev/null); do
			"${RT[$name]}" --root "$WORK/state-$name" delete --force "$id" >/dev/null 2>&1 || true
		done
	done
	find /sys/fs/cgroup/*/"$CG_PARENT" -depth -type d -exec rmdir {} + 2>/dev/null || true
	rm -rf "$WORK"
}
declare -A RT
NAMES=()
trap cleanup EXIT

# The bundle: busybox-static as /bin/busybox with /bin/true linked to it.
BUNDLE=$WORK/bundle
mkdir -p "$BUNDLE/rootfs"/{bin,dev,proc,sys,tmp}
cp /bin/busybox "$BUNDLE/rootfs/bin/busybox"
ln -s busybox "$BUNDLE/rootfs/bin/true"
jq --arg cg "/$CG_PARENT/bench" '.process.args = ["/bin/true"] | .linux.cgroupsPath = $cg' \
	"$REPO/tests/e2e/config.template.json" >"$BUNDLE/config.json"
# SECCOMP_PROFILE=FILE: a linux.seccomp object for every run (podman's default profile:
# Tests/SeccompTests/Fixtures/podman-default-seccomp.json).
if [ -n "${SECCOMP_PROFILE:-}" ]; then
	jq --slurpfile s "$SECCOMP_PROFILE" '.linux.seccomp = $s[0]' "$BUNDLE/config.json" >"$BUNDLE/config.json.tmp"
	mv "$BUNDLE/config.json.tmp" "$BUNDLE/config.json"
fi

# The hybrid wrapper (the idea of shared/clients/make-hybrid-wrapper.sh): runs a runtime in a
# private mount namespace without /sys/fs/cgroup/unified. crun needs it on this host; berth-runtime
# is also timed through it, so that one pair of figures carries the same wrapper cost.
make_wrapper() { # REAL OUT
	cat >"$2" <<WRAP
#!/bin/sh
# run $1 without the cgroup2 unified mount (private mount namespace, slave propagation)
exec unshare --mount --propagation slave -- /bin/sh -c 'umount -l /sys/fs/cgroup/unified 2>/dev/null; exec "\$0" "\$@"' '$1' "\$@"
WRAP
	chmod 0755 "$2"
}
CRUN_WRAPPER=$WORK/crun-v1
make_wrapper "$CRUN" "$CRUN_WRAPPER"

if [ -x "$BERTH_RUNTIME" ]; then
	RT[berth-runtime]=$BERTH_RUNTIME
	NAMES+=(berth-runtime)
else
	echo "bench: $BERTH_RUNTIME not built; comparing runc and crun only" >&2
fi
[ -x "$RUNC" ] && { RT[runc]=$RUNC; NAMES+=(runc); }
[ -x "$CRUN" ] && { RT[crun]=$CRUN_WRAPPER; NAMES+=(crun); }
if [ -x "$BERTH_RUNTIME" ] && [ -x "$CRUN" ]; then
	make_wrapper "$BERTH_RUNTIME" "$WORK/berth-v1"
	RT[berth-runtime-wrapped]=$WORK/berth-v1
	NAMES+=(berth-runtime-wrapped)
fi
[ "${#NAMES[@]}" -gt 0 ] || { echo "bench: no runtime found" >&2; exit 2; }

# One command line per runtime; each must work once before we time it.
declare -A CMD
for name in "${NAMES[@]}"; do
	mkdir -p "$WORK/state-$name"
	CMD[$name]="${RT[$name]} --root $WORK/state-$name run --bundle $BUNDLE b\$\$ </dev/null"
	if ! sh -c "${CMD[$name]}" >/dev/null; then
		echo "bench: $name cannot run the bundle: ${CMD[$name]}" >&2
		exit 1
	fi
done

mkdir -p "$OUT"
hf_args=()
for name in "${NAMES[@]}"; do hf_args+=(-n "$name" "${CMD[$name]}"); done
hyperfine --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/run.json" "${hf_args[@]}"

# Peak RSS (KiB) of RSS_RUNS runs each; the median.
declare -A RSS
for name in "${NAMES[@]}"; do
	samples=()
	for ((i = 0; i < RSS_RUNS; i++)); do
		samples+=("$(/usr/bin/time -f %M sh -c "${CMD[$name]} >/dev/null" 2>&1 | tail -1)")
	done
	RSS[$name]=$(printf '%s\n' "${samples[@]}" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}')
done

rss_json=$(for name in "${NAMES[@]}"; do printf '{"name":"%s","rss_kib":%s}\n' "$name" "${RSS[$name]}"; done | jq -s .)
jq --argjson rss "$rss_json" '
	[.results[] | {name: .command, median_ms: (.median * 1000)}] as $r
	| ($r | map({(.name): .median_ms}) | add) as $m
	| ($rss | map({(.name): .rss_kib}) | add) as $k
	| {results: [$r[] | . + {rss_kib: $k[.name],
		vs_crun: (if $m.crun then .median_ms / $m.crun else null end),
		vs_runc: (if $m.runc then .median_ms / $m.runc else null end)}]}' \
	"$OUT/run.json" >"$OUT/summary.json"

echo
echo "run of /bin/true: median wall time, ratios, peak RSS (median of $RSS_RUNS)"
jq -r '
	def r2: if . == null then "-" else (. * 100 | round / 100 | tostring) end;
	(["runtime", "median ms", "x crun", "x runc", "peak RSS MiB"] | @tsv),
	(.results[] | [.name, (.median_ms | r2), (.vs_crun | r2), (.vs_runc | r2), (.rss_kib / 1024 | r2)] | @tsv)' \
	"$OUT/summary.json" | column -t -s $'\t'
echo "(JSON: $OUT/run.json, $OUT/summary.json)"

# `run` must have removed every container.
for name in "${NAMES[@]}"; do
	left=$("${RT[$name]}" --root "$WORK/state-$name" list -q 2>/dev/null | wc -l)
	[ "$left" -eq 0 ] || echo "bench: $name left $left containers behind" >&2
done
