#!/usr/bin/env bats
# What the container's process gets: identity, limits, capabilities, environment.

load helpers

@test "hostname is the spec's hostname field" {
	cfg '.hostname = "probe-host"'
	probe_run hostname
	[ "$status" -eq 0 ]
	[ "$output" = probe-host ]
}

@test "domainname is the spec's domainname field" {
	is_runc && skip "runc 1.1.5: domainname is not supported (added in runc 1.2)"
	cfg '.domainname = "example.org"'
	probe_run domainname
	[ "$status" -eq 0 ]
	[ "$output" = example.org ]
}

@test "the process is pid 1 of its pid namespace" {
	probe_run pid
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
}

@test "uid, gid and additionalGids are exactly the spec's" {
	cfg '.process.user = {"uid": 1000, "gid": 1001, "additionalGids": [20, 10, 3000]}'
	probe_run ids
	[ "$status" -eq 0 ]
	# setgroups(2) keeps the list sorted
	[ "$output" = "uid=1000 euid=1000 gid=1001 egid=1001 groups=10,20,3000" ]
}

@test "supplementary groups of the caller are not inherited" {
	# The runtime runs with groups 4,24; the spec asks for none.
	args /probe ids
	use_id c1
	run setpriv --groups 4,24 -- "$RUNTIME" --root "$ROOT" run --bundle "$BUNDLE" c1 </dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "uid=0 euid=0 gid=0 egid=0 groups=" ]
}

@test "umask defaults to 0022" {
	probe_run umask
	[ "$status" -eq 0 ]
	[ "$output" = 0022 ]
}

@test "umask from process.user.umask" {
	cfg '.process.user.umask = 63'
	probe_run umask
	[ "$status" -eq 0 ]
	[ "$output" = 0077 ]
}

@test "cwd is process.cwd" {
	cfg '.process.cwd = "/bin"'
	probe_run cwd
	[ "$status" -eq 0 ]
	[ "$output" = /bin ]
}

@test "a missing process.cwd is created" {
	cfg '.process.cwd = "/work/dir"'
	probe_run cwd
	[ "$status" -eq 0 ]
	[ "$output" = /work/dir ]
}

@test "env is exactly process.env, in order, nothing from the runtime's environment" {
	cfg '.process.env = ["PATH=/bin", "HOME=/root", "FOO=bar baz", "EMPTY=", "MULTI=a=b"]'
	export BERTH_E2E_LEAK=should-not-appear
	probe_run env
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'PATH=/bin\nHOME=/root\nFOO=bar baz\nEMPTY=\nMULTI=a=b')" ]
}

@test "rlimits are applied (soft and hard)" {
	cfg '.process.rlimits = [{"type": "RLIMIT_NOFILE", "soft": 512, "hard": 777}, {"type": "RLIMIT_CORE", "soft": 0, "hard": 4096}]'
	probe_run rlimit NOFILE
	[ "$status" -eq 0 ]
	[ "$output" = "512 777" ]
	probe_run rlimit CORE
	[ "$output" = "0 4096" ]
}

@test "capabilities: the five sets as given; inheritable and ambient empty when not asked" {
	# CAP_CHOWN=0 -> 0x1, CAP_KILL=5 -> 0x20, CAP_NET_BIND_SERVICE=10 -> 0x400.
	# For uid 0, execve(2) makes effective = permitted (no file capabilities).
	cfg '.process.capabilities = {"bounding": ["CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"],
		"permitted": ["CAP_CHOWN", "CAP_KILL"], "effective": ["CAP_CHOWN", "CAP_KILL"]}'
	probe_run caps
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "CapInh:	0000000000000000" ]
	[ "${lines[1]}" = "CapPrm:	0000000000000021" ]
	[ "${lines[2]}" = "CapEff:	0000000000000021" ]
	[ "${lines[3]}" = "CapBnd:	0000000000000421" ]
	[ "${lines[4]}" = "CapAmb:	0000000000000000" ]
}

@test "capabilities: inheritable and ambient when asked" {
	cfg '.process.capabilities = {"bounding": ["CAP_CHOWN", "CAP_KILL"], "permitted": ["CAP_CHOWN", "CAP_KILL"],
		"effective": ["CAP_CHOWN", "CAP_KILL"], "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"]}'
	probe_run caps
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "CapInh:	0000000000000020" ]
	[ "${lines[1]}" = "CapPrm:	0000000000000021" ]
	[ "${lines[2]}" = "CapEff:	0000000000000021" ]
	[ "${lines[3]}" = "CapBnd:	0000000000000021" ]
	[ "${lines[4]}" = "CapAmb:	0000000000000020" ]
}

@test "capabilities: a non-root user has none after execve without ambient" {
	cfg '.process.user = {"uid": 1000, "gid": 1000}
		| .process.capabilities = {"bounding": ["CAP_KILL", "CAP_CHOWN"], "permitted": ["CAP_KILL"], "effective": ["CAP_KILL"]}'
	probe_run caps
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "CapInh:	0000000000000000" ]
	[ "${lines[1]}" = "CapPrm:	0000000000000000" ]
	[ "${lines[2]}" = "CapEff:	0000000000000000" ]
	[ "${lines[3]}" = "CapBnd:	0000000000000021" ]
	[ "${lines[4]}" = "CapAmb:	0000000000000000" ]
}

@test "capabilities: a non-root user keeps ambient capabilities" {
	cfg '.process.user = {"uid": 1000, "gid": 1000}
		| .process.capabilities = {"bounding": ["CAP_KILL", "CAP_CHOWN"], "permitted": ["CAP_KILL"],
			"effective": ["CAP_KILL"], "inheritable": ["CAP_KILL"], "ambient": ["CAP_KILL"]}'
	probe_run caps
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = "CapPrm:	0000000000000020" ]
	[ "${lines[2]}" = "CapEff:	0000000000000020" ]
	[ "${lines[4]}" = "CapAmb:	0000000000000020" ]
}

@test "noNewPrivileges true" {
	cfg '.process.noNewPrivileges = true'
	probe_run nnp
	[ "$output" = 1 ]
}

@test "noNewPrivileges false" {
	cfg '.process.noNewPrivileges = false'
	probe_run nnp
	[ "$output" = 0 ]
}

@test "oomScoreAdj is applied (seen from the host and from inside)" {
	cfg '.process.oomScoreAdj = 123'
	args /probe sleep 30
	create c1
	[ "$(cat /proc/"$(cat "$E2E_TMP/c1.pid")"/oom_score_adj)" = 123 ]
	probe_run oom-score-adj
	[ "$output" = 123 ]
}
