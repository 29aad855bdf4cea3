#!/usr/bin/env bats
# Networks (docker's model over Debian's CNI plugins): the default bridge, user-defined
# networks with name resolution, published ports on 127.0.0.1, isolation, internal networks,
# none/host/container modes, connect/disconnect, and nothing left behind. Only loopback and
# the containers' own namespaces are talked to. Each test has its own --root (its networks,
# bridges, iptables chains and leases go with `system reset` in teardown).
load helpers
source "$BATS_TEST_DIRNAME/../lib/firewall.bash"

# portmap's shared chains are made by the first published port: gone again if this file made them.
setup_file() {
	copy_binaries
	export PORTMAP_CHAINS_BEFORE=$(shared_chains_present CNI-HOSTPORT)
}
teardown_file() {
	remove_shared_chains CNI-HOSTPORT "$PORTMAP_CHAINS_BEFORE"
	[ -z "${BERTH_COPY_DIR:-}" ] || rm -rf "$BERTH_COPY_DIR"
}

# Host-side ends of the veths on the bridge of network $1.
ports_on_bridge() {
	local bridge
	bridge=$(berth network inspect -f '{{json .Options}}' "$1" | jq -r '."com.docker.network.bridge.name"')
	ls "/sys/class/net/$bridge/brif" 2>/dev/null | wc -l
}
leases() { find "$ROOT/networks/cni/ipam" -type f -name '[0-9]*.[0-9]*.[0-9]*.[0-9]*' 2>/dev/null | wc -l; }
ip_of() { berth inspect -f "{{.NetworkSettings.Networks.$2.IPAddress}}" "$1"; }

@test "the default bridge: an address, a default route, lo up, /etc/hosts with the address" {
	run berth run --rm --name one busybox sh -c 'ip -4 -o addr show eth0; ip route; ip -o link show lo; tail -n 1 /etc/hosts; hostname'
	expect_status 0
	[[ ${lines[0]} == *"eth0"*"inet 10."*"/24"* ]]
	[[ ${lines[1]} == "default via 10."*" dev eth0"* ]]
	[[ $output == *"lo: <LOOPBACK,UP,LOWER_UP>"* ]]
	local address=${lines[0]#*inet }
	address=${address%%/*}
	expect_eq "hosts line" "$(grep -F "$address" <<<"$output" | tail -n 1 | cut -f2)" "${lines[-1]}"
	run berth network ls --format json
	[[ $output == *'"Name":"bridge"'* ]]
}

@test "inspect shows NetworkSettings; ps shows published ports; port lists them" {
	berth run -d --name web -p 127.0.0.1::80 -p 127.0.0.1:0:81/udp busybox sleep 60 >/dev/null
	run berth inspect web
	jq -e '.[0].NetworkSettings.IPAddress | test("^10\\.")' <<<"$output"
	jq -e '.[0].NetworkSettings.Gateway | test("^10\\.")' <<<"$output"
	jq -e '.[0].NetworkSettings.MacAddress | test("^([0-9a-f]{2}:){5}[0-9a-f]{2}$")' <<<"$output"
	jq -e '.[0].NetworkSettings.Networks.bridge.IPAddress == .[0].NetworkSettings.IPAddress' <<<"$output"
	jq -e '.[0].NetworkSettings.Ports["80/tcp"][0].HostIp == "127.0.0.1"' <<<"$output"
	local port
	port=$(jq -r '.[0].NetworkSettings.Ports["80/tcp"][0].HostPort' <<<"$output")
	[ "$port" -gt 0 ]
	run berth port web
	[[ $output == *"80/tcp -> 127.0.0.1:$port"* ]]
	[[ $output == *"81/udp -> 127.0.0.1:"* ]]
	expect_eq "port 80" "$(berth port web 80)" "127.0.0.1:$port"
	[[ "$(berth ps --format '{{.Ports}}')" == *"127.0.0.1:$port->80/tcp"* ]]
}

@test "-P publishes every port the image exposes on a free host port" {
	berth create --name base busybox true >/dev/null
	berth commit -c 'EXPOSE 80/tcp' -c 'EXPOSE 53/udp' base exposed:1 >/dev/null
	berth run -d --name pub -P exposed:1 sleep 60 >/dev/null
	run berth port pub
	expect_status 0
	[ "${#lines[@]}" -eq 2 ]
	[[ $output == *"53/udp -> 0.0.0.0:"* ]] && [[ $output == *"80/tcp -> 0.0.0.0:"* ]]
	[ "$(berth port pub 80 | cut -d: -f2)" -gt 0 ]
}

@test "a page served by busybox httpd through -p is fetched from the host with curl" {
	mkdir -p "$WORK/www" && echo "hello from berth" >"$WORK/www/index.html"
	local port
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	berth run -d --name srv -p "127.0.0.1:$port:80" -v "$WORK/www:/www:ro" busybox httpd -f -p 80 -h /www >/dev/null
	wait_for 5 curl -fsS "http://127.0.0.1:$port/"
	expect_eq page "$(curl -fsS "http://127.0.0.1:$port/")" "hello from berth"
	# published on 127.0.0.1 only: not on the bridge's address
	local gateway
	gateway=$(berth inspect -f '{{.NetworkSettings.Gateway}}' srv)
	run berth run --rm busybox wget -T 2 -qO- "http://$gateway:$port/"
	[ "$status" -ne 0 ]
	berth rm -f srv >/dev/null
	# published on every address: from another container too, through the host's address on
	# the bridge (only loopback and the bridge's own address are ever used)
	berth run -d --name srv -p "$port:80" -v "$WORK/www:/www:ro" busybox httpd -f -p 80 -h /www >/dev/null
	wait_for 5 curl -fsS "http://127.0.0.1:$port/"
	gateway=$(berth inspect -f '{{.NetworkSettings.Gateway}}' srv)
	run berth run --rm busybox wget -qO- "http://$gateway:$port/"
	expect_status 0
	expect_eq "from a container" "$output" "hello from berth"
}

@test "containers on a user-defined network reach each other by name and alias" {
	berth network create web >/dev/null
	mkdir -p "$WORK/www" && echo "by name" >"$WORK/www/index.html"
	berth run -d --name srv --network web --network-alias site -v "$WORK/www:/www:ro" busybox httpd -f -p 80 -h /www >/dev/null
	run berth run --rm --network web busybox wget -qO- http://srv/
	expect_status 0
	expect_eq "by name" "$output" "by name"
	run berth run --rm --network web busybox wget -qO- http://site/
	expect_eq "by alias" "$output" "by name"
	# a client started first learns of a server started later (hosts files are kept current)
	berth run -d --name client --network web busybox sleep 60 >/dev/null
	berth run -d --name late --network web -v "$WORK/www:/www:ro" busybox httpd -f -p 80 -h /www >/dev/null
	wait_for 5 berth exec client wget -qO- http://late/
	run berth network inspect web
	jq -e '.[0].Containers | length == 3' <<<"$output"
	# the default network has no name resolution (docker's)
	run berth run --rm busybox ping -c1 -W1 srv
	[ "$status" -ne 0 ]
}

@test "two networks cannot reach each other; an internal network has no way out" {
	berth network create a >/dev/null
	berth network create b >/dev/null
	berth run -d --name ina --network a busybox sleep 60 >/dev/null
	run berth run --rm --network a busybox ping -c1 -W1 "$(ip_of ina a)"
	expect_status 0
	run berth run --rm --network b busybox ping -c1 -W1 "$(ip_of ina a)"
	[ "$status" -ne 0 ]
	berth network create --internal secret >/dev/null
	run berth network inspect -f '{{.Internal}}' secret
	expect_eq internal "$output" true
	run berth run --rm --network secret busybox sh -c 'ip route | grep -c default; ping -c1 -W1 '"$(berth network inspect -f '{{json .IPAM.Config}}' a | jq -r '.[0].Gateway')"
	[ "${lines[0]}" = 0 ]
	[ "$status" -ne 0 ]
}

@test "--network none has only lo; host sees the host's interfaces; container: shares a namespace" {
	run berth run --rm --network none busybox ip -o link
	expect_status 0
	[ "${#lines[@]}" -eq 1 ] && [[ ${lines[0]} == *"lo:"*"UP"* ]]
	run berth run --rm --network host busybox ip -o link
	[ "${#lines[@]}" -eq "$(ip -o link | wc -l)" ]
	berth run -d --name first busybox sleep 60 >/dev/null
	run berth run --rm --network container:first busybox ip -4 -o addr show eth0
	[[ $output == *"inet $(berth inspect -f '{{.NetworkSettings.IPAddress}}' first)/"* ]]
}

@test "--ip, --dns, --add-host; bad network flags are refused with 125" {
	berth network create --subnet 10.98.77.0/24 fixed >/dev/null
	run berth run --rm --network fixed --ip 10.98.77.50 --dns 10.0.0.53 --dns-search example.test \
		--add-host db.local:10.1.2.3 busybox sh -c 'ip -4 -o addr show eth0; cat /etc/resolv.conf; grep db.local /etc/hosts'
	expect_status 0
	[[ $output == *"inet 10.98.77.50/24"* ]]
	[[ $output == *"nameserver 10.0.0.53"* ]] && [[ $output == *"search example.test"* ]]
	[[ $output == *"10.1.2.3"*"db.local"* ]]
	run -125 --separate-stderr berth run --rm --network nosuch busybox true
	assert_error_line
	run -125 --separate-stderr berth run --rm --ip 10.97.0.9 busybox true
	assert_error_line
	run -125 --separate-stderr berth run --rm --network fixed --ip 10.1.1.1 busybox true
	assert_error_line
	run -125 --separate-stderr berth run --rm -p 80:abc busybox true
	assert_error_line
	run --separate-stderr berth network create --subnet 10.98.77.0/25 overlap
	expect_status 1
	assert_error_line
	[ "$(container_count)" -eq 0 ]
}

@test "network connect and disconnect a running container; rm of a network in use is refused" {
	berth network create extra >/dev/null
	berth run -d --name c1 busybox sleep 60 >/dev/null
	berth network connect extra c1
	run berth exec c1 ip -o link
	[[ $output == *"eth1"* ]]
	run --separate-stderr berth network rm extra
	[ "$status" -ne 0 ] && [[ $stderr == *"active endpoints"* ]]
	berth network disconnect extra c1
	run berth exec c1 ip -o link
	[[ $output != *"eth1"* ]]
	berth network rm extra
	run --separate-stderr berth network rm bridge
	[ "$status" -ne 0 ] && [[ $stderr == *"pre-defined"* ]]
}

@test "twenty parallel runs on one network get twenty distinct addresses" {
	berth network create many >/dev/null
	local i
	for i in $(seq 1 20); do
		berth run -d --network many busybox sleep 60 >"$WORK/id.$i" 2>"$WORK/err.$i" &
	done
	wait
	[ "$(cat "$WORK"/id.* | grep -cE '^[0-9a-f]{64}$')" -eq 20 ] || { cat "$WORK"/err.* >&2; false; }
	local ips
	ips=$(for id in $(cat "$WORK"/id.*); do ip_of "$id" many; done | sort -u | grep -c .)
	expect_eq "distinct addresses" "$ips" 20
	expect_eq leases "$(leases)" 20
}

@test "nothing is left behind: rm, network rm, --rm, and a killed monitor" {
	berth network create tidy >/dev/null
	berth run -d --name ca --network tidy busybox sleep 60 >/dev/null
	berth run -d --name cb --network tidy busybox sleep 60 >/dev/null
	expect_eq "veths" "$(ports_on_bridge tidy)" 2
	berth rm -f ca >/dev/null
	expect_eq "veths after rm" "$(ports_on_bridge tidy)" 1
	# the monitor of b is killed: the next command repairs the record and frees the network
	local id monitor
	id=$(cid cb)
	monitor=$(jq -r .monitorPid "$ROOT/containers/$id/container.json")
	grep -qF "$ROOT" "/proc/$monitor/cmdline"
	kill -9 "$monitor"
	berth ps -a >/dev/null
	expect_eq "state" "$(state_of cb)" exited
	expect_eq "veths after the monitor died" "$(ports_on_bridge tidy)" 0
	[ ! -e "$ROOT/netns/$id" ]
	berth run --rm --network tidy busybox true
	expect_eq leases "$(leases)" 0
	local bridge
	bridge=$(berth network inspect -f '{{json .Options}}' tidy | jq -r '."com.docker.network.bridge.name"')
	[ -d "/sys/class/net/$bridge" ]
	berth rm cb >/dev/null
	berth network rm tidy
	[ ! -d "/sys/class/net/$bridge" ]
	[ -z "$(ls -A "$ROOT/netns")" ]
}

@test "a berth run killed at any point leaves nothing once the next command has run" {
	berth network create killed >/dev/null
	local delay
	for delay in 0.02 0.05 0.08 0.12 0.16 0.25; do
		berth run -d --network killed busybox sleep 60 >/dev/null 2>&1 &
		local pid=$!
		sleep "$delay"
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	berth ps -a >/dev/null
	local running
	running=$(berth ps -q | wc -l)
	# every lease and veth belongs to a running container
	expect_eq "leases" "$(leases)" "$running"
	expect_eq "veths" "$(ports_on_bridge killed)" "$running"
	expect_eq "namespaces" "$(ls "$ROOT/netns" | wc -l)" "$running"
}
