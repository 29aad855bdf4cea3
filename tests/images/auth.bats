#!/usr/bin/env bats
# login / logout and authenticated pull and push: a registry with htpasswd Basic auth, and
# one with Bearer token auth behind token-server.py (RS256 JWTs from a self-signed cert the
# registry trusts). skopeo proves each fixture first. Credentials go to $DOCKER_CONFIG.

load helpers

setup_file() { start_auth_registries; }
teardown_file() { file_cleanup; }

AUTH_ERROR_RE='unauthori[sz]ed|authentication required|authorization|denied|401'

config_json() { cat "$DOCKER_CONFIG/config.json"; }
auth_entry() { jq -r --arg h "$1" '.auths[$h].auth // empty' "$DOCKER_CONFIG/config.json" 2>/dev/null; }

@test "the fixtures: skopeo pulls with credentials and is refused without" {
	local r
	for r in "$BASIC" "$BEARER"; do
		sk inspect --tls-verify=false --creds "$AUTH_USER:$AUTH_PASS" "docker://$r/busybox:latest" >/dev/null
		run sk inspect --tls-verify=false "docker://$r/busybox:latest"
		[ "$status" -ne 0 ]
		run sk inspect --tls-verify=false --creds "$AUTH_USER:wrong" "docker://$r/busybox:latest"
		[ "$status" -ne 0 ]
	done
}

@test "basic: pull without login fails with an authentication error" {
	run --separate-stderr berth pull "$BASIC/busybox:latest"
	assert_error_line
	grep -qiE "$AUTH_ERROR_RE" <<<"$stderr"
	[ -z "$(berth images -q)" ]
	assert_tmp_empty
}

@test "basic: login, pull, logout" {
	run --separate-stderr berth login -u "$AUTH_USER" -p "$AUTH_PASS" "$BASIC"
	[ "$status" -eq 0 ]
	grep -qxF "Login Succeeded" <<<"$output"
	expect_eq "config.json auth" "$(auth_entry "$BASIC")" "$(printf '%s:%s' "$AUTH_USER" "$AUTH_PASS" | base64 -w0)"
	expect_eq "config.json mode" "$(stat -c %a "$DOCKER_CONFIG/config.json")" 600
	run --separate-stderr berth pull "$BASIC/busybox:latest"
	[ "$status" -eq 0 ]
	expect_eq "last line" "${lines[${#lines[@]} - 1]}" "$BASIC/busybox:latest"
	mount_image "$BASIC/busybox:latest" "$WORK/rootfs"
	assert_latest_content "$WORK/rootfs"
	run --separate-stderr berth logout "$BASIC"
	[ "$status" -eq 0 ]
	[ -z "$(auth_entry "$BASIC")" ]
	# Without the credentials a fresh store cannot pull again.
	ROOT=$TEST_TMP/root2
	run --separate-stderr berth pull "$BASIC/busybox:latest"
	assert_error_line
}

@test "basic: login with a wrong password fails and stores nothing" {
	run --separate-stderr berth login -u "$AUTH_USER" -p wrong "$BASIC"
	assert_error_line
	grep -qiE "$AUTH_ERROR_RE|password|credentials" <<<"$stderr"
	[ -z "$(auth_entry "$BASIC")" ]
}

@test "basic: login --password-stdin" {
	run --separate-stderr bash -c 'printf "%s\n" "$4" | timeout "$6" "$1" --root "$2" login -u "$3" --password-stdin "$5"' _ \
		"$BERTH" "$ROOT" "$AUTH_USER" "$AUTH_PASS" "$BASIC" "$BERTH_TIMEOUT"
	[ "$status" -eq 0 ]
	grep -qxF "Login Succeeded" <<<"$output"
	expect_eq "config.json auth" "$(auth_entry "$BASIC")" "$(printf '%s:%s' "$AUTH_USER" "$AUTH_PASS" | base64 -w0)"
}

@test "basic: credentials from an existing docker config.json are used; other entries kept" {
	mkdir -p "$DOCKER_CONFIG"
	jq -n --arg h "$BASIC" --arg a "$(printf '%s:%s' "$AUTH_USER" "$AUTH_PASS" | base64 -w0)" \
		'{auths: {($h): {auth: $a}, "registry.example": {auth: "eDp5"}}, credsStore: ""}' >"$DOCKER_CONFIG/config.json"
	run --separate-stderr berth pull -q "$BASIC/busybox:latest"
	[ "$status" -eq 0 ]
	berth logout "$BASIC"
	expect_eq "other entry" "$(auth_entry registry.example)" eDp5
}

@test "basic: push after login" {
	berth login -u "$AUTH_USER" -p "$AUTH_PASS" "$BASIC" >/dev/null
	berth pull -q "$BASIC/busybox:latest" >/dev/null
	berth tag "$BASIC/busybox:latest" "$BASIC/pushed/busybox:v1"
	run --separate-stderr berth push "$BASIC/pushed/busybox:v1"
	[ "$status" -eq 0 ]
	sk inspect --tls-verify=false --creds "$AUTH_USER:$AUTH_PASS" "docker://$BASIC/pushed/busybox:v1" >/dev/null
}

@test "bearer: pull without login fails with an authentication error" {
	run --separate-stderr berth pull "$BEARER/busybox:latest"
	assert_error_line
	grep -qiE "$AUTH_ERROR_RE" <<<"$stderr"
	assert_tmp_empty
}

@test "bearer: login, pull (token for repository:busybox:pull), logout" {
	local mark
	run --separate-stderr berth login -u "$AUTH_USER" -p "$AUTH_PASS" "$BEARER"
	[ "$status" -eq 0 ]
	grep -qxF "Login Succeeded" <<<"$output"
	expect_eq "config.json auth" "$(auth_entry "$BEARER")" "$(printf '%s:%s' "$AUTH_USER" "$AUTH_PASS" | base64 -w0)"
	mark=$(wc -l <"$TOKEN_LOG")
	run --separate-stderr berth pull "$BEARER/busybox:latest"
	[ "$status" -eq 0 ]
	expect_eq "last line" "${lines[${#lines[@]} - 1]}" "$BEARER/busybox:latest"
	# The token server saw alice asking for pull access to busybox.
	tail -n +"$((mark + 1))" "$TOKEN_LOG" | jq -e -s --arg u "$AUTH_USER" \
		'map(select(.status == 200 and .user == $u and (.scopes | index("repository:busybox:pull") != null))) | length >= 1'
	mount_image "$BEARER/busybox:latest" "$WORK/rootfs"
	assert_latest_content "$WORK/rootfs"
	berth logout "$BEARER"
	[ -z "$(auth_entry "$BEARER")" ]
}

@test "bearer: login with a wrong password fails and stores nothing" {
	run --separate-stderr berth login -u "$AUTH_USER" -p wrong "$BEARER"
	assert_error_line
	[ -z "$(auth_entry "$BEARER")" ]
}

@test "bearer: push after login asks for push access" {
	local mark
	berth login -u "$AUTH_USER" -p "$AUTH_PASS" "$BEARER" >/dev/null
	berth pull -q "$BEARER/busybox:latest" >/dev/null
	berth tag "$BEARER/busybox:latest" "$BEARER/pushed/busybox:v1"
	mark=$(wc -l <"$TOKEN_LOG")
	run --separate-stderr berth push "$BEARER/pushed/busybox:v1"
	[ "$status" -eq 0 ]
	tail -n +"$((mark + 1))" "$TOKEN_LOG" | jq -e -s \
		'map(select(.status == 200 and (.scopes | map(test("^repository:pushed/busybox:.*push")) | any))) | length >= 1'
	sk inspect --tls-verify=false --creds "$AUTH_USER:$AUTH_PASS" "docker://$BEARER/pushed/busybox:v1" >/dev/null
	expect_eq "layers" "$(layers_of "docker://$BEARER/pushed/busybox:v1" --creds "$AUTH_USER:$AUTH_PASS")" \
		"$(layers_of "docker://$BEARER/busybox:latest" --creds "$AUTH_USER:$AUTH_PASS")"
}
