/// What a container got on one network: stored with the container, shown by `inspect`.
public struct Attachment: Codable, Sendable, Equatable {
    /// The network's name.
    public var network: String
    public var networkID: String
    /// "10.97.1.2".
    public var ip: String
    public var prefixLength: Int
    public var gateway: String
    public var mac: String
    /// The interface in the container: "eth0", "eth1", ...
    public var interface: String
    /// Names peers resolve to this container on this network (the name, the short id, `--network-alias`).
    public var aliases: [String]

    public init(network: String, networkID: String, ip: String, prefixLength: Int, gateway: String, mac: String,
                interface: String = "eth0", aliases: [String] = []) {
        self.network = network
        self.networkID = networkID
        self.ip = ip
        self.prefixLength = prefixLength
        self.gateway = gateway
        self.mac = mac
        self.interface = interface
        self.aliases = aliases
    }
}
