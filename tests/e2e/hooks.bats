#!/usr/bin/env bats
# OCI hooks: order, the state on stdin, where they run, timeouts.

load helpers

# A hook that appends "NAME <state JSON from stdin>" to LOG (a path as the hook sees it).
hook_json() { # NAME LOG
	jq -nc --arg n "$1" --arg log "$2" \
		'{"path": "/bin/sh", "args": ["sh", "-c", "{ printf \"%s \" \"$0\"; cat; echo; } >>" + $log, $n]}'
}

add_hook() { # KIND LOG
	cfg --arg k "$1" --argjson h "$(hook_json "$1" "$2")" '.hooks[$k] += [$h]'
}

setup_hooks() {
	cfg --arg s "$SHARED" '.mounts += [{"destination": "/shared", "type": "bind", "source": $s, "options": ["rbind", "rw"]}]'
	LOG=$SHARED/hooks.log
	add_hook prestart "$LOG"
	add_hook createRuntime "$LOG"
	add_hook createContainer "$LOG"
	# startContainer runs in the container: the log is seen through the bind mount.
	add_hook startContainer /shared/hooks.log
	add_hook poststart "$LOG"
	add_hook poststop "$LOG"
}

@test "hooks run in order, each with the state JSON on stdin" {
	setup_hooks
	args /probe exit 0
	create c1
	# runc 1.1.5 runs poststart during create (fixed in runc 1.2); the spec says after start.
	if is_runc; then
		at_create="prestart createRuntime createContainer poststart "
		all="${at_create}startContainer poststop "
	else
		at_create="prestart createRuntime createContainer "
		all="${at_create}startContainer poststart poststop "
	fi
	[ "$(cut -d' ' -f1 "$LOG" | tr '\n' ' ')" = "$at_create" ]
	rt start c1
	wait_status c1 stopped
	rt delete c1
	[ "$(cut -d' ' -f1 "$LOG" | tr '\n' ' ')" = "$all" ]
	pid=$(cat "$E2E_TMP/c1.pid")
	while read -r name state; do
		[ "$(jq -r .id <<<"$state")" = c1 ] || { echo "$name: bad id in $state" >&2; false; }
		[ "$(jq -r .bundle <<<"$state")" = "$BUNDLE" ] || { echo "$name: bad bundle in $state" >&2; false; }
		[ -n "$(jq -r .ociVersion <<<"$state")" ]
		st=$(jq -r .status <<<"$state")
		case $name in
		prestart | createRuntime)
			[[ "$st" =~ ^(creating|created)$ ]] || { echo "$name: status $st" >&2; false; }
			[ "$(jq -r .pid <<<"$state")" = "$pid" ] || { echo "$name: pid in $state" >&2; false; }
			;;
		createContainer | startContainer)
			[[ "$st" =~ ^(creating|created)$ ]] || { echo "$name: status $st" >&2; false; }
			jq -e '.pid > 0' <<<"$state" >/dev/null || { echo "$name: pid in $state" >&2; false; }
			;;
		poststart)
			[[ "$st" =~ ^(created|running)$ ]] || { echo "$name: status $st" >&2; false; }
			[ "$(jq -r .pid <<<"$state")" = "$pid" ] || { echo "$name: pid in $state" >&2; false; }
			;;
		poststop)
			[ "$st" = stopped ] || { echo "$name: status $st" >&2; false; }
			;;
		esac
	done <"$LOG"
}

@test "createContainer and startContainer hooks run in the container's namespaces" {
	cfg --arg s "$SHARED" '.mounts += [{"destination": "/shared", "type": "bind", "source": $s, "options": ["rbind", "rw"]}]
		| .hostname = "hooked"'
	cfg --arg f "$SHARED/create-ns" '.hooks.createContainer = [{"path": "/bin/sh", "args": ["sh", "-c",
		"readlink /proc/self/ns/mnt /proc/self/ns/net /proc/self/ns/pid > " + $f]}]'
	cfg '.hooks.startContainer = [{"path": "/bin/sh", "args": ["sh", "-c",
		"{ readlink /proc/self/ns/mnt; readlink /proc/self/ns/net; hostname; } > /shared/start-ns"]}]'
	args /probe exit 0
	create c1
	pid=$(cat "$E2E_TMP/c1.pid")
	[ "$(sed -n 1p "$SHARED/create-ns")" = "$(readlink "/proc/$pid/ns/mnt")" ]
	[ "$(sed -n 2p "$SHARED/create-ns")" = "$(readlink "/proc/$pid/ns/net")" ]
	[ "$(sed -n 3p "$SHARED/create-ns")" = "$(readlink "/proc/$pid/ns/pid")" ]
	[ "$(sed -n 1p "$SHARED/create-ns")" != "$(readlink /proc/self/ns/mnt)" ]
	mnt=$(readlink "/proc/$pid/ns/mnt")
	net=$(readlink "/proc/$pid/ns/net")
	rt start c1
	wait_status c1 stopped
	[ "$(cat "$SHARED/start-ns")" = "$(printf '%s\n%s\nhooked' "$mnt" "$net")" ]
}

@test "poststop runs on delete of a killed container" {
	cfg --arg f "$SHARED/poststop" '.hooks.poststop = [{"path": "/bin/sh", "args": ["sh", "-c", "cat > " + $f]}]'
	args /probe sleep 30
	create c1
	rt start c1
	rt delete --force c1
	[ "$(jq -r .id "$SHARED/poststop")" = c1 ]
}

@test "a failing createRuntime hook fails create and leaves nothing behind" {
	cfg '.hooks.createRuntime = [{"path": "/bin/false", "args": ["false"]}]'
	args /probe pid
	run --separate-stderr create c1
	[ "$status" -ne 0 ]
	[ -n "$stderr" ]
	assert_clean c1
}

@test "a hook that outlives its timeout fails create" {
	cfg '.hooks.createRuntime = [{"path": "/bin/sleep", "args": ["sleep", "5"], "timeout": 1}]'
	args /probe pid
	start=$(date +%s)
	run --separate-stderr create c1
	[ "$status" -ne 0 ]
	[ $(($(date +%s) - start)) -lt 5 ]
	assert_clean c1
}

@test "hook env and args are passed" {
	cfg --arg f "$SHARED/env" '.hooks.prestart = [{"path": "/bin/sh", "args": ["sh", "-c", "echo \"$1 $HOOKVAR\" > " + $f, "sh", "arg1"], "env": ["HOOKVAR=val"]}]'
	args /probe pid
	create c1
	[ "$(cat "$SHARED/env")" = "arg1 val" ]
}
