#!/usr/bin/env bats
# Bad input: each a non-zero exit and a one-line error on stderr, and nothing
# left behind (no state, no cgroup, no mount, no process).

load helpers

# create_fails ID: `create` fails with a one-line error and leaves nothing behind.
create_fails() {
	run --separate-stderr create "$1"
	echo "status=$status stderr=$stderr"
	assert_one_line_error
	assert_clean "$1"
}

@test "missing config.json" {
	rm "$BUNDLE/config.json"
	create_fails c1
}

@test "malformed config.json" {
	echo '{"ociVersion": "1.0.2", "process": {' >"$BUNDLE/config.json"
	create_fails c1
}

@test "config.json that is not an object" {
	echo '[1, 2, 3]' >"$BUNDLE/config.json"
	create_fails c1
}

@test "unknown namespace type" {
	cfg '.linux.namespaces += [{"type": "bogus"}]'
	create_fails c1
}

@test "missing rootfs directory" {
	cfg '.root.path = "no-such-rootfs"'
	create_fails c1
}

@test "missing process.args[0] is reported at create" {
	args /no/such/binary
	create_fails c1
	if is_berth; then
		grep -q 'no such file or directory' <<<"$stderr"
	fi
}

@test "a mount with a missing bind source" {
	cfg --arg s "$E2E_TMP/missing" '.mounts += [{"destination": "/x", "type": "bind", "source": $s, "options": ["bind"]}]'
	create_fails c1
}

@test "an id already in use" {
	args /probe sleep 30
	create c1
	run --separate-stderr create c1
	assert_one_line_error
	[ "$(rt list -q)" = c1 ]
	[ "$(status_of c1)" = created ]
}

@test "an id with a slash" {
	run --separate-stderr create a/b
	assert_one_line_error
	assert_clean a/b
	[ ! -e "$ROOT/a" ]
}

@test "an id that is .." {
	run --separate-stderr create ..
	assert_one_line_error
	assert_clean x
	[ -d "$E2E_TMP" ]
}

@test "an id with ../ in it" {
	run --separate-stderr create ../escape
	assert_one_line_error
	assert_clean x
	[ ! -e "$E2E_TMP/escape" ]
}

@test "an empty id" {
	run --separate-stderr rt create --bundle "$BUNDLE" ""
	[ "$status" -ne 0 ]
	[ -n "$stderr" ]
	assert_clean x
}

@test "kill with an unknown signal" {
	args /probe sleep 30
	create c1
	run --separate-stderr rt kill c1 NOTASIGNAL
	assert_one_line_error
	[ "$(status_of c1)" = created ]
}

@test "start of an unknown container" {
	run --separate-stderr rt start nosuch
	assert_one_line_error
}

@test "start of a stopped container" {
	args /probe exit 0
	create c1
	rt start c1
	wait_status c1 stopped
	run --separate-stderr rt start c1
	assert_one_line_error
	[ "$(status_of c1)" = stopped ]
}

@test "kill of a stopped container" {
	args /probe exit 0
	create c1
	rt start c1
	wait_status c1 stopped
	run --separate-stderr rt kill c1 KILL
	assert_one_line_error
}

@test "state of an unknown container" {
	run --separate-stderr rt state nosuch
	assert_one_line_error
	[ -z "$output" ]
}

@test "unknown subcommand" {
	run --separate-stderr rt no-such-subcommand
	[ "$status" -ne 0 ]
}
