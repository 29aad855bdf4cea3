/// A network as docker models one: a named bridge with a subnet, stored as `<id>.json`.
public struct NetworkDefinition: Codable, Sendable, Equatable {
    public var name: String
    /// 64 lower-case hex digits.
    public var id: String
    /// Always "bridge".
    public var driver: String
    /// CIDR, "10.97.1.0/24".
    public var subnet: String
    /// "10.97.1.1".
    public var gateway: String
    /// The Linux bridge (≤ 15 characters): "br-" + 12 hex digits of the id.
    public var bridge: String
    /// No route out, no traffic in from elsewhere (`network create --internal`).
    public var `internal`: Bool
    public var labels: [String: String]
    /// RFC 3339.
    public var created: String

    public init(name: String, id: String, driver: String = "bridge", subnet: String, gateway: String, bridge: String,
                internal: Bool = false, labels: [String: String] = [:], created: String) {
        self.name = name
        self.id = id
        self.driver = driver
        self.subnet = subnet
        self.gateway = gateway
        self.bridge = bridge
        self.internal = `internal`
        self.labels = labels
        self.created = created
    }

    /// The name of docker's default network, which cannot be removed.
    public static let defaultName = "bridge"

    /// The parsed subnet; nil only for a hand-edited file.
    public var ipv4Subnet: IPv4Subnet? { IPv4Subnet(subnet) }
}
