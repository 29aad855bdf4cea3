# Shared helpers for the image suite (tests/images/*.bats): `berth` image commands against a
# real registry (tests/clients/registry.sh: the CNCF distribution registry from Debian's
# docker-registry, on 127.0.0.1 only), checked with skopeo and from the store's files.
#
#   BERTH=$PWD/.build/release/berth IMAGES_DIR=$PWD/out/clients/images bats --jobs 1 tests/images
#
# A file's setup_file starts the registries it needs on free ports (start_registry,
# start_auth_registries, start_fake_registry) and its teardown_file stops them. Every test
# gets its own temporary directory: a store ($ROOT, berth --root), scratch space ($WORK),
# docker's config directory ($DOCKER_CONFIG) and an empty working directory (the test's
# cwd, which must stay empty). teardown unmounts what the test mounted (`image unmount`
# first) and removes the directory. Only processes the suite started are ever stopped.

bats_require_minimum_version 1.5.0

IMAGES_TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$IMAGES_TESTS_DIR/../.." && pwd)
CLIENTS_DIR=$REPO_DIR/tests/clients
: "${BERTH:=$REPO_DIR/.build/release/berth}"
: "${IMAGES_DIR:=$REPO_DIR/out/clients/images}"
export BERTH IMAGES_DIR
# Debian's python3 (python3-cryptography comes from Debian, not from a private python).
PYTHON=/usr/bin/python3
[ -x "$PYTHON" ] || PYTHON=python3
# Every berth image command's registry traffic is plain HTTP on 127.0.0.1: never the internet.
unset BERTH_INSECURE_REGISTRIES BERTH_ROOT BERTH_PUSH_CHUNK_SIZE

# ------------------------------------------------------------------ environment
host_arch() {
	case "$(dpkg --print-architecture 2>/dev/null || uname -m)" in
	amd64 | x86_64) echo amd64 ;;
	arm64 | aarch64) echo arm64 ;;
	armhf | armel) echo arm ;;
	ppc64el) echo ppc64le ;;
	*) dpkg --print-architecture ;;
	esac
}
ARCH=$(host_arch)
if [ "$ARCH" = amd64 ]; then OTHER_ARCH=arm64; else OTHER_ARCH=amd64; fi

# A free TCP port on 127.0.0.1 (bound and released: good enough for one test run).
free_port() {
	"$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The busybox test images of make-test-images.sh, built once (make e2e-images builds them
# through the Makefile's CLIENT_IMAGES rule first).
ensure_test_images() {
	[ -f "$IMAGES_DIR/IMAGES.txt" ] && return 0
	mkdir -p "$(dirname "$IMAGES_DIR")"
	flock "$(dirname "$IMAGES_DIR")" sh -c \
		'[ -f "$1/IMAGES.txt" ] || "$2/make-test-images.sh" "$1" >/dev/null' sh "$IMAGES_DIR" "$CLIENTS_DIR"
}

require_berth() {
	[ -x "$BERTH" ] || { echo "BERTH=$BERTH is not executable (make build, or set BERTH)" >&2; return 1; }
}

# ------------------------------------------------------------------ registries
# start_registry: the test registry of registry.sh with every busybox flavour, for this file.
# Sets and exports REG (127.0.0.1:PORT), REG_DIR, REG_LOG (the HTTP access log) and FILE_TMP.
start_registry() {
	require_berth
	ensure_test_images
	file_tmp
	local try
	for try in 1 2 3; do
		REG=127.0.0.1:$(free_port)
		REG_DIR=$FILE_TMP/registry
		if REGISTRY_ADDR=$REG "$CLIENTS_DIR/registry.sh" start "$REG_DIR" >"$FILE_TMP/registry-start.log" 2>&1 3>&-; then
			export REG REG_DIR REG_LOG=$REG_DIR/registry.log
			return 0
		fi
		REGISTRY_ADDR=$REG "$CLIENTS_DIR/registry.sh" stop "$REG_DIR" >/dev/null 2>&1 || true
	done
	cat "$FILE_TMP/registry-start.log" >&2
	return 1
}

stop_registry() {
	[ -n "${REG_DIR:-}" ] || return 0
	REGISTRY_ADDR=$REG "$CLIENTS_DIR/registry.sh" stop "$REG_DIR" >/dev/null 2>&1 || true
}

# file_tmp: this bats file's own temporary directory ($FILE_TMP), removed by file_cleanup.
file_tmp() {
	[ -n "${FILE_TMP:-}" ] && [ -d "$FILE_TMP" ] && return 0
	FILE_TMP=$(mktemp -d /tmp/berth-images.XXXXXX)
	chmod 0755 "$FILE_TMP"
	export FILE_TMP
	printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' >"$FILE_TMP/policy.json"
}

# Stop every process this file started (recorded in $FILE_TMP/*.pid, checked by command
# line so that a recycled pid is never signalled), then remove the file's directory.
file_cleanup() {
	stop_registry
	local pidfile pid
	for pidfile in "${FILE_TMP:-/nonexistent}"/*.pid; do
		[ -f "$pidfile" ] || continue
		pid=$(cat "$pidfile")
		if [[ $pid =~ ^[1-9][0-9]*$ ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$FILE_TMP"; then
			kill -TERM "$pid" 2>/dev/null || true
			local i
			for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
			kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	[ -n "${FILE_TMP:-}" ] || return 0
	unmount_under "$FILE_TMP"
	rm -rf "$FILE_TMP"
}

# spawn NAME CMD...: start CMD in the background in its own session, output to
# $FILE_TMP/NAME.out, pid to $FILE_TMP/NAME.pid (file_cleanup stops it).
spawn() {
	local name=$1
	shift
	# (fd 3 is bats' own: a process that keeps it open makes bats wait for it)
	setsid "$@" >"$FILE_TMP/$name.out" 2>&1 </dev/null 3>&- &
	echo $! >"$FILE_TMP/$name.pid"
}

# wait_http URL [expected status]: until the URL answers (0.1 s steps, 10 s).
wait_http() {
	local i code
	for i in $(seq 1 100); do
		code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1" 2>/dev/null) || code=000
		[ "$code" != 000 ] && { [ -z "${2:-}" ] || [ "$code" = "$2" ]; } && return 0
		sleep 0.1
	done
	echo "$1 did not answer" >&2
	return 1
}

wait_port_file() {
	local i
	for i in $(seq 1 100); do
		[ -s "$1" ] && { cat "$1"; return 0; }
		sleep 0.1
	done
	echo "$1 did not appear" >&2
	return 1
}

# auth_registry NAME PORT AUTH_YAML: a docker-registry on 127.0.0.1:PORT with an auth section.
auth_registry() {
	local name=$1 port=$2 auth=$3 dir=$FILE_TMP/$1
	mkdir -p "$dir/data"
	cat >"$dir/config.yml" <<EOF
# tests/images: plain HTTP on 127.0.0.1:$port, $name
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
auth:
$auth
EOF
	spawn "$name" docker-registry serve "$dir/config.yml"
	wait_http "http://127.0.0.1:$port/v2/" 401
}

# start_auth_registries: BASIC (htpasswd) and BEARER (token auth, with token-server.py in
# front), each holding busybox:latest pushed by skopeo with the credentials. Exports BASIC,
# BEARER, TOKEN_URL, TOKEN_LOG, AUTH_USER, AUTH_PASS.
start_auth_registries() {
	require_berth
	ensure_test_images
	file_tmp
	export AUTH_USER=alice AUTH_PASS=s3cret-Pa55
	local port tport
	# Basic: an htpasswd file (bcrypt, as the registry requires).
	htpasswd -Bbn "$AUTH_USER" "$AUTH_PASS" >"$FILE_TMP/htpasswd"
	port=$(free_port)
	auth_registry basic "$port" "  htpasswd:
    realm: berth-test-basic
    path: $FILE_TMP/htpasswd"
	export BASIC=127.0.0.1:$port
	# Bearer: a self-signed RSA certificate whose key signs the JWTs, trusted by the registry.
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=berth-test-token-server \
		-keyout "$FILE_TMP/token-key.pem" -out "$FILE_TMP/token-cert.pem" 2>/dev/null
	printf '%s:%s\n' "$AUTH_USER" "$AUTH_PASS" >"$FILE_TMP/token-users"
	export TOKEN_LOG=$FILE_TMP/token.log
	spawn token-server "$PYTHON" "$IMAGES_TESTS_DIR/token-server.py" \
		--key "$FILE_TMP/token-key.pem" --cert "$FILE_TMP/token-cert.pem" \
		--users "$FILE_TMP/token-users" --issuer berth-test-issuer --service berth-test-registry \
		--port-file "$FILE_TMP/token.port" --log "$TOKEN_LOG"
	tport=$(wait_port_file "$FILE_TMP/token.port")
	export TOKEN_URL=http://127.0.0.1:$tport/token
	port=$(free_port)
	auth_registry bearer "$port" "  token:
    realm: $TOKEN_URL
    service: berth-test-registry
    issuer: berth-test-issuer
    rootcertbundle: $FILE_TMP/token-cert.pem"
	export BEARER=127.0.0.1:$port
	local r
	for r in "$BASIC" "$BEARER"; do
		sk copy -q --dest-tls-verify=false --dest-creds "$AUTH_USER:$AUTH_PASS" \
			"oci:$IMAGES_DIR/oci:latest" "docker://$r/busybox:latest"
	done
}

# start_fake_registry: fake-registry.py serving make-bad-images.py's crafted images, aimed at
# $OUTSIDE (holding "canary"). Exports FAKE (127.0.0.1:PORT), FAKE_LOG, OUTSIDE.
start_fake_registry() {
	require_berth
	file_tmp
	export OUTSIDE=$FILE_TMP/outside
	mkdir -p "$OUTSIDE"
	echo "canary: must never change" >"$OUTSIDE/canary"
	"$PYTHON" "$IMAGES_TESTS_DIR/make-bad-images.py" "$FILE_TMP/fake" "$OUTSIDE" "$ARCH"
	export FAKE_LOG=$FILE_TMP/fake.log
	spawn fake-registry "$PYTHON" "$IMAGES_TESTS_DIR/fake-registry.py" --dir "$FILE_TMP/fake" \
		--port-file "$FILE_TMP/fake.port" --log "$FAKE_LOG"
	export FAKE=127.0.0.1:$(wait_port_file "$FILE_TMP/fake.port")
	wait_http "http://$FAKE/v2/" 200
}

# ------------------------------------------------------------------ per test
setup() { setup_test; }

setup_test() {
	TEST_TMP=$(mktemp -d /tmp/berth-images-t.XXXXXX)
	chmod 0755 "$TEST_TMP"
	ROOT=$TEST_TMP/root
	WORK=$TEST_TMP/work
	export DOCKER_CONFIG=$TEST_TMP/docker-config
	MOUNTED=()
	mkdir -p "$WORK" "$TEST_TMP/cwd"
	cd "$TEST_TMP/cwd"
}

teardown() {
	[ -n "${TEST_TMP:-}" ] || return 0
	cd /
	local m
	for m in ${MOUNTED[@]+"${MOUNTED[@]}"}; do
		mountpoint -q "$m" 2>/dev/null && "$BERTH" --root "$ROOT" image unmount "$m" >/dev/null 2>&1
	done
	unmount_under "$TEST_TMP"
	rm -rf "$TEST_TMP"
}

unmount_under() {
	local m
	for m in $(awk -v p="$1" '$5 == p || index($5, p "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
		umount -l "$m" 2>/dev/null || true
	done
}

# berth ARGS...: the berth under test with this test's store. A command that hangs is
# killed after $BERTH_TIMEOUT seconds (exit status 124), so that one hang fails one test.
: "${BERTH_TIMEOUT:=120}"
berth() {
	timeout --kill-after=10 "$BERTH_TIMEOUT" "$BERTH" --root "$ROOT" "$@"
}
# berth_env VAR=VALUE... -- ARGS...: the same with environment variables.
berth_env() {
	local vars=()
	while [ "$1" != -- ]; do vars+=("$1"); shift; done
	shift
	env "${vars[@]}" timeout --kill-after=10 "$BERTH_TIMEOUT" "$BERTH" --root "$ROOT" "$@"
}

# sk ARGS...: skopeo with our own signature policy.
sk() {
	skopeo --policy "$FILE_TMP/policy.json" "$@"
}

# ------------------------------------------------------------------ facts from the registry
# What skopeo says about REF (NAME:TAG or NAME@DIGEST on $REG, or a full docker:// target);
# ARCH_OVERRIDE=arm64 picks another entry of an index.
_docker_ref() { case "$1" in *://*) echo "$1" ;; *) echo "docker://$REG/$1" ;; esac; }
_sk_inspect() {
	local ref
	ref=$(_docker_ref "$1")
	shift
	sk ${ARCH_OVERRIDE:+--override-arch "$ARCH_OVERRIDE"} inspect --tls-verify=false "$@" "$ref"
}
# The digest of what the tag points at (an index for :index): sha256 of the raw manifest.
tag_digest() { echo "sha256:$(_sk_inspect "$1" --raw | sha256sum | cut -d' ' -f1)"; }
# The platform manifest's digest (for an index: the linux/$ARCH_OVERRIDE or host entry's;
# skopeo's own .Digest is the index's).
manifest_digest() {
	local raw
	raw=$(_sk_inspect "$1" --raw)
	if jq -e 'has("manifests")' <<<"$raw" >/dev/null; then
		jq -r --arg a "${ARCH_OVERRIDE:-$ARCH}" \
			'[.manifests[] | select(.platform.os == "linux" and .platform.architecture == $a)][0].digest' <<<"$raw"
	else
		tag_digest "$1"   # (hashes the bytes themselves: $raw lost any final newline)
	fi
}
# docker's image ID: sha256 of the raw config of the chosen platform.
image_id_of() { echo "sha256:$(_sk_inspect "$1" --config --raw | sha256sum | cut -d' ' -f1)"; }
layers_of() { _sk_inspect "$@" | jq -r '.Layers[]'; }
diff_ids_of() { _sk_inspect "$1" --config --raw | jq -r '.rootfs.diff_ids[]'; }

# ------------------------------------------------------------------ registry access log
# The number of lines in the access log now; log_since N prints what came after.
log_mark() { sleep 0.3; wc -l <"${1:-$REG_LOG}"; }
log_since() { sleep 0.3; tail -n +"$(($1 + 1))" "${2:-$REG_LOG}"; }
# Requests (METHOD PATH) in an access log excerpt read on stdin.
requests() { sed -nE 's/.*"([A-Z]+) ([^ ]+) HTTP\/[0-9.]+".*/\1 \2/p'; }

# ------------------------------------------------------------------ assertions
# assert_error_line: tests/lib/assertions.bash
source "$IMAGES_TESTS_DIR/../lib/assertions.bash"

# assert_no_match ERE < TEXT: no line of TEXT matches (bats ignores a failing `! cmd`).
assert_no_match() {
	local hit
	hit=$(grep -E -- "$1" || true)
	[ -z "$hit" ] || { printf 'unexpected match of /%s/:\n%s\n' "$1" "$hit" >&2; return 1; }
}

# expect_eq WHAT GOT WANT
expect_eq() {
	[ "$2" = "$3" ] || { printf '%s:\n  got:  %s\n  want: %s\n' "$1" "$2" "$3" >&2; return 1; }
}

# The store's temporary directory is empty (or absent).
assert_tmp_empty() {
	local left
	left=$(find "$ROOT/tmp" -mindepth 1 -maxdepth 1 2>/dev/null | head -n 5)
	[ -z "$left" ] || { echo "left in $ROOT/tmp: $left" >&2; return 1; }
}

# Nothing was written into the test's working directory.
assert_cwd_empty() {
	local left
	left=$(ls -A "$TEST_TMP/cwd")
	[ -z "$left" ] || { echo "written to the working directory: $left" >&2; return 1; }
}

# Every blob is stored under its own sha256, and index.json is JSON.
assert_store_consistent() {
	local f hex
	for f in "$ROOT"/images/blobs/sha256/*; do
		[ -f "$f" ] || continue
		hex=$(sha256sum "$f" | cut -d' ' -f1)
		[ "$hex" = "$(basename "$f")" ] || { echo "blob $f has sha256 $hex" >&2; return 1; }
	done
	[ ! -e "$ROOT/images/index.json" ] || jq -e . "$ROOT/images/index.json" >/dev/null ||
		{ echo "index.json is not JSON" >&2; return 1; }
	assert_tmp_empty
}

blob_count() { find "$ROOT/images/blobs" -type f 2>/dev/null | wc -l; }
layer_count() { find "$ROOT/layers" -mindepth 1 -maxdepth 1 -type d 2>/dev/null | wc -l; }
has_blob() { [ -f "$ROOT/images/blobs/sha256/${1#sha256:}" ]; }
has_layer() { [ -d "$ROOT/layers/${1#sha256:}/diff" ]; }

# mount_image REF DIR: `image mount`, remembered for teardown.
mount_image() {
	mkdir -p "$2"
	MOUNTED+=("$2")
	berth image mount "$1" "$2"
}

# The content of busybox:multi, seen in a mounted root file system.
assert_multi_content() {
	local d=$1
	[ -x "$d/bin/busybox" ] || { echo "$d/bin/busybox missing" >&2; return 1; }
	[ ! -e "$d/bin/vi" ] && [ ! -L "$d/bin/vi" ] || { echo "/bin/vi is still there (whiteout)" >&2; return 1; }
	[ "$(cat "$d/opt/data/new.txt")" = "new (layer 4)" ] || { echo "/opt/data/new.txt wrong" >&2; return 1; }
	[ ! -e "$d/opt/data/old.txt" ] || { echo "/opt/data/old.txt is still there (opaque dir)" >&2; return 1; }
	[ "$(ls -A "$d/opt/data")" = new.txt ] || { echo "/opt/data holds: $(ls -A "$d/opt/data")" >&2; return 1; }
	chroot "$d" /bin/busybox true || { echo "chroot $d /bin/busybox true failed" >&2; return 1; }
}

# The content of busybox:latest.
assert_latest_content() {
	local d=$1
	[ "$(cat "$d/etc/clients-image")" = "busybox test image built by make-test-images.sh" ] ||
		{ echo "$d/etc/clients-image wrong" >&2; return 1; }
	[ -e "$d/bin/vi" ] || [ -L "$d/bin/vi" ] || { echo "$d/bin/vi missing" >&2; return 1; }
	chroot "$d" /bin/busybox true || { echo "chroot $d /bin/busybox true failed" >&2; return 1; }
}

# A pull's docker-style plain output (run --separate-stderr berth pull REF): the first line
# "TAG: Pulling from PATH", "<12 hex>: Pull complete" per layer, "Digest:", "Status:", and
# the full reference last. Args: REF (as given) TAG_OR_DIGEST PATH DIGEST FULLREF LAYERS...
assert_pull_output() {
	local ref=$1 tag=$2 path=$3 digest=$4 full=$5
	shift 5
	[ "$status" -eq 0 ] || { echo "pull $ref failed ($status): $stderr" >&2; return 1; }
	expect_eq "first line" "${lines[0]}" "$tag: Pulling from $path"
	local l
	for l in "$@"; do
		l=${l#sha256:}
		grep -qxF "${l:0:12}: Pull complete" <<<"$output" || { echo "no '${l:0:12}: Pull complete' in: $output" >&2; return 1; }
	done
	grep -qxF "Digest: $digest" <<<"$output" || { echo "no 'Digest: $digest' in: $output" >&2; return 1; }
	grep -qxF "Status: Downloaded newer image for $ref" <<<"$output" ||
		{ echo "no 'Status: Downloaded newer image for $ref' in: $output" >&2; return 1; }
	expect_eq "last line" "${lines[${#lines[@]} - 1]}" "$full"
	! grep -q $'[\r\e]' <<<"$output" || { echo "terminal control characters in plain output" >&2; return 1; }
}
