#!/usr/bin/env bash
# bench/monitor-rss.sh: memory of berth's per-container monitor (berth-monitor) against
# podman's (conmon). Starts N detached `sleep 1000` busybox containers with each engine,
# reads RSS and PSS of every monitor process, prints per-process averages and the ratios
# berth-monitor/conmon, then removes all containers.
#
#   bench/monitor-rss.sh                   # N=5, berth from .build/release, podman with runc
#   N=10 SETTLE=5 bench/monitor-rss.sh
#
# Set-up (private stores, podman's configuration, cgroups, cleanup): bench/engine-lib.sh.
# The monitors: berth - `.monitorPid` of $ROOT/containers/*/container.json; podman -
# `podman inspect -f '{{.State.ConmonPid}}'`. Both must be alive and named berth-monitor or
# conmon when read. SETTLE seconds after the last start pass before the reading.
#
# RSS vs PSS. RSS (Rss in /proc/PID/smaps_rollup, VmRSS in status) counts every resident
# page mapped by the process, including pages it shares with other processes; summing RSS
# over N monitors counts a shared page N times. PSS divides each page by the number of
# processes mapping it (a page mapped by 5 monitors adds 1/5 of its size to each), so the
# PSS of N processes sums to the memory they really occupy. berth-monitor is a static Swift
# binary: its code and read-only data (and those of the Swift runtime and Foundation linked
# into it) are file-backed pages of the one executable, shared by every monitor from the
# same file, so its RSS overstates the cost of each additional monitor and its PSS falls as N
# grows. conmon is a small dynamically linked C program: most of its RSS is libc/glib pages
# shared with every other process on the host that maps them, so its PSS is far below its RSS
# too. USS (Private_Clean + Private_Dirty: pages only this process maps) is what one more
# monitor costs at least; Anonymous is its heap, stacks and written data, never shared here.
# Each figure is printed; the ratios are per-process averages berth-monitor/conmon.
set -euo pipefail

source "$(dirname "$0")/engine-lib.sh"
N=${N:-5}
SETTLE=${SETTLE:-2}

trap engine_cleanup EXIT
engine_setup

MON=$(dirname "$BERTH")/berth-monitor
echo "berth : $("$BERTH" --version 2>&1 | head -n1); monitor $MON ($(stat -c %s "$MON") bytes, built $(date -u -r "$MON" +%FT%TZ), $(file -b "$MON" | grep -o 'statically linked\|dynamically linked'))"
echo "podman: $("$PODMAN" --version), conmon $(conmon --version | head -n1 | awk '{print $3}') ($(stat -c %s "$(command -v conmon)") bytes, $(file -b "$(readlink -f "$(command -v conmon)")" | grep -o 'statically linked\|dynamically linked')), runtime $PODMAN_RUNTIME"
echo "kernel: $(uname -r); N=$N containers each; reading ${SETTLE}s after the last start"
echo

for ((i = 0; i < N; i++)); do
	must "${B[@]}" run -d "${B_RUN_OPTS[@]}" "$IMAGE" sleep 1000 >/dev/null
done
p_ids=()
for ((i = 0; i < N; i++)); do
	p_ids+=("$(must "${PM[@]}" "${PM_RUN[@]}" -d "$IMAGE" sleep 1000)")
done
sleep "$SETTLE"

b_pids=$(jq -r '.monitorPid' "$T"/b/containers/*/container.json)
p_pids=$(for id in "${p_ids[@]}"; do "${PM[@]}" inspect -f '{{.State.ConmonPid}}' "$id"; done)

# One TSV line per process: engine pid comm Rss Pss Pss_Anon Pss_File USS Anonymous (kB).
read_mem() { # ENGINE COMM PID...
	local engine=$1 comm=$2 pid
	shift 2
	for pid in "$@"; do
		if [ ! -r "/proc/$pid/smaps_rollup" ] || [ "$(cat "/proc/$pid/comm")" != "$comm" ]; then
			echo "bench: $engine monitor pid $pid is not a live $comm process" >&2
			exit 1
		fi
		awk -v e="$engine" -v p="$pid" -v c="$comm" '
			{ v[substr($1, 1, length($1) - 1)] = $2 }
			END { printf "%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\n", e, p, c, v["Rss"], v["Pss"], v["Pss_Anon"],
				v["Pss_File"], v["Private_Clean"] + v["Private_Dirty"], v["Anonymous"] }' "/proc/$pid/smaps_rollup"
	done
}
# shellcheck disable=SC2086
{ read_mem berth berth-monitor $b_pids; read_mem podman conmon $p_pids; } >"$T/mem.tsv"
[ "$(grep -c '^berth' "$T/mem.tsv")" -eq "$N" ] || { echo "bench: expected $N berth monitors, found: $b_pids" >&2; exit 1; }
[ "$(grep -c '^podman' "$T/mem.tsv")" -eq "$N" ] || { echo "bench: expected $N conmon processes, found: $p_pids" >&2; exit 1; }

# Other processes that stay per container besides the container's own (should be none).
extra() { # PID...: children of the monitors that are not the container's process
	local pid
	for pid in "$@"; do ps -o comm= --ppid "$pid"; done | grep -vc '^sleep$' || true
}
# shellcheck disable=SC2086
b_extra=$(extra $b_pids)
# shellcheck disable=SC2086
p_extra=$(extra $p_pids)

mkdir -p "$OUT"
{ printf 'engine\tpid\tcomm\trss_kb\tpss_kb\tpss_anon_kb\tpss_file_kb\tuss_kb\tanon_kb\n'; cat "$T/mem.tsv"; } >"$OUT/monitor-rss.tsv"

echo "per process (kB):"
{ printf 'engine\tpid\tcomm\tRSS\tPSS\tPSS anon\tPSS file\tUSS\tAnonymous\n'; cat "$T/mem.tsv"; } | column -t -s $'\t'
echo
echo "## per-monitor memory, average of $N (KiB; from /proc/PID/smaps_rollup)"
echo
awk -F'\t' -v n="$N" '
	{ for (i = 4; i <= 9; i++) s[$1, i] += $i }
	END {
		split("RSS PSS PSS_anon PSS_file USS Anonymous", name, " ")
		print "| | RSS | PSS | PSS anon | PSS file | USS | Anonymous |"
		print "|---|---|---|---|---|---|---|"
		printf "| berth-monitor |"; for (i = 4; i <= 9; i++) printf " %.0f |", s["berth", i] / n; print ""
		printf "| conmon |"; for (i = 4; i <= 9; i++) printf " %.0f |", s["podman", i] / n; print ""
		printf "| berth/conmon |"
		for (i = 4; i <= 9; i++) printf " %s |", s["podman", i] ? sprintf("%.2f", s["berth", i] / s["podman", i]) : "-"
		print ""
		printf "\ntotal PSS of the %d monitors: berth %.0f KiB, conmon %.0f KiB\n", n, s["berth", 5], s["podman", 5]
	}' "$T/mem.tsv"
echo "other per-container processes left running beside the containers: berth $b_extra, podman $p_extra"
# PSS of the file-backed pages depends on how many processes map the same file, ours or not.
maps_of() { # FILE: number of processes that map FILE
	grep -l -F " $1" /proc/[0-9]*/maps 2>/dev/null | wc -l
}
echo "processes mapping the executable now: $(readlink -f "$(dirname "$BERTH")/berth-monitor") $(maps_of "$(readlink -f "$(dirname "$BERTH")/berth-monitor")") (ours: $N), $(readlink -f "$(command -v conmon)") $(maps_of "$(readlink -f "$(command -v conmon)")") (ours: $N)"
# Memory of N monitors ~ the shared pages once (RSS - USS: mostly the executable's, for conmon
# also libc/glib shared with the rest of the host) + N x USS.
awk -F'\t' '{ sh[$1] += $4 - $8; u[$1] += $8; n[$1]++ }
	END { printf "N monitors ~ shared once + N x private: berth-monitor %.0f + N x %.0f KiB, conmon %.0f + N x %.0f KiB (shared = RSS - USS)\n",
		sh["berth"] / n["berth"], u["berth"] / n["berth"], sh["podman"] / n["podman"], u["podman"] / n["podman"] }' "$T/mem.tsv"

# How long after rm -f returns until every monitor has exited (polled every 10 ms, 5 s at
# most). An exited monitor counts as gone while it is a zombie: monitors of both engines are
# children of PID 1, which on this VM (process_api) reaps them only after a second or so.
gone_ms() { # T0_NS PID...
	local t0=$1 pid i
	shift
	for ((i = 0; i < 500; i++)); do
		for pid in "$@"; do
			[ -d "/proc/$pid" ] && [ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" != Z ] && break
			pid=
		done
		[ -z "$pid" ] && break
		sleep 0.01
	done
	if [ -z "$pid" ]; then echo "$((($(date +%s%N) - t0) / 1000000)) ms"; else echo "still running after 5 s: pid $pid"; fi
}
# Remove all containers (timed, for information), then check nothing is left.
t0=$(date +%s%N)
# shellcheck disable=SC2046
must "${B[@]}" rm -f $("${B[@]}" ps -a -q --no-trunc) >/dev/null
t1=$(date +%s%N)
# shellcheck disable=SC2086
b_gone=$(gone_ms "$t1" $b_pids)
t2=$(date +%s%N)
must "${PM[@]}" rm -f -t 0 "${p_ids[@]}" >/dev/null
t3=$(date +%s%N)
# shellcheck disable=SC2086
p_gone=$(gone_ms "$t3" $p_pids)
echo "rm -f of the $N containers (one command each): berth $(((t1 - t0) / 1000000)) ms, podman $(((t3 - t2) / 1000000)) ms; left: berth $("${B[@]}" ps -a -q | wc -l), podman $("${PM[@]}" ps -a -q | wc -l)"
echo "all monitors exited (zombie or gone) after rm -f returned: berth $b_gone, podman $p_gone"
echo "(TSV: $OUT/monitor-rss.tsv)"
