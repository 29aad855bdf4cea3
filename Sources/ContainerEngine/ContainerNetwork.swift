import EngineSpec
import LinuxSyscalls
import LiteJSON
import Networking

/// A container's network while it has one, `<dir>/network.json`: written before the first
/// plugin runs (so that a command killed half-way leaves enough to undo it) and after each
/// network is attached.
public struct ContainerNetwork: Codable, Sendable, Equatable {
    /// The bind-mounted network namespace.
    public var netnsPath: String
    /// The networks to attach, in interface order (eth0, eth1, …).
    public var networks: [String]
    /// What each attached network gave.
    public var attachments: [Attachment]
    /// `-p`, with the host ports chosen.
    public var ports: [PortMapping]

    public init(netnsPath: String, networks: [String], attachments: [Attachment] = [], ports: [PortMapping] = []) {
        self.netnsPath = netnsPath
        self.networks = networks
        self.attachments = attachments
        self.ports = ports
    }
}

/// What `--network` asks for.
enum NetworkMode: Equatable {
    case host
    /// A namespace of its own with only `lo`.
    case none
    /// Another container's namespace.
    case container(String)
    /// Bridge networks, by name ("bridge" is docker's default one).
    case networks([String])

    init(_ text: String) {
        switch text {
        case "host": self = .host
        case "none": self = .none
        case let value where value.hasPrefix("container:"): self = .container(String(value.dropFirst("container:".count)))
        default: self = .networks([text])
        }
    }
}
