#!/usr/bin/env bash
# bench/engine-run.sh: `berth run --rm busybox true` against `podman run --rm --network none
# busybox true`, side by side in one hyperfine run (wall time of the whole client command:
# create + start + wait + remove), then the same for `run -d busybox sleep 1000` followed by
# `rm -f` of that container. Prints the medians and the ratio berth/podman (goal <= 0.25).
#
#   bench/engine-run.sh                    # berth from .build/release, podman with runc
#   RUNS=50 WARMUP=5 bench/engine-run.sh
#   BERTH_RUNC=0 DETACHED=0 bench/engine-run.sh   # only berth (berth-runtime) vs podman
#   PODMAN_RUNTIME=/path/to/runtime bench/engine-run.sh
#
# Both use private storage below one temporary directory (podman: overlay driver,
# cgroupfs, no events, no network, its own containers.conf; see bench/engine-lib.sh) and
# the same image, busybox:latest from out/clients/images/busybox-docker.tar. berth runs with
# its default runtime (berth-runtime next to it); podman with runc, because podman's default
# crun 1.8 refuses this host's cgroup v1 "hybrid" layout. For the engine's share alone, a
# third line "berth+runc" runs berth with BERTH_RUNTIME=runc (BERTH_RUNC=0 drops it).
# cgroups: berth under /berth-bench-PID (BERTH_CGROUP_PARENT), podman under
# /berth-bench-podman-PID (--cgroup-parent); both trees are removed at the end, as are all
# containers, podman's storage and mounts, and the temporary directory.
# hyperfine's JSON: out/bench/engine-run.json, out/bench/engine-run-detached.json,
# out/bench/engine-run-split.json (run -d and rm -f timed apart; DETACHED=0 skips both),
# out/bench/engine-run-startup.json (`--version` of berth, podman, berth-runtime: start-up alone).
set -euo pipefail

source "$(dirname "$0")/engine-lib.sh"
RUNS=${RUNS:-30}
WARMUP=${WARMUP:-3}
DETACHED=${DETACHED:-1}
BERTH_RUNC=${BERTH_RUNC:-1}
RUNC=${RUNC:-/usr/sbin/runc}
[ -x "$RUNC" ] || BERTH_RUNC=0

trap engine_cleanup EXIT
engine_setup

B_RUN="$B_STR run --rm $B_RUN_OPTS_STR $IMAGE true"
P_RUN="$PM_STR $PM_RUN_STR --rm $IMAGE true"
BR_RUN="BERTH_RUNTIME=$RUNC $B_RUN"

echo "berth : $("$BERTH" --version 2>&1 | head -n1); binaries built $(for f in "$BERTH" "$(dirname "$BERTH")"/berth-{monitor,runtime}; do printf '%s %s, ' "$(basename "$f")" "$(date -u -r "$f" +%TZ)"; done)runtime berth-runtime"
echo "podman: $("$PODMAN" --version), conmon $(conmon --version | head -n1 | awk '{print $3}'), runtime $PODMAN_RUNTIME ($("$PODMAN_RUNTIME" --version | head -n1))"
echo "host  : $(nproc) CPUs, $(uname -r), $(awk '/MemTotal/ { print int($2 / 1024) " MiB" }' /proc/meminfo); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "store : $T"
echo

# Each must work once (and print nothing unexpected) before it is timed.
must sh -c "$B_RUN" >/dev/null
must sh -c "$P_RUN" >/dev/null
[ "$BERTH_RUNC" = 1 ] && must sh -c "$BR_RUN" >/dev/null

hf=(-n berth "$B_RUN" -n podman "$P_RUN")
[ "$BERTH_RUNC" = 1 ] && hf+=(-n berth+runc "$BR_RUN")
hyperfine --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/engine-run.json" "${hf[@]}"

if [ "$DETACHED" = 1 ]; then
	# run -d of a container that keeps running, then rm -f of it (SIGKILL: podman's -t 0;
	# without it podman would wait 10 s for `sleep`, PID 1, to ignore SIGTERM).
	B_DET="id=\$($B_STR run -d $B_RUN_OPTS_STR $IMAGE sleep 1000) && $B_STR rm -f \$id"
	P_DET="id=\$($PM_STR $PM_RUN_STR -d $IMAGE sleep 1000) && $PM_STR rm -f -t 0 \$id"
	must sh -c "$B_DET" >/dev/null
	must sh -c "$P_DET" >/dev/null
	hyperfine --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/engine-run-detached.json" \
		-n "berth run -d + rm -f" "$B_DET" -n "podman run -d + rm -f" "$P_DET"
	# The two halves apart: `run -d` (its --prepare removes the previous run's container) and
	# `rm -f` (its --prepare starts the container to remove).
	hyperfine --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/engine-run-split.json" \
		-n "berth run -d" --prepare "if [ -s $T/b.id ]; then $B_STR rm -f \$(cat $T/b.id) >/dev/null; rm $T/b.id; fi" \
		"$B_STR run -d $B_RUN_OPTS_STR $IMAGE sleep 1000 >$T/b.id" \
		-n "podman run -d" --prepare "if [ -s $T/p.id ]; then $PM_STR rm -f -t 0 \$(cat $T/p.id) >/dev/null; rm $T/p.id; fi" \
		"$PM_STR $PM_RUN_STR -d $IMAGE sleep 1000 >$T/p.id" \
		-n "berth rm -f" --prepare "$B_STR run -d $B_RUN_OPTS_STR $IMAGE sleep 1000 >$T/b2.id" "$B_STR rm -f \$(cat $T/b2.id)" \
		-n "podman rm -f" --prepare "$PM_STR $PM_RUN_STR -d $IMAGE sleep 1000 >$T/p2.id" \
		"$PM_STR rm -f -t 0 \$(cat $T/p2.id)"
	[ ! -s "$T/b.id" ] || "${B[@]}" rm -f "$(cat "$T/b.id")" >/dev/null
	[ ! -s "$T/p.id" ] || "${PM[@]}" rm -f -t 0 "$(cat "$T/p.id")" >/dev/null
fi

# Start-up of each CLI alone (`--version`, no shell): the floor under every command above.
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$OUT/engine-run-startup.json" \
	-n "berth --version" "$BERTH --version" -n "podman --version" "$PODMAN --version" \
	-n "berth-runtime --version" "$(dirname "$BERTH")/berth-runtime --version"

# Nothing may be left: no container record, no cgroup below the parents.
b_left=$("${B[@]}" ps -a -q | wc -l)
p_left=$("${PM[@]}" ps -a -q | wc -l)
cg_b=$(find /sys/fs/cgroup/*/"$BERTH_CG" -mindepth 1 -type d 2>/dev/null | wc -l)
cg_p=$(find /sys/fs/cgroup/*/"$PODMAN_CG" -mindepth 1 -type d 2>/dev/null | wc -l)

summary() { # JSON A B
	jq -r --arg a "$2" --arg b "$3" '
		def ms: . * 1000 | . * 10 | round / 10;
		(.results | map({(.command): .}) | add) as $r
		| .results[] | "| \(.command) | \(.median | ms) | \(.mean | ms) ± \(.stddev | ms) | \(.min | ms) | \(.max | ms) | \(
			if .command == $b then "1" else (.median / $r[$b].median * 1000 | round / 1000 | tostring) end) |"
	' "$1"
}
echo
echo "## berth vs podman: run of busybox \`true\`, network $NETWORK ($RUNS runs, $WARMUP warm-up, wall ms)"
echo
echo "| command | median | mean ± σ | min | max | median / podman's |"
echo "|---|---|---|---|---|---|"
summary "$OUT/engine-run.json" berth podman
if [ "$DETACHED" = 1 ]; then
	summary "$OUT/engine-run-detached.json" "berth run -d + rm -f" "podman run -d + rm -f"
	summary "$OUT/engine-run-split.json" "berth run -d" "podman run -d" | grep 'run -d |'
	summary "$OUT/engine-run-split.json" "berth rm -f" "podman rm -f" | grep 'rm -f |'
fi
summary "$OUT/engine-run-startup.json" "berth --version" "podman --version"
echo
GOAL=$([ "$NETWORK" = bridge ] && echo 0.5 || echo 0.25)
jq -r --argjson goal "$GOAL" --arg network "$NETWORK" '(.results | map({(.command): .median}) | add) as $m
	| "run --rm (network \($network)): berth/podman = \(($m.berth / $m.podman * 1000 | round) / 1000) (goal <= \($goal)): \(
		if $m.berth / $m.podman <= $goal then "met" else "NOT met" end)"' "$OUT/engine-run.json"
if [ "$DETACHED" = 1 ]; then
	jq -r '.results | map(.median) | "run -d + rm -f: berth/podman = \((.[0] / .[1] * 1000 | round) / 1000)"' \
		"$OUT/engine-run-detached.json"
	jq -r '.results | map(.median) | "run -d alone: berth/podman = \((.[0] / .[1] * 1000 | round) / 1000); rm -f alone: berth/podman = \((.[2] / .[3] * 1000 | round) / 1000)"' \
		"$OUT/engine-run-split.json"
fi
echo
echo "commands:"
echo "  berth : $B_RUN"
echo "  podman: $P_RUN"
[ "$BERTH_RUNC" = 1 ] && echo "  berth+runc: $BR_RUN"
if [ "$DETACHED" = 1 ]; then
	echo "  berth : $B_DET"
	echo "  podman: $P_DET"
fi
echo "left after the runs: berth $b_left containers, $cg_b cgroup dirs below /$BERTH_CG; podman $p_left containers, $cg_p cgroup dirs below /$PODMAN_CG"
if [ "$DETACHED" = 1 ]; then
	echo "(JSON: $OUT/engine-run.json, $OUT/engine-run-detached.json, $OUT/engine-run-split.json, $OUT/engine-run-startup.json)"
else
	echo "(JSON: $OUT/engine-run.json, $OUT/engine-run-startup.json)"
fi
