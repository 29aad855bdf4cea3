#!/usr/bin/env bats
# linux.seccomp: actions, errno values, argument comparisons, podman's default profile, and
# bad profiles that must fail `create` cleanly.

load helpers

# The linux.seccomp object of podman's create config (clients/examples/podman-create-config.json).
PODMAN_PROFILE=$REPO_DIR/Tests/SeccompTests/Fixtures/podman-default-seccomp.json

# seccomp JSON: set linux.seccomp to the given object.
seccomp() {
	cfg --argjson s "$1" '.linux.seccomp = $s'
}

# An allow-by-default profile whose syscalls are the JSON array $1.
allow_but() {
	seccomp "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86_64\", \"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"], \"syscalls\": $1}"
}

@test "seccomp: mkdir denied with SCMP_ACT_ERRNO errnoRet 1 (EPERM), touch still works" {
	allow_but '[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]'
	sh_run 'touch /tmp/file && echo touched; mkdir /tmp/dir'
	[ "$status" -ne 0 ]
	[[ "$output" == *touched* ]]
	[[ "$output" == *"Operation not permitted"* ]]
}

@test "seccomp: SCMP_ACT_ERRNO without errnoRet is EPERM, errnoRet picks the errno" {
	allow_but '[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"},
		{"names": ["rmdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13}]'
	sh_run 'mkdir /tmp/a; rmdir /tmp'
	[[ "$output" == *"mkdir: can't create directory '/tmp/a': Operation not permitted"* ]]
	[[ "$output" == *"Permission denied"* ]]
}

@test "seccomp: defaultErrnoRet is the errno of the default action" {
	# podman's allow list without mkdir, with EACCES for everything it does not list.
	seccomp "$(jq '.defaultErrnoRet = 13 | .syscalls |= map(.names -= ["mkdir", "mkdirat"])' "$PODMAN_PROFILE")"
	sh_run 'echo before; mkdir /tmp/dir'
	[ "$status" -ne 0 ]
	[[ "$output" == *before* ]]
	[[ "$output" == *"Permission denied"* ]]
}

@test "seccomp: an argument comparison denies personality(PER_LINUX32) only" {
	# PER_LINUX32 is 8; linux64 asks for PER_LINUX (0).
	allow_but '[{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}]}]'
	sh_run 'linux64 echo linux64 ok; linux32 echo linux32 ok'
	[[ "$output" == *"linux64 ok"* ]]
	[[ "$output" != *"linux32 ok"* ]]
	[[ "$output" == *"Operation not permitted"* ]]
}

@test "seccomp: two conditions on the same argument are ORed (separate rules)" {
	allow_but '[{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [
		{"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}]}]'
	sh_run 'linux64 echo linux64 ok; linux32 echo linux32 ok; uname -s'
	[[ "$output" != *"linux64 ok"* ]]
	[[ "$output" != *"linux32 ok"* ]]
	[[ "$output" == *Linux* ]]
}

@test "seccomp: SCMP_CMP_MASKED_EQ compares (arg & value) with valueTwo" {
	# (persona & 0xff) == 8: PER_LINUX32 with any flags.
	allow_but '[{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [
		{"index": 0, "value": 255, "valueTwo": 8, "op": "SCMP_CMP_MASKED_EQ"}]}]'
	sh_run 'linux64 echo linux64 ok; linux32 echo linux32 ok'
	[[ "$output" == *"linux64 ok"* ]]
	[[ "$output" != *"linux32 ok"* ]]
}

@test "seccomp: SCMP_ACT_KILL_PROCESS kills the process with SIGSYS" {
	allow_but '[{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_KILL_PROCESS"}]'
	args /bin/mkdir /tmp/dir
	use_id k1
	run rt run --bundle "$BUNDLE" k1 </dev/null
	[ "$status" -eq $((128 + 31)) ]
}

@test "seccomp: podman's default profile lets a busybox shell run normally" {
	seccomp "$(cat "$PODMAN_PROFILE")"
	sh_run 'mkdir /tmp/d && touch /tmp/d/f && ls /tmp/d && ps -o pid,comm | head -3 && echo done'
	[ "$status" -eq 0 ]
	[[ "$output" == *done* ]]
}

@test "seccomp: podman's default profile without noNewPrivileges (loaded before capabilities drop)" {
	seccomp "$(cat "$PODMAN_PROFILE")"
	cfg '.process.noNewPrivileges = false'
	probe_run nnp
	[ "$status" -eq 0 ]
	[ "$output" = "0" ]
}

@test "seccomp: an unknown syscall name is skipped" {
	allow_but '[{"names": ["berth_no_such_syscall", "mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO"}]'
	sh_run 'mkdir /tmp/dir'
	[ "$status" -ne 0 ]
	[[ "$output" == *"Operation not permitted"* ]]
}

@test "seccomp: an unknown action fails create with a one-line error and leaves nothing behind" {
	allow_but '[{"names": ["mkdir"], "action": "SCMP_ACT_BOGUS"}]'
	run --separate-stderr create bad
	assert_one_line_error
	[[ "$stderr" == *SCMP_ACT_BOGUS* ]]
	assert_clean bad
}

@test "seccomp: an unknown architecture fails create and leaves nothing behind" {
	seccomp '{"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_VAX"]}'
	run --separate-stderr create bad
	assert_one_line_error
	[[ "$stderr" == *SCMP_ARCH_VAX* ]]
	assert_clean bad
}

@test "seccomp: SCMP_ACT_NOTIFY hands the listener and the process state to the agent at listenerPath" {
	AGENT_SOCK=$E2E_TMP/agent.sock
	python3 "$REPO_DIR/tests/lib/seccomp-agent.py" "$AGENT_SOCK" --timeout 10 >"$E2E_TMP/agent.json" 2>"$E2E_TMP/agent.err" </dev/null 3>&- &
	AGENT_PID=$!
	wait_path "$AGENT_SOCK.ready"
	cfg --arg p "$AGENT_SOCK" '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "listenerPath": $p,
		"listenerMetadata": "berth-test", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}'
	args /probe exit 0
	create c1
	wait "$AGENT_PID"
	report=$(cat "$E2E_TMP/agent.json")
	echo "$report"
	[ "$(jq -r .nfds <<<"$report")" = 1 ]
	[ "$(jq -r .fd_kind <<<"$report")" = "anon_inode:seccomp notify" ]
	[ "$(jq -c .message.fds <<<"$report")" = '["seccompFd"]' ]
	[ "$(jq -r .message.metadata <<<"$report")" = berth-test ]
	[ "$(jq -r .message.state.id <<<"$report")" = c1 ]
	[ "$(jq -r .message.pid <<<"$report")" = "$(cat "$E2E_TMP/c1.pid")" ]
	rt start c1
	wait_status c1 stopped
}

@test "seccomp: SCMP_ACT_NOTIFY without listenerPath fails create" {
	cfg '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]}'
	args /bin/true
	run --separate-stderr create c1
	echo "$stderr"
	[ "$status" -ne 0 ]
	assert_clean c1
}
