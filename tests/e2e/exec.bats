#!/usr/bin/env bats
# exec: a new process in a running container's namespaces and cgroups.

load helpers

RECV=$REPO_DIR/tests/clients/console-socket-recv.py

# A running container c1 whose init sleeps.
start_sleeper() {
	cfg '.hostname = "exec-box"'
	args /probe sleep 30
	create c1
	rt start c1
	wait_status c1 running
	INIT=$(rt state c1 | jq .pid)
}

@test "exec: runs in the container's uts, pid and mount namespaces; the exit code propagates" {
	start_sleeper
	run rt exec c1 /bin/sh -c 'hostname; /probe pid; test -e /probe && echo in-root; exit 7' </dev/null
	echo "$output"
	[ "$status" -eq 7 ]
	[ "${lines[0]}" = exec-box ]
	[ "${lines[1]}" -gt 1 ]
	[ "${lines[2]}" = in-root ]
	# the same pid namespace: the container's init is pid 1 there
	run rt exec c1 /bin/sh -c 'cat /proc/1/cmdline | tr "\0" " "' </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == "/probe sleep 30"* ]]
}

@test "exec: the command's own flags are not the runtime's" {
	start_sleeper
	run rt exec c1 ls -la /probe </dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"/probe"* ]]
}

@test "exec: --env, --cwd, --user and --additional-gids" {
	start_sleeper
	run rt exec --env FOO=bar --cwd /tmp --user 1000:1001 --additional-gids 5 c1 /bin/sh -c 'echo "$FOO"; pwd; /probe ids' </dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = bar ]
	[ "${lines[1]}" = /tmp ]
	[[ "${lines[2]}" == "uid=1000 euid=1000 gid=1001 egid=1001 groups=5"* ]]
}

@test "exec: --process FILE as podman and containerd pass it" {
	start_sleeper
	cat >"$E2E_TMP/process.json" <<-'JSON'
		{"args": ["/bin/sh", "-c", "echo $ONLY; pwd; exit 3"], "env": ["ONLY=this", "PATH=/bin"],
		 "cwd": "/dev", "user": {"uid": 0, "gid": 0}, "terminal": false}
	JSON
	run rt exec --process "$E2E_TMP/process.json" c1 </dev/null
	echo "$output"
	[ "$status" -eq 3 ]
	[ "${lines[0]}" = this ]
	[ "${lines[1]}" = /dev ]
}

@test "exec: -d --pid-file: bare pid, the process is in the container's cgroup" {
	start_sleeper
	rt exec -d --pid-file "$E2E_TMP/exec.pid" c1 /probe sleep 20 </dev/null >/dev/null 2>&1 3>&-
	pid=$(cat "$E2E_TMP/exec.pid")
	[[ "$pid" =~ ^[0-9]+$ ]]
	[ "$(wc -l <"$E2E_TMP/exec.pid")" -eq 0 ]
	grep -q ":memory:/$CG_PARENT/c1\$" "/proc/$pid/cgroup"
	[ "$(readlink "/proc/$pid/ns/pid")" = "$(readlink "/proc/$INIT/ns/pid")" ]
	[ "$(readlink "/proc/$pid/ns/mnt")" = "$(readlink "/proc/$INIT/ns/mnt")" ]
	[ "$(readlink "/proc/$pid/ns/net")" = "$(readlink "/proc/$INIT/ns/net")" ]
}

@test "exec: no descriptor of the runtime leaks into the process" {
	start_sleeper
	run rt exec c1 /probe fds </dev/null 7</dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "0 1 2" ]
}

@test "exec: joins the container's user namespace" {
	chown 100000:100000 "$SHARED"
	cfg '.linux.namespaces += [{"type": "user"}]
		| .linux.uidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .linux.gidMappings = [{"containerID": 0, "hostID": 100000, "size": 65536}]
		| .mounts |= map(select(.destination != "/sys/fs/cgroup"))'
	start_sleeper
	run rt exec c1 /bin/sh -c 'cat /proc/self/uid_map; /probe ids' </dev/null
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(awk '{print $1, $2, $3}' <<<"${lines[0]}")" = "0 100000 65536" ]
	[[ "${lines[1]}" == "uid=0 euid=0 gid=0"* ]]
}

@test "exec: --tty --console-socket sends the pty master" {
	start_sleeper
	SOCK=$E2E_TMP/console.sock
	python3 "$RECV" "$SOCK" --send "" --timeout 5 >"$E2E_TMP/recv.json" 2>"$E2E_TMP/recv.err" </dev/null 3>&- &
	RECV_PID=$!
	wait_path "$SOCK.ready"
	rt exec -d --tty --console-socket "$SOCK" --pid-file "$E2E_TMP/exec.pid" c1 /probe tty </dev/null >/dev/null 2>&1 3>&-
	wait "$RECV_PID"
	report=$(cat "$E2E_TMP/recv.json")
	[ "$(jq -r .is_pty_master <<<"$report")" = true ]
	out=$(jq -r .pty_output <<<"$report" | tr -d '\r')
	echo "$out"
	grep -Ex '0 tty /dev/pts/[0-9]+' <<<"$out"
}

@test "exec into a stopped or unknown container fails with one line" {
	args /probe exit 0
	create c1
	rt start c1
	wait_status c1 stopped
	run --separate-stderr rt exec c1 /bin/true
	[ "$status" -ne 0 ]
	assert_one_line_error
	run --separate-stderr rt exec nosuch /bin/true
	[ "$status" -ne 0 ]
	assert_one_line_error
}

@test "exec of a missing command fails and says so" {
	start_sleeper
	run --separate-stderr rt exec c1 /no/such/binary
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"no such file or directory"* ]]
}
