import Diagnostics
import LinuxSyscalls
import LiteJSON

#if canImport(Glibc)
import Glibc
#endif

/// Connects network namespaces to bridge networks by running Debian's CNI plugins directly
/// (no libcni): loopback for `lo`, then the chain bridge → portmap, each link getting
/// the previous result. The final result is cached for DEL, which runs the chain in reverse.
///
/// State under `stateDirectory`: `ipam/<network>/<ip>` (host-local's leases, content
/// "<container id>\r\n<ifname>") and `results/<container>-<ifname>-<network>.json`.
public struct CNIDriver: Sendable {
    public let pluginDirectory: String
    public let stateDirectory: String

    /// - Parameters:
    ///   - pluginDirectory: where the plugin binaries are (CNI_PATH).
    ///   - stateDirectory: `<root>/networks/cni`.
    public init(pluginDirectory: String = "/usr/lib/cni", stateDirectory: String) {
        self.pluginDirectory = pluginDirectory
        self.stateDirectory = stateDirectory
    }

    /// host-local's `dataDir`.
    public var ipamDirectory: String { "\(stateDirectory)/ipam" }
    public var resultsDirectory: String { "\(stateDirectory)/results" }

    func resultPath(containerID: String, interface: String, network: String) -> String {
        "\(resultsDirectory)/\(containerID)-\(interface)-\(network).json"
    }

    // MARK: - ADD

    /// Attaches the network namespace at `netnsPath` to `network` as `interface`, and brings `lo` up.
    /// - Parameters:
    ///   - staticIP: `--ip`, passed to host-local as CNI_ARGS `IP=`; nil = the next free address.
    ///   - portMappings: `-p` with host ports already chosen (`PortMapping.assigningFreePorts`).
    /// - Returns: the address, gateway and MAC the container got.
    /// - Throws: `.external` "network NAME: PLUGIN: message" when a plugin fails (what the earlier
    ///   links did is undone), `.invalidArgument` for a static IP outside the subnet.
    public func add(network: NetworkDefinition, containerID: String, netnsPath: String, interface: String = "eth0",
                    staticIP: String? = nil, portMappings: [PortMapping] = []) throws -> Attachment {
        if let staticIP {
            guard let address = IPv4Address(staticIP), let subnet = network.ipv4Subnet, subnet.contains(address) else {
                throw BerthError.invalid("invalid address \(staticIP): it does not belong to any of this network's subnets")
            }
        }
        try Files.makeDirectories(resultsDirectory, mode: 0o700)
        try Files.makeDirectories(ipamDirectory, mode: 0o700)
        let loopbackEnvironment = environment("ADD", containerID: containerID, netnsPath: netnsPath, interface: "lo")
        _ = try invoke("loopback", config: CNIConfig.loopback, environment: loopbackEnvironment, network: network.name)

        var arguments = "IgnoreUnknown=1"
        if let staticIP { arguments += ";IP=\(staticIP)" }
        let env = environment("ADD", containerID: containerID, netnsPath: netnsPath, interface: interface, arguments: arguments)
        var done: [JSONValue] = []
        var result: JSONValue?
        do {
            for config in chain(network, portMappings: portMappings) {
                let type = config["type"]?.stringValue ?? "?"
                result = try invoke(type, config: CNIConfig.chained(config, previous: result), environment: env, network: network.name)
                done.append(config)
            }
        } catch {
            let undo = environment("DEL", containerID: containerID, netnsPath: netnsPath, interface: interface)
            for config in done.reversed() {
                _ = try? invoke(config["type"]?.stringValue ?? "?", config: CNIConfig.chained(config, previous: result),
                                environment: undo, network: network.name)
            }
            throw error
        }
        guard let result else { throw BerthError(.internalError, "network \(network.name): no result") }
        let attachment = try Self.attachment(from: result, network: network, interface: interface)
        let cache: JSONValue = .object([
            ("network", .string(network.name)),
            ("networkID", .string(network.id)),
            ("containerID", .string(containerID)),
            ("interface", .string(interface)),
            ("portMappings", try BerthError.wrap("encode port mappings") { try LiteJSONEncoder().encodeToValue(portMappings) }),
            ("result", result),
        ])
        try Files.writeAtomically(resultPath(containerID: containerID, interface: interface, network: network.name),
                                  cache.serialized(pretty: true), mode: 0o600)
        return attachment
    }

    /// The links of the chain; portmap only when something is published (it is a no-op otherwise).
    func chain(_ network: NetworkDefinition, portMappings: [PortMapping]) -> [JSONValue] {
        var configs = [CNIConfig.bridge(network, ipamDirectory: ipamDirectory)]
        if !portMappings.isEmpty { configs.append(CNIConfig.portmap(network, portMappings: portMappings)) }
        return configs
    }

    /// The Attachment a result describes: the first address on the interface inside the sandbox.
    static func attachment(from result: JSONValue, network: NetworkDefinition, interface: String) throws -> Attachment {
        let interfaces = result["interfaces"]?.arrayValue ?? []
        let ips = result["ips"]?.arrayValue ?? []
        let sandboxIndex = interfaces.firstIndex { $0["name"]?.stringValue == interface && $0["sandbox"] != nil }
        let entry = ips.first { ip in
            guard let sandboxIndex, let index = ip["interface"]?.int64Value else { return false }
            return Int(index) == sandboxIndex
        } ?? ips.first { IPv4Subnet($0["address"]?.stringValue ?? "") != nil }
        guard let entry, let cidr = entry["address"]?.stringValue,
              let slash = cidr.firstIndex(of: "/"), let length = Int(cidr[cidr.index(after: slash)...]) else {
            throw BerthError(.external, "network \(network.name): bridge: no IPv4 address in the result")
        }
        let mac = sandboxIndex.flatMap { interfaces[$0]["mac"]?.stringValue } ?? ""
        return Attachment(network: network.name, networkID: network.id, ip: String(cidr[..<slash]), prefixLength: length,
                          gateway: entry["gateway"]?.stringValue ?? network.gateway, mac: mac, interface: interface)
    }

    // MARK: - DEL

    /// Detaches `interface` from `network`: DEL through the chain in reverse with the cached
    /// result. Works when the namespace is gone and when it ran before (idempotent); without a
    /// cached result (a crash between ADD and the cache) the address comes from host-local's lease.
    /// - Throws: `.external` when a plugin fails; the cached result stays for a retry.
    public func remove(network: NetworkDefinition, containerID: String, netnsPath: String, interface: String = "eth0") throws {
        let path = resultPath(containerID: containerID, interface: interface, network: network.name)
        var previous: JSONValue?
        var portMappings: [PortMapping] = []
        if let bytes = try? Files.read(path), let cache = try? JSONParser.parse(bytes) {
            previous = cache["result"]
            if let value = cache["portMappings"] { portMappings = (try? LiteJSONDecoder().decode([PortMapping].self, from: value)) ?? [] }
        } else {
            previous = leaseResult(network: network, containerID: containerID, interface: interface)
            // portmap deletes nothing without a mapping; its chains are named after the container,
            // so any one mapping lets it find and remove them.
            portMappings = [PortMapping(hostPort: 1, containerPort: 1)]
        }
        let env = environment("DEL", containerID: containerID, netnsPath: netnsPath, interface: interface)
        for config in chain(network, portMappings: portMappings).reversed() {
            let type = config["type"]?.stringValue ?? "?"
            _ = try invoke(type, config: CNIConfig.chained(config, previous: previous), environment: env, network: network.name)
        }
        if unlink(path) != 0 && errno != ENOENT { throw BerthError.system("unlink", path: path) }
    }

    /// A minimal result rebuilt from host-local's lease for (container, interface), or nil.
    func leaseResult(network: NetworkDefinition, containerID: String, interface: String) -> JSONValue? {
        guard let subnet = network.ipv4Subnet else { return nil }
        let directory = "\(ipamDirectory)/\(network.name)"
        for lease in LeaseSweeper.leases(in: directory) where lease.containerID == containerID && lease.interface == interface {
            return .object([
                ("cniVersion", .string(CNIConfig.version)),
                ("interfaces", [["name": .string(interface), "sandbox": ""]]),
                ("ips", .array([.object([("interface", 0), ("address", .string("\(lease.address)/\(subnet.prefixLength)")),
                                         ("gateway", .string(network.gateway))])])),
            ])
        }
        return nil
    }

    // MARK: - Network life cycle

    /// Deletes the network's Linux bridge (the plugins create it, never delete it) and its
    /// host-local directory; for `network rm` once no container uses it. Missing pieces are fine.
    /// - Throws: `.external` when `ip link delete` fails for another reason.
    public func removeNetwork(_ network: NetworkDefinition) throws {
        if Files.exists("/sys/class/net/\(network.bridge)") {
            let result = try HelperProgram.run(["/usr/sbin/ip", "link", "delete", network.bridge, "type", "bridge"])
            if result.status != 0 && Files.exists("/sys/class/net/\(network.bridge)") {
                throw BerthError(.external, "network \(network.name): delete bridge \(network.bridge): \(result.stderrText.trimmingTrailingNewlines)")
            }
        }
        try Files.removeTree("\(ipamDirectory)/\(network.name)")
    }

    // MARK: - Running a plugin

    func environment(_ command: String, containerID: String, netnsPath: String, interface: String,
                     arguments: String? = nil) -> [String] {
        var env = ["CNI_COMMAND=\(command)", "CNI_CONTAINERID=\(containerID)", "CNI_NETNS=\(netnsPath)",
                   "CNI_IFNAME=\(interface)", "CNI_PATH=\(pluginDirectory)"]
        if let arguments { env.append("CNI_ARGS=\(arguments)") }
        return env
    }

    /// Runs one plugin with `config` on stdin; returns its result (nil for DEL's empty output).
    /// - Throws: `.external` "network NAME: TYPE: msg" from the plugin's error object or stderr.
    func invoke(_ type: String, config: JSONValue, environment: [String], network: String) throws -> JSONValue? {
        let output = try HelperProgram.run(["\(pluginDirectory)/\(type)"], environment: environment, input: config.serialized())
        let parsed = output.stdout.isEmpty ? nil : try? JSONParser.parse(output.stdout)
        guard output.status == 0 else {
            var message = parsed?["msg"]?.stringValue ?? output.stderrText.trimmingTrailingNewlines
            if let details = parsed?["details"]?.stringValue, !details.isEmpty { message += ": \(details)" }
            if message.isEmpty { message = "exited with status \(output.status)" }
            throw BerthError(.external, "network \(network): \(type): \(message)")
        }
        if !output.stdout.isEmpty && parsed == nil {
            throw BerthError(.external, "network \(network): \(type): unreadable result: \(output.stdoutText.prefix(200))")
        }
        return parsed
    }
}
