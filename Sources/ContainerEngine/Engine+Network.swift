import Diagnostics
import EngineSpec
import EngineState
import LinuxSyscalls
import LiteJSON
import Networking

#if canImport(Glibc)
import Glibc
#endif

extension Engine {
    var cni: CNIDriver { CNIDriver(stateDirectory: "\(root)/networks/cni") }
    var netnsDirectory: String { "\(root)/netns" }
    func networkStatePath(_ id: String) -> String { "\(directory(id))/network.json" }

    /// The container's network state; nil when it has none.
    public func networkState(_ id: String) -> ContainerNetwork? {
        guard let bytes = try? Files.read(networkStatePath(id)) else { return nil }
        return try? LiteJSONDecoder().decode(ContainerNetwork.self, from: bytes)
    }

    func saveNetworkState(_ state: ContainerNetwork, for id: String) throws {
        try Files.writeAtomically(networkStatePath(id), try LiteJSONEncoder().encode(state), mode: 0o600)
    }

    /// The network definitions `names` stand for ("bridge" is made on first use). A network
    /// whose bridge is gone (the host rebooted) gets it back, with this root's rules.
    func definitions(_ names: [String]) throws -> [NetworkDefinition] {
        try names.map { name in
            if name == NetworkDefinition.defaultName { return try ensureDefaultNetwork() }
            let network = try networks.inspect(name)
            if !Files.exists("/sys/class/net/\(network.bridge)") {
                try withNetworkLock {
                    try BridgeDevice.create(network)
                    try applyNetworkRules()
                }
            }
            return network
        }
    }

    /// docker's `bridge` network, made (with its bridge and iptables rules) the first time it is needed.
    @discardableResult
    public func ensureDefaultNetwork() throws -> NetworkDefinition {
        if let existing = try? networks.inspect(NetworkDefinition.defaultName),
           Files.exists("/sys/class/net/\(existing.bridge)") { return existing }
        return try withNetworkLock {
            let network = try networks.ensureDefault()
            try BridgeDevice.create(network)
            try applyNetworkRules()
            return network
        }
    }

    /// Runs `body` holding this root's lock for bridges and iptables rules: twenty `run`s
    /// racing to make the default network make one bridge.
    func withNetworkLock<T>(_ body: () throws -> T) throws -> T {
        try Files.makeDirectories("\(root)/networks", mode: 0o700)
        let lock = try FileLock.exclusive("\(root)/networks/rules.lock")
        defer { lock.unlock() }
        return try body()
    }

    /// This root's iptables chains: BERTH-FWD-<tag> and BERTH-NAT-<tag>, the tag a hash of the
    /// root, so that two state roots on one host (tests, a user's and the system's) keep their
    /// own rules.
    var isolation: Isolation {
        var hash: UInt32 = 2_166_136_261   // FNV-1a
        for byte in root.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let tag = String(hash, radix: 16)
        let padded = String(repeating: "0", count: 8 - tag.count) + tag
        return Isolation(chain: "BERTH-FWD-\(padded)", natChain: "BERTH-NAT-\(padded)")
    }

    /// Rewrites this root's forwarding, isolation and NAT rules for every network it has.
    public func applyNetworkRules() throws {
        let all = try networks.list()
        if all.isEmpty { try isolation.removeAll() } else { try isolation.apply(all) }
    }

    /// Checks `--network`, `--ip`, `--network-alias` and `-p` at create; returns the networks
    /// the container joins.
    func checkNetworkOptions(_ options: RunOptions) throws -> [String] {
        switch NetworkMode(options.network) {
        case .host, .none:
            return []
        case .container(let other):
            _ = try BerthError.wrap("--network container:\(other)") { try containers.load(other) }
            return []
        case .networks(let names):
            let network = try definitions(names)[0]
            let userDefined = network.name != NetworkDefinition.defaultName
            if options.ip != nil && !userDefined {
                throw BerthError.invalid("user specified IP address is supported on user defined networks only")
            }
            if !options.networkAliases.isEmpty && !userDefined {
                throw BerthError.invalid("network-scoped alias is supported only for containers in user defined networks")
            }
            _ = try PortMapping.parse(options.publish)
            for text in options.addHosts where HostsFile.parseExtraHost(text) == nil {
                throw BerthError.invalid("invalid argument \"\(text)\" for \"--add-host\" flag: bad format for add-host: \"\(text)\"")
            }
            return [network.name]
        }
    }

    /// Makes the container's network namespace and attaches its networks: what `start` does
    /// before the runtime creates the container.
    /// - Returns: the namespace path for the spec (nil: a fresh one, or the host's), and the state.
    func setUpNetwork(_ record: ContainerRecord, _ settings: ContainerSettings,
                      image exposedPorts: [String]) throws -> (path: String?, state: ContainerNetwork?) {
        let options = settings.options
        switch NetworkMode(options.network) {
        case .host:
            return (nil, nil)
        case .container(let other):
            let target = try container(other)
            guard target.state == .running || target.state == .paused, target.pid > 0 else {
                throw BerthError(.invalidState, "cannot join network of a non running container: \(other)")
            }
            return ("/proc/\(target.pid)/ns/net", nil)
        case .none:
            // A namespace with only lo, up: no plugin, no state; the monitor removes it.
            try tearDownNetwork(record.id)
            try Files.makeDirectory(netnsDirectory, mode: 0o700)
            let path = "\(netnsDirectory)/\(record.id)"
            try NetworkNamespace.create(path: path, loopbackUp: true)
            return (path, nil)
        case .networks:
            break
        }
        try tearDownNetwork(record.id)   // what a killed start may have left
        try Files.makeDirectory(netnsDirectory, mode: 0o700)
        var state = ContainerNetwork(netnsPath: "\(netnsDirectory)/\(record.id)", networks: settings.networks)
        var requested = try PortMapping.parse(options.publish)
        if options.publishAll {
            for port in exposedPorts.sorted() {
                let parts = port.split(separator: "/")
                guard let number = parts.first.flatMap({ UInt16($0) }) else { continue }
                let proto = parts.count > 1 ? String(parts[1]) : "tcp"
                if !requested.contains(where: { $0.containerPort == number && $0.proto == proto }) {
                    requested.append(PortMapping(hostPort: 0, containerPort: number, proto: proto))
                }
            }
        }
        state.ports = state.networks.isEmpty ? [] : try PortMapping.assigningFreePorts(requested)
        try saveNetworkState(state, for: record.id)
        do {
            try NetworkNamespace.create(path: state.netnsPath)
            for (index, network) in try definitions(state.networks).enumerated() {
                var attachment = try cni.add(network: network, containerID: record.id, netnsPath: state.netnsPath,
                                             interface: "eth\(index)", staticIP: index == 0 ? options.ip : nil,
                                             portMappings: index == 0 ? state.ports : [])
                attachment.aliases = [record.name, String(record.id.prefix(12))]
                    + (network.name == NetworkDefinition.defaultName ? [] : options.networkAliases)
                state.attachments.append(attachment)
                try saveNetworkState(state, for: record.id)
            }
        } catch {
            try? tearDownNetwork(record.id)
            throw error
        }
        return (state.netnsPath, state)
    }

    /// Undoes `setUpNetwork`: detaches every network (the plugins' DEL), removes the namespace
    /// and the state, and updates the hosts files of the peers. Idempotent; a missing network
    /// (removed meanwhile) is skipped.
    public func tearDownNetwork(_ id: String) throws {
        guard Files.isDirectory(directory(id)) else { return }
        let lock = try FileLock.exclusive("\(directory(id))/network.lock")
        defer { lock.unlock() }
        guard let state = networkState(id) else {
            if unlink(networkStatePath(id)) != 0 && errno != ENOENT { throw BerthError.system("unlink", path: networkStatePath(id)) }
            try NetworkNamespace.remove(path: "\(netnsDirectory)/\(id)")   // --network none's, if any
            return
        }
        var problems: [String] = []
        for (index, name) in state.networks.enumerated() {
            guard let network = try? networks.inspect(name) else { continue }
            do {
                try cni.remove(network: network, containerID: id, netnsPath: state.netnsPath, interface: "eth\(index)")
            } catch let error as BerthError {
                problems.append(error.message)
            }
        }
        do { try NetworkNamespace.remove(path: state.netnsPath) } catch let error as BerthError { problems.append(error.message) }
        guard problems.isEmpty else {
            throw BerthError(.external, "container \(id): remove its network: " + problems.joined(separator: "; "))
        }
        if unlink(networkStatePath(id)) != 0 && errno != ENOENT { throw BerthError.system("unlink", path: networkStatePath(id)) }
        try? refreshHostsFiles(networks: Set(state.networks))
    }

    /// Undoes the networks of containers that no monitor keeps and no `start` is setting up:
    /// what a command killed half-way through `run` left (namespace, veth, lease, rules).
    func reconcileNetworks(_ records: [ContainerRecord]) {
        // Leases and cached results of containers whose record is gone altogether.
        _ = try? LeaseSweeper.sweep(stateDirectory: "\(root)/networks/cni", liveContainerIDs: Set(records.map(\.id)))
        for record in records where !monitorIsAlive(record)
            && (Files.exists(networkStatePath(record.id)) || Files.exists("\(netnsDirectory)/\(record.id)")) {
            guard ![.running, .paused, .restarting].contains(record.state),
                  let lock = try? FileLock.tryExclusive("\(directory(record.id))/start.lock") else { continue }
            defer { lock.unlock() }
            // Read again under the lock: a start may have finished since the list was read.
            guard let current = try? containers.load(record.id), !monitorIsAlive(current),
                  ![.running, .paused, .restarting].contains(current.state) else { continue }
            try? tearDownNetwork(record.id)
        }
    }

    /// The container's /etc/hosts: its own addresses, the peers on its user-defined networks,
    /// and `--add-host`.
    func hostsFile(_ record: ContainerRecord, hostname: String, state: ContainerNetwork?, options: RunOptions) throws -> String {
        let extra = options.addHosts.compactMap { HostsFile.parseExtraHost($0) }
        let own = (state?.attachments ?? []).map { HostsFile.Entry(ip: $0.ip, names: [hostname]) }
        return HostsFile.render(hostname: hostname, ownAddresses: own, peers: try peers(of: record.id, state: state),
                                extraHosts: extra)
    }

    /// The other containers on the user-defined networks of `state`, one entry per address.
    func peers(of id: String, state: ContainerNetwork?) throws -> [HostsFile.Entry] {
        let shared = Set((state?.attachments ?? []).map(\.network)).subtracting([NetworkDefinition.defaultName])
        guard !shared.isEmpty else { return [] }
        var entries: [HostsFile.Entry] = []
        for other in try containers.list() where other.id != id {
            guard let theirs = networkState(other.id) else { continue }
            for attachment in theirs.attachments where shared.contains(attachment.network) {
                entries.append(HostsFile.Entry(ip: attachment.ip, names: attachment.aliases))
            }
        }
        return entries
    }

    /// Rewrites, in place (the file is bind-mounted), the hosts file of every container attached
    /// to one of `networks` (user-defined ones: docker's default network has no name resolution).
    func refreshHostsFiles(networks names: Set<String>) throws {
        let shared = names.subtracting([NetworkDefinition.defaultName])
        guard !shared.isEmpty else { return }
        try Files.makeDirectories("\(root)/networks", mode: 0o700)
        let lock = try FileLock.exclusive("\(root)/networks/hosts.lock")
        defer { lock.unlock() }
        for record in try containers.list() {
            guard let state = networkState(record.id), state.attachments.contains(where: { shared.contains($0.network) }),
                  let settings = try? settings(of: record) else { continue }
            let hostname = settings.options.hostname ?? String(record.id.prefix(12))
            let content = try hostsFile(record, hostname: hostname, state: state, options: settings.options)
            let path = "\(directory(record.id))/hosts"
            guard let file = try? FileDescriptor.open(path, O_WRONLY | O_TRUNC | O_NOFOLLOW) else { continue }
            try file.writeAll(content)
        }
    }

    /// `berth network connect`: attaches a network (eth<n>) to a running container, or records
    /// it for the next start.
    public func connect(_ idOrName: String, network name: String, aliases: [String] = [], ip: String? = nil) throws {
        let record = try container(idOrName)
        let network = try definitions([name])[0]
        var settings = try settings(of: record)
        guard !settings.networks.contains(network.name) else {
            throw BerthError(.alreadyExists, "endpoint with name \(record.name) already exists in network \(network.name)")
        }
        guard case .networks = NetworkMode(settings.options.network) else {
            throw BerthError.invalid("container \(record.name) is not on a bridge network (--network \(settings.options.network))")
        }
        if record.state == .running || record.state == .paused, var state = networkState(record.id) {
            var attachment = try cni.add(network: network, containerID: record.id, netnsPath: state.netnsPath,
                                         interface: "eth\(state.networks.count)", staticIP: ip)
            attachment.aliases = [record.name, String(record.id.prefix(12))] + aliases
            state.networks.append(network.name)
            state.attachments.append(attachment)
            try saveNetworkState(state, for: record.id)
            try refreshHostsFiles(networks: Set(state.networks))
        }
        settings.networks.append(network.name)
        let value = try LiteJSONEncoder().encodeToValue(settings)
        try containers.update(record.id) { $0.config = value }
    }

    /// `berth network disconnect`.
    public func disconnect(_ idOrName: String, network name: String) throws {
        let record = try container(idOrName)
        let network = try definitions([name])[0]
        var settings = try settings(of: record)
        guard settings.networks.contains(network.name) else {
            throw BerthError.invalid("container \(record.name) is not connected to network \(network.name)")
        }
        if var state = networkState(record.id), let index = state.networks.firstIndex(of: network.name) {
            try cni.remove(network: network, containerID: record.id, netnsPath: state.netnsPath, interface: "eth\(index)")
            state.attachments.removeAll { $0.network == network.name }
            state.networks[index] = ""   // interface names stay put
            try saveNetworkState(state, for: record.id)
            try refreshHostsFiles(networks: [network.name])
        }
        settings.networks.removeAll { $0 == network.name }
        let value = try LiteJSONEncoder().encodeToValue(settings)
        try containers.update(record.id) { $0.config = value }
    }

    /// Containers attached to `network` now (running ones).
    public func attachedContainers(_ network: String) throws -> [(ContainerRecord, Attachment)] {
        try containers.list().compactMap { record in
            guard let attachment = networkState(record.id)?.attachments.first(where: { $0.network == network }) else { return nil }
            return (record, attachment)
        }
    }

    /// `berth network rm`: refuses while containers are attached; the default network only
    /// goes with `system reset` (`force`).
    public func removeNetwork(_ name: String, force: Bool = false) throws -> NetworkDefinition {
        let network = try networks.inspect(name)
        if network.name == NetworkDefinition.defaultName && !force {
            throw BerthError(.invalidState, "bridge is a pre-defined network and cannot be removed")
        }
        let attached = try attachedContainers(network.name)
        guard attached.isEmpty else {
            throw BerthError(.invalidState, "error while removing network: network \(network.name) id \(network.id) has active endpoints")
        }
        if network.name == NetworkDefinition.defaultName {
            try networks.removeDefault()
        } else {
            _ = try networks.remove(network.id)
        }
        try withNetworkLock {
            try cni.removeNetwork(network)
            try applyNetworkRules()
        }
        return network
    }

    /// `berth network create`.
    public func createNetwork(name: String, subnet: String?, gateway: String?, internal: Bool,
                              labels: [String: String]) throws -> NetworkDefinition {
        if name != NetworkDefinition.defaultName { try ensureDefaultNetwork() }
        let network = try networks.create(name: name, subnet: subnet, gateway: gateway, internal: `internal`, labels: labels)
        do {
            try withNetworkLock {
                try BridgeDevice.create(network)
                try applyNetworkRules()
            }
        } catch {
            _ = try? networks.remove(network.id)
            try? cni.removeNetwork(network)
            throw error
        }
        return network
    }
}
