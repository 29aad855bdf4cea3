#!/usr/bin/env bats
# create / start / state / kill / delete / list / run, as runc defines them.

load helpers

@test "create: pid file is bare decimal, state is created, the program has not run" {
	cfg '.mounts += [{"destination": "/shared", "type": "bind", "source": "'"$SHARED"'", "options": ["rbind", "rw"]}]'
	args /probe write /shared/ran
	create c1
	pidfile=$E2E_TMP/c1.pid
	[[ "$(cat "$pidfile")" =~ ^[1-9][0-9]*$ ]]
	pid=$(cat "$pidfile")
	# $(...) strips a trailing newline: equal sizes mean there was none.
	[ "$(wc -c <"$pidfile")" -eq "${#pid}" ]
	[ -d "/proc/$(cat "$pidfile")" ]
	[ "$(status_of c1)" = created ]
	sleep 0.2
	[ ! -e "$SHARED/ran" ]
	rt start c1
	wait_file "$SHARED/ran"
	[ "$(cat "$SHARED/ran")" = probe ]
}

@test "start: created -> running, then kill KILL -> stopped, delete removes it" {
	args /probe sleep 30
	create c1
	rt start c1
	[ "$(status_of c1)" = running ]
	rt kill c1 KILL
	wait_status c1 stopped
	rt delete c1
	run rt state c1
	[ "$status" -ne 0 ]
	[ -z "$(rt list -q)" ]
}

@test "state: JSON has ociVersion, id, pid, status, bundle, absolute rootfs, RFC3339 created, annotations" {
	cfg '.annotations = {"org.berth.test": "yes", "b": "2"}'
	args /probe sleep 30
	create c1
	run rt state c1
	[ "$status" -eq 0 ]
	state=$output
	[ -n "$(jq -r .ociVersion <<<"$state")" ]
	[ "$(jq -r .id <<<"$state")" = c1 ]
	[ "$(jq -r .pid <<<"$state")" = "$(cat "$E2E_TMP/c1.pid")" ]
	[ "$(jq -r .status <<<"$state")" = created ]
	[ "$(jq -r .bundle <<<"$state")" = "$BUNDLE" ]
	rootfs=$(jq -r .rootfs <<<"$state")
	[[ "$rootfs" == /* ]]
	[ "$(readlink -f "$rootfs")" = "$(readlink -f "$ROOTFS")" ]
	[[ "$(jq -r .created <<<"$state")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$ ]]
	[ "$(jq -r '.annotations["org.berth.test"]' <<<"$state")" = yes ]
	[ "$(jq -r '.annotations.b' <<<"$state")" = 2 ]
}

@test "start twice fails" {
	args /probe sleep 30
	create c1
	rt start c1
	run --separate-stderr rt start c1
	[ "$status" -ne 0 ]
	[ "$(status_of c1)" = running ]
}

@test "delete of a running container fails without --force, works with it" {
	args /probe sleep 30
	create c1
	rt start c1
	pid=$(cat "$E2E_TMP/c1.pid")
	run --separate-stderr rt delete c1
	[ "$status" -ne 0 ]
	[ "$(status_of c1)" = running ]
	rt delete --force c1
	run rt state c1
	[ "$status" -ne 0 ]
	for _ in $(seq 50); do [ -d "/proc/$pid" ] || break; sleep 0.05; done
	[ ! -d "/proc/$pid" ]
}

@test "delete of a created (never started) container works and the program never runs" {
	cfg '.mounts += [{"destination": "/shared", "type": "bind", "source": "'"$SHARED"'", "options": ["rbind", "rw"]}]'
	args /probe write /shared/ran
	create c1
	pid=$(cat "$E2E_TMP/c1.pid")
	rt delete --force c1
	for _ in $(seq 50); do [ -d "/proc/$pid" ] || break; sleep 0.05; done
	[ ! -d "/proc/$pid" ]
	[ ! -e "$SHARED/ran" ]
	[ -z "$(rt list -q)" ]
}

@test "delete --force of an unknown id exits 0, plain delete fails" {
	run rt delete --force nosuchcontainer
	[ "$status" -eq 0 ]
	run --separate-stderr rt delete nosuchcontainer
	[ "$status" -ne 0 ]
}

@test "kill with a signal number: 15" {
	args /probe sleep 30
	create c1
	rt start c1
	rt kill c1 15
	wait_status c1 stopped
}

@test "kill with a signal name: TERM" {
	args /probe sleep 30
	create c1
	rt start c1
	rt kill c1 TERM
	wait_status c1 stopped
}

@test "kill with a signal name: SIGTERM" {
	args /probe sleep 30
	create c1
	rt start c1
	rt kill c1 SIGTERM
	wait_status c1 stopped
}

@test "kill without a signal sends SIGTERM" {
	args /probe sleep 30
	create c1
	rt start c1
	rt kill c1
	wait_status c1 stopped
}

@test "kill --all reaches every process of the container" {
	args /bin/sh -c '/probe sleep 30 & /probe sleep 30 & wait'
	create c1
	rt start c1
	sleep 0.2
	procs=/sys/fs/cgroup/pids/$CG_PARENT/c1/cgroup.procs
	for _ in $(seq 50); do [ "$(wc -l <"$procs")" -eq 3 ] && break; sleep 0.05; done
	cat "$procs"
	[ "$(wc -l <"$procs")" -eq 3 ]
	rt kill --all c1 KILL
	wait_status c1 stopped
	for _ in $(seq 50); do [ -z "$(cat /sys/fs/cgroup/pids/"$CG_PARENT"/c1/cgroup.procs)" ] && break; sleep 0.05; done
	[ -z "$(cat /sys/fs/cgroup/pids/"$CG_PARENT"/c1/cgroup.procs)" ]
}

@test "list, list -q and list --format json" {
	args /probe sleep 30
	create c1
	create c2
	rt start c2
	run rt list -q
	[ "$status" -eq 0 ]
	[ "$(sort <<<"$output" | tr '\n' ' ')" = "c1 c2 " ]
	run rt list
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == ID* ]]
	grep -E "^c1 +[0-9]+ +created +$BUNDLE" <<<"$output"
	grep -E "^c2 +[0-9]+ +running +$BUNDLE" <<<"$output"
	run rt list --format json
	[ "$status" -eq 0 ]
	[ "$(jq -r 'map(select(.id == "c1"))[0].status' <<<"$output")" = created ]
	[ "$(jq -r 'map(select(.id == "c2"))[0].status' <<<"$output")" = running ]
	[ "$(jq -r 'map(select(.id == "c2"))[0].pid' <<<"$output")" = "$(cat "$E2E_TMP/c2.pid")" ]
}

@test "list -q of an empty root prints nothing" {
	run rt list -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "run: foreground, the container's output and exit code propagate" {
	probe_run exit 3
	[ "$status" -eq 3 ]
	probe_run hostname
	[ "$status" -eq 0 ]
	[ "$output" = berth-e2e ]
}

@test "run -d: detached, pid file written, container running" {
	args /probe sleep 30
	use_id c1
	rt run -d --bundle "$BUNDLE" --pid-file "$E2E_TMP/c1.pid" c1 </dev/null >/dev/null 2>&1 3>&-
	[[ "$(cat "$E2E_TMP/c1.pid")" =~ ^[1-9][0-9]*$ ]]
	[ "$(status_of c1)" = running ]
	[ "$(rt state c1 | jq -r .pid)" = "$(cat "$E2E_TMP/c1.pid")" ]
}
