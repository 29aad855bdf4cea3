import LiteJSON

/// The CNI 1.0.0 network configurations Berth hands the plugins, one per link of the chain
/// bridge → portmap, plus the loopback one for `lo`.
///
/// The bridge plugin does not masquerade and the firewall plugin is not in the chain: each
/// network's NAT and forwarding rules are written once, when the network is made, by
/// ``Isolation`` (one iptables-restore), instead of per container by the plugins — measured,
/// the plugins' own iptables calls made a container's network add ~55 ms and remove ~105 ms.
public enum CNIConfig {
    public static let version = "1.0.0"

    /// The bridge plugin with host-local IPAM: the bridge is the gateway, a default route unless
    /// the network is internal, hairpin so a container reaches its own published ports.
    /// - Parameter ipamDirectory: host-local's `dataDir`; leases go to `<ipamDirectory>/<name>/<ip>`.
    public static func bridge(_ network: NetworkDefinition, ipamDirectory: String) -> JSONValue {
        var range: [(String, JSONValue)] = [("subnet", .string(network.subnet))]
        range.append(("gateway", .string(network.gateway)))
        var ipam: [(String, JSONValue)] = [("type", "host-local"), ("ranges", .array([.array([.object(range)])]))]
        if !network.internal { ipam.append(("routes", [["dst": "0.0.0.0/0"]])) }
        ipam.append(("dataDir", .string(ipamDirectory)))
        return .object(header(network, type: "bridge") + [
            ("bridge", .string(network.bridge)),
            ("isGateway", true),
            ("ipMasq", false),
            ("hairpinMode", true),
            ("ipam", .object(ipam)),
        ])
    }

    /// The portmap plugin with its runtime configuration; `snat` makes 127.0.0.1:PORT work from the host.
    public static func portmap(_ network: NetworkDefinition, portMappings: [PortMapping]) -> JSONValue {
        let entries: [JSONValue] = portMappings.map { mapping in
            .object([
                ("hostPort", .number(String(mapping.hostPort))),
                ("containerPort", .number(String(mapping.containerPort))),
                ("protocol", .string(mapping.proto)),
                ("hostIP", .string(mapping.hostIP)),
            ])
        }
        return .object(header(network, type: "portmap") + [
            ("snat", true),
            ("capabilities", ["portMappings": true]),
            ("runtimeConfig", .object([("portMappings", .array(entries))])),
        ])
    }

    /// The loopback plugin, run with ifname "lo".
    public static let loopback: JSONValue = ["cniVersion": .string(version), "name": "lo", "type": "loopback"]

    static func header(_ network: NetworkDefinition, type: String) -> [(String, JSONValue)] {
        [("cniVersion", .string(version)), ("name", .string(network.name)), ("type", .string(type))]
    }

    /// `config` with `prevResult` added (the chain's previous result, or the cached one on DEL).
    static func chained(_ config: JSONValue, previous: JSONValue?) -> JSONValue {
        guard let previous, case .object(var fields) = config else { return config }
        fields.removeAll { $0.0 == "prevResult" }
        fields.append(("prevResult", previous))
        return .object(fields)
    }
}
