#!/usr/bin/env bats
# ps, pause/resume, update and events --stats on a live container (cgroup v1 host).

load helpers

cg() { echo "/sys/fs/cgroup/$1/$CG_PARENT/c1"; }

# The host's $SHARED as /shared, read-write.
share() {
	cfg --arg s "$SHARED" '.mounts += [{"destination": "/shared", "type": "bind", "source": $s, "options": ["rbind", "rw"]}]'
}

# Start c1 running SCRIPT under busybox sh.
start_sh() {
	args /bin/sh -c "$1"
	create c1
	rt start c1
	wait_status c1 running
}

# The integer in FILE, 0 while it is missing or half-written.
counter() { cat "$1" 2>/dev/null | grep -x '[0-9]*' || echo 0; }

@test "ps --format json lists the init and its child by host pid" {
	start_sh '/probe sleep 30 & exec /probe sleep 30'
	pid=$(cat "$E2E_TMP/c1.pid")
	for _ in $(seq 50); do
		[ "$(rt ps --format json c1 | jq length)" = 2 ] && break
		sleep 0.05
	done
	run --separate-stderr rt ps --format json c1
	[ "$status" -eq 0 ]
	[ "$(jq length <<<"$output")" = 2 ]
	jq -e --argjson p "$pid" 'index($p) != null' <<<"$output"
	# Every pid is a host pid in the container's cgroup.
	for p in $(jq '.[]' <<<"$output"); do
		grep -qx "$p" "$(cg pids)/cgroup.procs"
	done
}

@test "ps: the host's ps -ef lines of the container, with the header" {
	start_sh 'exec /probe sleep 30'
	pid=$(cat "$E2E_TMP/c1.pid")
	run --separate-stderr rt ps c1
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == UID*PID*CMD ]]
	[ "${#lines[@]}" -eq 2 ]
	[ "$(awk '{print $2}' <<<"${lines[1]}")" = "$pid" ]
	# ps options after the id go to ps.
	run --separate-stderr rt ps c1 -o pid,comm
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == *PID*COMMAND* ]]
	[[ "$output" == *"$pid probe"* ]]
}

@test "ps on an unknown container fails" {
	run --separate-stderr rt ps --format json nosuch
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"does not exist"* ]]
}

@test "pause freezes the container, resume thaws it" {
	share
	start_sh 'i=0; while :; do i=$((i+1)); echo $i >/shared/n.tmp; mv /shared/n.tmp /shared/n; sleep 0.02; done'
	wait_file "$SHARED/n"
	rt pause c1
	[ "$(status_of c1)" = paused ]
	[ "$(cat "$(cg freezer)/freezer.state")" = FROZEN ]
	before=$(counter "$SHARED/n")
	sleep 0.5
	[ "$(counter "$SHARED/n")" = "$before" ]
	# Paused processes are still listed.
	[ "$(rt ps --format json c1 | jq length)" -ge 1 ]
	rt resume c1
	[ "$(status_of c1)" = running ]
	for _ in $(seq 100); do
		[ "$(counter "$SHARED/n")" -gt "$before" ] && break
		sleep 0.05
	done
	[ "$(counter "$SHARED/n")" -gt "$before" ]
}

@test "resume a running container, pause a paused or stopped one: errors" {
	args /probe sleep 30
	create c1
	rt start c1
	wait_status c1 running
	run --separate-stderr rt resume c1
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"not paused"* ]]
	[ "$(status_of c1)" = running ]
	rt pause c1
	run --separate-stderr rt pause c1
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"not running"* ]]
	[ "$(status_of c1)" = paused ]
	rt resume c1
	rt kill c1 KILL
	wait_status c1 stopped
	run --separate-stderr rt pause c1
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"not running"* ]]
}

@test "a paused container can be killed and deleted" {
	args /probe sleep 30
	create c1
	rt start c1
	rt pause c1
	rt delete --force c1
	run rt state c1
	[ "$status" -ne 0 ]
}

@test "update --memory changes the limit on the host and inside" {
	share
	cfg '.linux.resources.memory = {"limit": 67108864}'
	start_sh 'while [ ! -e /shared/go ]; do sleep 0.02; done; cat /sys/fs/cgroup/memory/memory.limit_in_bytes >/shared/limit; exec /probe sleep 30'
	[ "$(cat "$(cg memory)/memory.limit_in_bytes")" = 67108864 ]
	rt update --memory 134217728 c1
	[ "$(cat "$(cg memory)/memory.limit_in_bytes")" = 134217728 ]
	touch "$SHARED/go"
	wait_file "$SHARED/limit"
	[ "$(cat "$SHARED/limit")" = 134217728 ]
	# Units, as docker's: 96m.
	rt update --memory 96m c1
	[ "$(cat "$(cg memory)/memory.limit_in_bytes")" = 100663296 ]
}

@test "update cpu, cpuset and pids flags" {
	start_sh 'exec /probe sleep 30'
	rt update --cpu-share 512 --cpu-period 100000 --cpu-quota 50000 --pids-limit 42 --cpuset-cpus 0 c1
	[ "$(cat "$(cg cpu)/cpu.shares")" = 512 ]
	[ "$(cat "$(cg cpu)/cpu.cfs_period_us")" = 100000 ]
	[ "$(cat "$(cg cpu)/cpu.cfs_quota_us")" = 50000 ]
	[ "$(cat "$(cg pids)/pids.max")" = 42 ]
	[ "$(cat "$(cg cpuset)/cpuset.cpus")" = 0 ]
	rt update --pids-limit -1 c1
	[ "$(cat "$(cg pids)/pids.max")" = max ]
}

@test "update -r FILE and -r - (stdin) with a linux.resources object" {
	start_sh 'exec /probe sleep 30'
	echo '{"memory": {"limit": 50331648}, "cpu": {"shares": 256}, "pids": {"limit": 17}}' >"$E2E_TMP/r.json"
	rt update -r "$E2E_TMP/r.json" c1
	[ "$(cat "$(cg memory)/memory.limit_in_bytes")" = 50331648 ]
	[ "$(cat "$(cg cpu)/cpu.shares")" = 256 ]
	[ "$(cat "$(cg pids)/pids.max")" = 17 ]
	echo '{"pids": {"limit": 23}}' | rt update --resources - c1
	[ "$(cat "$(cg pids)/pids.max")" = 23 ]
	# The document wins over the flags (runc ignores them).
	echo '{"pids": {"limit": 29}}' | rt update -r - --pids-limit 5 c1
	[ "$(cat "$(cg pids)/pids.max")" = 29 ]
}

@test "update with a malformed value or document fails and changes nothing" {
	cfg '.linux.resources.pids = {"limit": 42}'
	start_sh 'exec /probe sleep 30'
	run --separate-stderr rt update --pids-limit lots c1
	[ "$status" -ne 0 ]
	echo '{"pids": ' >"$E2E_TMP/bad.json"
	run --separate-stderr rt update -r "$E2E_TMP/bad.json" c1
	[ "$status" -ne 0 ]
	[ "$(cat "$(cg pids)/pids.max")" = 42 ]
}

@test "update on a stopped container fails" {
	cfg '.linux.resources.memory = {"limit": 67108864}'
	args /probe exit 0
	create c1
	rt start c1
	wait_status c1 stopped
	run --separate-stderr rt update --memory 134217728 c1
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"not running"* ]]
	if [ -e "$(cg memory)/memory.limit_in_bytes" ]; then
		[ "$(cat "$(cg memory)/memory.limit_in_bytes")" = 67108864 ]
	fi
}

@test "events --stats prints one stats record" {
	cfg '.linux.resources.memory = {"limit": 67108864}'
	start_sh '/probe sleep 30 & exec /probe sleep 30'
	for _ in $(seq 50); do
		[ "$(rt ps --format json c1 | jq length)" = 2 ] && break
		sleep 0.05
	done
	run --separate-stderr rt events --stats c1
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	jq -e '.type == "stats" and .id == "c1"' <<<"$output"
	jq -e '.data.memory.usage.usage > 0 and .data.memory.usage.limit == 67108864' <<<"$output"
	jq -e '.data.pids.current == 2' <<<"$output"
	jq -e '.data.cpu.usage.total > 0 and (.data.cpu.usage.percpu | length) > 0' <<<"$output"
	jq -e '.data.memory.raw.total_rss != null' <<<"$output"
}

@test "events streams every --interval until the container is gone" {
	start_sh 'exec /probe sleep 30'
	rt events --interval 100ms c1 >"$E2E_TMP/events" 2>"$E2E_TMP/events.err" &
	events_pid=$!
	for _ in $(seq 100); do
		[ "$(wc -l <"$E2E_TMP/events")" -ge 3 ] && break
		sleep 0.05
	done
	[ "$(wc -l <"$E2E_TMP/events")" -ge 3 ]
	jq -se 'all(.type == "stats" and .id == "c1")' <"$E2E_TMP/events"
	rt delete --force c1
	for _ in $(seq 100); do
		kill -0 "$events_pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$events_pid" 2>/dev/null; then
		kill "$events_pid"
		echo "events did not stop with the container" >&2
		false
	fi
}

@test "events --stats on a stopped container fails" {
	args /probe exit 0
	create c1
	rt start c1
	wait_status c1 stopped
	run --separate-stderr rt events --stats c1
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"not running"* ]]
}
