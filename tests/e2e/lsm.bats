#!/usr/bin/env bats
# apparmorProfile, selinuxLabel, intelRdt and personality on a host without AppArmor,
# SELinux or resctrl: what runc does, clearly.

load helpers

@test "personality LINUX32: the process sees a 32-bit machine" {
	is_runc && skip "runc 1.1.5: linux.personality is not supported (added in runc 1.2)"
	cfg '.linux.personality = {"domain": "LINUX32"}'
	sh_run 'uname -m'
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^i[3-6]86$ ]]
}

@test "personality with an unknown domain fails create with one line" {
	is_runc && skip "runc 1.1.5: linux.personality is not supported (added in runc 1.2)"
	cfg '.linux.personality = {"domain": "OSF4"}'
	args /bin/true
	run --separate-stderr create c1
	assert_one_line_error
	[[ "$stderr" == *"personality"* ]]
	assert_clean c1
}

@test "an apparmor profile on a host without AppArmor fails create" {
	[ -e /sys/module/apparmor/parameters/enabled ] && skip "this host has AppArmor"
	cfg '.process.apparmorProfile = "berth-test"'
	args /bin/true
	run --separate-stderr create c1
	echo "$stderr"
	[ "$status" -ne 0 ]
	assert_clean c1
}

@test "an selinux label on a host without SELinux fails create (as runc)" {
	[ -e /sys/fs/selinux/enforce ] && skip "this host has SELinux"
	cfg '.process.selinuxLabel = "system_u:system_r:container_t:s0"'
	args /bin/true
	run --separate-stderr create c1
	echo "$stderr"
	[ "$status" -ne 0 ]
	assert_clean c1
}

@test "intelRdt on a host without resctrl fails create" {
	[ -e /sys/fs/resctrl/schemata ] && skip "this host has resctrl"
	cfg '.linux.intelRdt = {"closID": "berth-test", "l3CacheSchema": "L3:0=f"}'
	args /bin/true
	run --separate-stderr create c1
	echo "$stderr"
	[ "$status" -ne 0 ]
	assert_clean c1
}
