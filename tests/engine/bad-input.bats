#!/usr/bin/env bats
# Engine errors: exit 125, one lower-case line "Error: ..." on stderr, nothing left behind
# (no container, no name, empty store tmp and staging directories). Each test on its own --root.

load helpers

# expect_refused ARGS...: `berth run --rm ARGS... true` exits 125 with one error line and
# leaves nothing; prints what was wrong and returns 1 otherwise (all cases are checked).
expect_refused() {
	local rc=0 err
	err=$("$BERTH" --root "$ROOT" run --rm "$@" 2>&1 >/dev/null 3>&-) || rc=$?
	local why=""
	[ "$rc" -eq 125 ] || why="exit $rc (want 125)"
	[ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] || why="$why; not one line"
	[[ $err == "Error: "[!A-Z]* ]] || why="$why; not 'Error: <lower-case>'"
	[ -z "$(berth ps -aq)" ] || why="$why; a container was left: $(berth ps -a --format '{{.Names}} {{.Status}}')"
	[ -z "$(ls -A "$ROOT/tmp" 2>/dev/null)" ] || why="$why; left in tmp: $(ls -A "$ROOT/tmp")"
	[ -z "$(ls -A "$ROOT/staging" 2>/dev/null)" ] || why="$why; left in staging: $(ls -A "$ROOT/staging")"
	[ -z "$why" ] && return 0
	printf 'run %s:\n  %s\n  stderr: %s\n' "$*" "$why" "$err" >&2
	berth rm -f $(berth ps -aq) >/dev/null 2>&1 || true
	return 1
}

@test "unknown image, with --pull never: 125, no pull attempted" {
	expect_refused --pull never nosuchimage
	run --separate-stderr berth run --pull never nosuchimage true
	expect_eq stderr "$stderr" "Error: no such image: nosuchimage"
}

@test "a name in use: 125 with docker's conflict message; the first container is untouched" {
	berth run -d --name taken busybox sleep 60 >/dev/null
	id=$(cid taken)
	run --separate-stderr berth run --name taken busybox true
	expect_status 125
	assert_error_line
	expect_eq stderr "$stderr" "Error: conflict: the container name \"/taken\" is already in use by container \"$id\""
	run --separate-stderr berth create --name taken busybox true
	expect_status 125
	expect_eq count "$(container_count)" 1
	expect_eq state "$(state_of taken)" running
}

@test "bad resource values: -m 12q, --cpus -1, --cpus=-1, --memory-swap < -m, --pids-limit abc, --cpu-shares abc" {
	failed=0
	expect_refused -m 12q busybox || failed=1
	expect_refused --memory 12q busybox || failed=1
	expect_refused --cpus -1 busybox || failed=1
	expect_refused --cpus=-1 busybox || failed=1
	expect_refused -m 10m --memory-swap 5m busybox || failed=1
	expect_refused --pids-limit abc busybox || failed=1
	expect_refused --cpu-shares abc busybox || failed=1
	expect_refused --cpuset-cpus x busybox || failed=1
	expect_refused --ulimit nofile=abc busybox || failed=1
	[ $failed = 0 ]
}

@test "bad volumes and mounts: -v without destination, relative paths, unknown --mount type" {
	failed=0
	expect_refused -v /tmp: busybox || failed=1
	expect_refused -v :/x busybox || failed=1
	expect_refused -v /tmp:relative busybox || failed=1
	expect_refused --mount type=foo,target=/x busybox || failed=1
	expect_refused --mount type=bind,target=/x busybox || failed=1
	expect_refused --tmpfs relative busybox || failed=1
	[ $failed = 0 ]
	[ -z "$(berth volume ls -q)" ]
}

@test "bad options: --restart, --security-opt, --log-opt, --log-driver, --network, --stop-signal, --cap-add" {
	failed=0
	expect_refused --restart sometimes busybox || failed=1
	expect_refused --restart on-failure:x busybox || failed=1
	expect_refused --security-opt bogus busybox || failed=1
	expect_refused --security-opt seccomp=/nonexistent/profile.json busybox || failed=1
	expect_refused --log-opt max-size=abc busybox || failed=1
	expect_refused --log-opt bogus=1 busybox || failed=1
	expect_refused --log-driver syslog busybox || failed=1
	expect_refused --network nosuch busybox || failed=1
	expect_refused --stop-signal BOGUS busybox || failed=1
	expect_refused --cap-add NOT_A_CAP busybox || failed=1
	[ $failed = 0 ]
}

@test "bad identity and environment: --name, -w relative, -e =x, --env-file missing, -u unknown user" {
	failed=0
	expect_refused --name bad/name busybox || failed=1
	expect_refused --name x busybox || failed=1
	expect_refused -w relative busybox || failed=1
	expect_refused -e =x busybox || failed=1
	expect_refused --env-file /nonexistent/env busybox || failed=1
	expect_refused -u nosuchuser busybox || failed=1
	[ $failed = 0 ]
}

@test "an unknown flag is 125 with one error line" {
	expect_refused --bogus-flag busybox
}

@test "commands on a missing container fail with 'no such container' (exit 1)" {
	failed=0
	for cmd in start stop kill restart rm pause unpause wait logs top attach port; do
		[ "$cmd" = port ] && continue
		rc=0
		err=$("$BERTH" --root "$ROOT" $cmd nope 2>&1 >/dev/null 3>&-) || rc=$?
		if [ "$rc" -ne 1 ] || [ "$err" != "Error: no such container: nope" ]; then
			printf '%s nope: exit %s, stderr: %s\n' "$cmd" "$rc" "$err" >&2
			failed=1
		fi
	done
	run --separate-stderr berth exec nope true
	[ "$status" -ne 0 ] && [ "$stderr" = "Error: no such container: nope" ] || { echo "exec nope: $status $stderr" >&2; failed=1; }
	run --separate-stderr berth rename nope other
	[ "$status" -ne 0 ] && [ "$stderr" = "Error: no such container: nope" ] || { echo "rename nope: $status $stderr" >&2; failed=1; }
	[ $failed = 0 ]
}

@test "start of a running container is a no-op; stop of a stopped one succeeds; unpause of a running one fails" {
	berth run -d --name up busybox sleep 60 >/dev/null
	pid=$(berth inspect -f '{{.State.Pid}}' up)
	run berth start up
	expect_status 0
	expect_eq pid "$(berth inspect -f '{{.State.Pid}}' up)" "$pid"
	run --separate-stderr berth unpause up
	expect_status 1
	assert_error_line
	berth run --name down busybox true
	run berth stop down
	expect_status 0
	run --separate-stderr berth pause down
	expect_status 1
	assert_error_line
}
