#!/usr/bin/env bats
# process.terminal with --console-socket: the pty master goes to the socket,
# the container's stdio and /dev/console are the slave.

load helpers

RECV=$REPO_DIR/tests/clients/console-socket-recv.py

# Start the receiver in the background; sets SOCK and RECV_PID.
start_receiver() {
	SOCK=$E2E_TMP/console.sock
	python3 "$RECV" "$SOCK" --send "" --timeout 5 >"$E2E_TMP/recv.json" 2>"$E2E_TMP/recv.err" </dev/null 3>&- &
	RECV_PID=$!
	wait_path "$SOCK.ready"
}

@test "terminal: the master arrives on the console socket, stdio and /dev/console are the pty" {
	cfg '.process.terminal = true | .process.consoleSize = {"height": 40, "width": 100}'
	args /bin/sh -c '/probe tty; /probe stat /dev/console'
	start_receiver
	create c1 --console-socket "$SOCK"
	rt start c1
	wait "$RECV_PID"
	report=$(cat "$E2E_TMP/recv.json")
	[ "$(jq -r .nfds <<<"$report")" = 1 ]
	[ "$(jq -r .is_pty_master <<<"$report")" = true ]
	[ "$(jq -c .winsize <<<"$report")" = "[40,100]" ]
	out=$(jq -r .pty_output <<<"$report" | tr -d '\r')
	echo "$out"
	grep -Ex '0 tty /dev/pts/[0-9]+' <<<"$out"
	grep -Ex '1 tty /dev/pts/[0-9]+' <<<"$out"
	grep -Ex '2 tty /dev/pts/[0-9]+' <<<"$out"
	grep -Ex 'type=chr mode=0[0-7]{3} rdev=136:[0-9]+ .*' <<<"$out"
}

@test "terminal: the container's stdin is the pty (input reaches it)" {
	cfg '.process.terminal = true'
	args /bin/sh -c 'read line; echo "got:$line"'
	SOCK=$E2E_TMP/console.sock
	python3 "$RECV" "$SOCK" --send 'hello\n' --timeout 5 >"$E2E_TMP/recv.json" 2>"$E2E_TMP/recv.err" </dev/null 3>&- &
	RECV_PID=$!
	wait_path "$SOCK.ready"
	create c1 --console-socket "$SOCK"
	rt start c1
	wait "$RECV_PID"
	jq -r .pty_output "$E2E_TMP/recv.json" | tr -d '\r' | grep -x 'got:hello'
}

@test "terminal without --console-socket fails on create" {
	cfg '.process.terminal = true'
	run --separate-stderr create c1
	[ "$status" -ne 0 ]
	[ -n "$stderr" ]
	assert_clean c1
}

@test "no terminal: stdio are not ttys" {
	probe_run tty
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '0 notty\n1 notty\n2 notty')" ]
}
