#!/bin/bash
# Berth copy of shared/clients/registry.sh (the project's shared client test material).
# CI must not depend on ../shared, so the set of scripts lives here; they find each other
# through lib.sh's CLIENTS_DIR (this directory). Changes from the shared original: none
# but this header. `make e2e-images` (tests/images) starts it once per bats file.
#
# registry.sh start|stop|status DIR
# registry.sh curl-pull DIR NAME:TAG DEST
#
# A private, plain-HTTP, no-auth image registry for pull tests: the CNCF
# distribution registry v2 (Debian package docker-registry), listening on
# 127.0.0.1 only, storing its data under DIR.
#
#   start      build the test images (make-test-images.sh DIR/images) unless
#              IMAGES_DIR points at an existing output of that script, start
#              the registry and push:
#                127.0.0.1:5000/busybox:latest          OCI image manifest, 1 layer
#                127.0.0.1:5000/busybox:v2s2            Docker v2 schema 2 manifest
#                127.0.0.1:5000/busybox:multi           OCI manifest, 4 layers with
#                                                      a whiteout + an opaque dir
#                127.0.0.1:5000/busybox:index           OCI image index (2 platforms)
#                127.0.0.1:5000/busybox:list-v2s2       Docker manifest list (2 platforms)
#                127.0.0.1:5000/library/busybox:latest  Docker v2s2, two-part name
#              then checks every tag with `skopeo inspect`, pulls busybox:multi
#              back with `skopeo copy docker://... oci:...` (layer digests must
#              match) and prints a summary.
#   stop       stop the registry started from DIR and delete what start created
#              (set KEEP_LOG=1 to keep DIR/registry.log, the HTTP access log).
#   status     say whether it runs and list repositories and tags.
#   curl-pull  pull NAME:TAG from the running registry with nothing but curl,
#              sha256sum and jq, writing manifest.json, config.json and the
#              layer blobs to DEST, and printing every HTTP request made. It is
#              a worked example of the pull protocol for client implementers.
#
# Environment: REGISTRY_ADDR (default 127.0.0.1:5000), IMAGES_DIR, KEEP_LOG.
# Only Debian packages are used: docker-registry skopeo curl jq (+ those of
# make-test-images.sh).

set -euo pipefail
CLIENTS_SCRIPT=registry.sh
. "$(dirname "$(readlink -f "$0")")/lib.sh"

usage() {
    echo "usage: $0 start|stop|status DIR" >&2
    echo "       $0 curl-pull DIR NAME:TAG DEST" >&2
    exit 2
}
[ $# -ge 2 ] || usage
CMD=$1
DIR=$(readlink -m "$2")
ADDR=${REGISTRY_ADDR:-127.0.0.1:5000}
URL=http://$ADDR
PIDFILE=$DIR/registry.pid
MARK=$DIR/.clients-registry   # marks DIR as created by this script

# Is the registry recorded in DIR running? (checks the process really is our
# docker-registry, so that a recycled PID is never signalled)
running_pid() {
    local pid
    [ -f "$PIDFILE" ] || return 1
    pid=$(cat "$PIDFILE")
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "docker-registry serve $DIR/config.yml" || return 1
    echo "$pid"
}

wait_ready() {
    local _
    for _ in $(seq 1 100); do
        if curl -fsS -o /dev/null "$URL/v2/" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    return 1
}

# ---------------------------------------------------------------------- start
do_start() {
    ensure_cmds docker-registry docker-registry skopeo skopeo curl curl jq jq
    if pid=$(running_pid); then
        log "already running (pid $pid) on $URL"
        return 0
    fi
    if curl -s -o /dev/null --max-time 2 "$URL/v2/" 2>/dev/null; then
        die "something already listens on $ADDR; set REGISTRY_ADDR=127.0.0.1:PORT"
    fi
    mkdir -p "$DIR"
    touch "$MARK"

    local images=${IMAGES_DIR:-}
    if [ -z "$images" ]; then
        images=$DIR/images
        if [ ! -f "$images/IMAGES.txt" ]; then
            "$CLIENTS_DIR/make-test-images.sh" "$images" >/dev/null
        fi
    fi
    [ -d "$images/oci" ] || die "no OCI layout in $images (run make-test-images.sh)"

    mkdir -p "$DIR/data"
    cat > "$DIR/config.yml" <<EOF
# written by registry.sh: plain HTTP on $ADDR only, no authentication
version: 0.1
log:
  level: info
  accesslog:
    disabled: false
storage:
  filesystem:
    rootdirectory: $DIR/data
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: $ADDR
  headers:
    X-Content-Type-Options: [nosniff]
EOF
    printf '{"default":[{"type":"insecureAcceptAnything"}]}\n' > "$DIR/policy.json"

    log "starting docker-registry on $URL (log: $DIR/registry.log)"
    setsid docker-registry serve "$DIR/config.yml" >> "$DIR/registry.log" 2>&1 < /dev/null &
    echo $! > "$PIDFILE"
    if ! wait_ready; then
        tail -n 20 "$DIR/registry.log" >&2 || true
        do_stop
        die "registry did not come up on $URL"
    fi

    local S=(skopeo --policy "$DIR/policy.json")
    local P=(copy -q --dest-tls-verify=false)
    local oci=oci:$images/oci
    log "pushing test images"
    "${S[@]}" "${P[@]}" "$oci:latest" "docker://$ADDR/busybox:latest"
    "${S[@]}" "${P[@]}" --format v2s2 "$oci:latest" "docker://$ADDR/busybox:v2s2"
    "${S[@]}" "${P[@]}" "$oci:multi" "docker://$ADDR/busybox:multi"
    "${S[@]}" "${P[@]}" --all "$oci:index" "docker://$ADDR/busybox:index"
    "${S[@]}" "${P[@]}" --all --format v2s2 "$oci:index" "docker://$ADDR/busybox:list-v2s2"
    "${S[@]}" "${P[@]}" --format v2s2 "$oci:latest" "docker://$ADDR/library/busybox:latest"

    # Verify each reference can be read back, and show what the registry
    # serves (the Content-Type is decided by the Accept header; see
    # RUNTIME-CONTRACT.md, "Registry").
    local ref ct accept
    accept="application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"
    for ref in busybox:latest busybox:v2s2 busybox:multi busybox:index busybox:list-v2s2 library/busybox:latest; do
        "${S[@]}" inspect --tls-verify=false "docker://$ADDR/$ref" >/dev/null ||
            die "cannot inspect $ADDR/$ref"
        ct=$(curl -fsS -o /dev/null -w '%{content_type}' -H "Accept: $accept" \
                "$URL/v2/${ref%%:*}/manifests/${ref##*:}")
        printf '  %-40s %s\n' "$ADDR/$ref" "$ct"
    done
    # Pull one image back into an OCI layout and compare the layer digests.
    rm -rf "$DIR/pulled-oci"
    "${S[@]}" copy -q --src-tls-verify=false "docker://$ADDR/busybox:multi" "oci:$DIR/pulled-oci:multi" ||
        die "skopeo could not pull $ADDR/busybox:multi back"
    [ "$("${S[@]}" inspect "oci:$DIR/pulled-oci:multi" | jq -c .Layers)" = \
      "$("${S[@]}" inspect "$oci:multi" | jq -c .Layers)" ] ||
        die "layers pulled back differ from the ones pushed"
    rm -rf "$DIR/pulled-oci"
    log "registry ready: $URL (pid $(cat "$PIDFILE")); stop with: $0 stop $DIR"
}

# ----------------------------------------------------------------------- stop
do_stop() {
    local pid
    if pid=$(running_pid); then
        log "stopping registry pid $pid"
        kill -TERM "$pid" 2>/dev/null || true
        wait_gone "$pid" 10 || { kill -KILL "$pid" 2>/dev/null || true; wait_gone "$pid" 5 || true; }
    else
        log "no registry running for $DIR"
    fi
    rm -rf "$DIR/data" "$DIR/config.yml" "$DIR/policy.json" "$PIDFILE"
    if [ -f "$MARK" ]; then
        rm -rf "$DIR/images"
        [ "${KEEP_LOG:-0}" = 1 ] || rm -f "$DIR/registry.log"
        rm -f "$MARK"
        rmdir "$DIR" 2>/dev/null || true
    fi
}

# --------------------------------------------------------------------- status
do_status() {
    local pid repo
    if pid=$(running_pid); then
        echo "running: pid $pid, $URL"
        for repo in $(curl -fsS "$URL/v2/_catalog" | jq -r '.repositories[]'); do
            echo "  $repo: $(curl -fsS "$URL/v2/$repo/tags/list" | jq -r '.tags | join(" ")')"
        done
    else
        echo "not running"
        return 1
    fi
}

# ------------------------------------------------------------------ curl-pull
# A registry pull by hand. Every request is echoed as "> METHOD URL".
do_curl_pull() {
    [ $# -eq 2 ] || usage
    local ref=$1 dest=$2 name tag accept mf ct digest arch cfg l n=0
    name=${ref%:*} tag=${ref##*:}
    [ "$name" != "$ref" ] || tag=latest
    ensure_cmds curl curl jq jq sha256sum coreutils
    mkdir -p "$dest"
    # Ask for every manifest type we understand. Without an Accept header this
    # registry answers 404 for OCI manifests and converts Docker ones to the
    # old schema 1.
    accept="application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json"

    echo "> GET $URL/v2/    (API version check; 401 here would mean: get a token)"
    curl -fsS -o /dev/null -D - "$URL/v2/" | grep -i '^docker-distribution-api-version' || true

    fetch_manifest() {   # $1 = tag or digest; writes $dest/manifest.json, sets ct
        local hdr=$dest/.headers want
        mf=$dest/manifest.json
        echo "> GET $URL/v2/$name/manifests/$1   Accept: (4 manifest media types)"
        curl -fsS -H "Accept: $accept" -D "$hdr" -o "$mf" "$URL/v2/$name/manifests/$1"
        ct=$(tr -d '\r' < "$hdr" | awk -F': ' 'tolower($1) == "content-type" {print $2}')
        want=$(tr -d '\r' < "$hdr" | awk -F': ' 'tolower($1) == "docker-content-digest" {print $2}')
        rm -f "$hdr"
        echo "  Content-Type: $ct"
        echo "  Docker-Content-Digest: $want"
        # The manifest bytes must hash to the digest (the one we asked for, or
        # the one the registry announces for a tag).
        case "$1" in sha256:*) want=$1 ;; esac
        [ "sha256:$(sha256sum < "$mf" | cut -d' ' -f1)" = "$want" ] ||
            die "manifest digest mismatch for $1"
    }
    fetch_manifest "$tag"
    case "$ct" in
        application/vnd.oci.image.index.v1+json|application/vnd.docker.distribution.manifest.list.v2+json)
            arch=$(host_oci_arch)
            digest=$(jq -r --arg a "$arch" \
                '[.manifests[] | select(.platform.os == "linux" and .platform.architecture == $a)][0].digest' "$mf")
            [ "$digest" != null ] || die "no linux/$arch entry in the index"
            echo "  index: picking linux/$arch -> $digest"
            cp "$mf" "$dest/index.json"
            fetch_manifest "$digest"
            ;;
    esac

    fetch_blob() {   # $1 = digest, $2 = output file; verifies the sha256
        echo "> GET $URL/v2/$name/blobs/$1"
        curl -fsSL -o "$2" "$URL/v2/$name/blobs/$1"
        [ "sha256:$(sha256sum < "$2" | cut -d' ' -f1)" = "$1" ] || die "digest mismatch for $1"
    }
    cfg=$(jq -r .config.digest "$mf")
    fetch_blob "$cfg" "$dest/config.json"
    mkdir -p "$dest/layers"
    for l in $(jq -r '.layers[].digest' "$mf"); do
        n=$((n + 1))
        fetch_blob "$l" "$dest/layers/$n-${l#sha256:}.tar.gz"
    done
    echo "pulled $ADDR/$name:$tag -> $dest ($n layers; config $(jq -c '.config.Cmd' "$dest/config.json"))"
}

case "$CMD" in
    start) do_start ;;
    stop) do_stop ;;
    status) do_status ;;
    curl-pull) shift 2; do_curl_pull "$@" ;;
    *) usage ;;
esac
