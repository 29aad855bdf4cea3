import ArgumentParser
import ContainerEngine
import Diagnostics
import LiteJSON
import Networking

/// `berth network …`: docker's bridge networks.
struct NetworkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network",
        abstract: "Manage networks.",
        subcommands: [NetworkCreate.self, NetworkList.self, NetworkInspect.self, NetworkRemove.self, NetworkPrune.self,
                      NetworkConnect.self, NetworkDisconnect.self]
    )
}

/// `berth network create [--subnet CIDR] [--gateway IP] [--internal] NAME`: prints the id.
struct NetworkCreate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a network.")

    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("d"), .long], help: "Driver to manage the Network (bridge).") var driver = "bridge"
    @Option(help: "Subnet in CIDR format that represents a network segment.") var subnet: String?
    @Option(help: "IPv4 Gateway for the master subnet.") var gateway: String?
    @Flag(name: .customLong("internal"), help: "Restrict external access to the network.") var isInternal = false
    @Option(help: "Set metadata on a network (key=value).") var label: [String] = []
    @Argument(help: "NETWORK") var name: String

    func run() throws {
        guard driver == "bridge" else { throw EngineFailure("plugin \"\(driver)\" not found (only the bridge driver is supported)") }
        let engine = try global.engine()
        let network = try engine.createNetwork(name: name, subnet: subnet, gateway: gateway, internal: isInternal,
                                               labels: try keyValues(label, flag: "--label"))
        emit(network.id)
    }
}

/// `berth network ls`.
struct NetworkList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List networks.", aliases: ["list"])

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Only display network IDs.") var quiet = false
    @Flag(name: .customLong("no-trunc"), help: "Do not truncate the output.") var noTrunc = false
    @Option(help: "Format output: table or json.") var format: String?

    func run() throws {
        let engine = try global.engine()
        try engine.ensureDefaultNetwork()
        let networks = try engine.networks.list().sorted { $0.name < $1.name }
        let id = { (network: NetworkDefinition) in noTrunc ? network.id : String(network.id.prefix(12)) }
        if quiet {
            networks.forEach { emit(id($0)) }
        } else if format == "json" {
            for network in networks {
                emit(String(decoding: JSONValue.object([
                    ("CreatedAt", .string(RFC3339.dockerDate(network.created))), ("Driver", .string(network.driver)),
                    ("ID", .string(id(network))), ("Internal", .string(String(network.internal))),
                    ("Name", .string(network.name)), ("Scope", .string("local")),
                ]).serialized(), as: UTF8.self))
            }
        } else {
            var table = Table(["NETWORK ID", "NAME", "DRIVER", "SCOPE"])
            networks.forEach { table.add([id($0), $0.name, $0.driver, "local"]) }
            FileOutput.standardOutput.write(table.render())
        }
    }
}

/// `berth network inspect NETWORK...`: docker's JSON array.
struct NetworkInspect: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Display detailed information on one or more networks.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Format output using a Go template, or json.") var format: String?
    @Argument(help: "NETWORK") var names: [String]

    func run() throws {
        let engine = try global.engine()
        if names.contains(NetworkDefinition.defaultName) { try engine.ensureDefaultNetwork() }
        var documents: [JSONValue] = []
        var missing: [String] = []
        for name in names {
            do {
                documents.append(try Self.document(try engine.networks.inspect(name), engine: engine))
            } catch let error as BerthError where error.code == .notFound {
                missing.append(error.message)
            }
        }
        try printInspected(documents, format: format)
        if !missing.isEmpty { throw EngineFailure(missing.joined(separator: "\n")) }
    }

    static func document(_ network: NetworkDefinition, engine: Engine) throws -> JSONValue {
        let members = try engine.attachedContainers(network.name).map { record, attachment -> (String, JSONValue) in
            (record.id, .object([
                ("Name", .string(record.name)), ("EndpointID", .string("")), ("MacAddress", .string(attachment.mac)),
                ("IPv4Address", .string("\(attachment.ip)/\(attachment.prefixLength)")), ("IPv6Address", .string("")),
            ]))
        }
        return .object([
            ("Name", .string(network.name)), ("Id", .string(network.id)), ("Created", .string(network.created)),
            ("Scope", .string("local")), ("Driver", .string(network.driver)), ("EnableIPv6", .bool(false)),
            ("IPAM", .object([
                ("Driver", .string("default")), ("Options", .object([])),
                ("Config", .array([.object([("Subnet", .string(network.subnet)), ("Gateway", .string(network.gateway))])])),
            ])),
            ("Internal", .bool(network.internal)), ("Attachable", .bool(false)), ("Ingress", .bool(false)),
            ("ConfigFrom", .object([("Network", .string(""))])), ("ConfigOnly", .bool(false)),
            ("Containers", .object(members)),
            ("Options", .object([("com.docker.network.bridge.name", .string(network.bridge))])),
            ("Labels", .object(network.labels.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
        ])
    }
}

/// `berth network rm NETWORK...`.
struct NetworkRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove one or more networks.", aliases: ["remove"])

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Do not error if the network does not exist.") var force = false
    @Argument(help: "NETWORK") var names: [String]

    func run() throws {
        let engine = try global.engine()
        var failed: [String] = []
        for name in names {
            do {
                _ = try engine.removeNetwork(name)
                emit(name)
            } catch let error as BerthError where force && error.code == .notFound {
                continue
            } catch let error as BerthError {
                failed.append(error.message)
            }
        }
        if !failed.isEmpty { throw EngineFailure(failed.joined(separator: "\n")) }
    }
}

/// `berth network prune [-f]`: removes the user-defined networks no container uses.
struct NetworkPrune: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prune", abstract: "Remove all unused networks.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Do not prompt for confirmation.") var force = false

    func run() throws {
        let engine = try global.engine()
        let used = Set(try engine.allContainers().flatMap { (try? engine.settings(of: $0).networks) ?? [] })
        var removed: [String] = []
        for network in try engine.networks.list() where network.name != NetworkDefinition.defaultName && !used.contains(network.name) {
            if (try? engine.removeNetwork(network.id)) != nil { removed.append(network.name) }
        }
        if !removed.isEmpty { emit("Deleted Networks:\n" + removed.joined(separator: "\n") + "\n") }
    }
}

/// `berth network connect [--alias A] [--ip IP] NETWORK CONTAINER`.
struct NetworkConnect: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "connect", abstract: "Connect a container to a network.")

    @OptionGroup var global: GlobalOptions
    @Option(help: "Add network-scoped alias for the container.") var alias: [String] = []
    @Option(help: "IPv4 address (e.g., 172.30.100.104).") var ip: String?
    @Argument(help: "NETWORK") var network: String
    @Argument(help: "CONTAINER") var container: String

    func run() throws {
        try global.engine().connect(container, network: network, aliases: alias, ip: ip)
    }
}

/// `berth network disconnect NETWORK CONTAINER`.
struct NetworkDisconnect: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disconnect", abstract: "Disconnect a container from a network.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Force the container to disconnect from a network.") var force = false
    @Argument(help: "NETWORK") var network: String
    @Argument(help: "CONTAINER") var container: String

    func run() throws {
        try global.engine().disconnect(container, network: network)
    }
}
