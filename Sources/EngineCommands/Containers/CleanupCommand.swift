import ArgumentParser
import ContainerEngine

/// `berth container cleanup ID` (hidden): what a container's monitor runs once the container
/// has stopped for good, podman's exit command: its network goes.
struct CleanupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cleanup", abstract: "Clean up after a stopped container (run by its monitor).", shouldDisplay: false)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "CONTAINER") var container: String

    func run() throws {
        try global.engine().cleanUpAfterExit(container)
    }
}

/// `berth port CONTAINER [PRIVATE_PORT[/PROTO]]`: docker's published-port list.
struct PortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "port", abstract: "List port mappings or a specific mapping for the container.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "CONTAINER") var container: String
    @Argument(help: "PRIVATE_PORT[/PROTO]") var port: String?

    func run() throws {
        let engine = try global.engine()
        let record = try engine.container(container)
        let ports = engine.networkState(record.id)?.ports ?? []
        var wanted: (UInt16, String)?
        if let port {
            let parts = port.split(separator: "/")
            guard let number = parts.first.flatMap({ UInt16($0) }) else { throw EngineFailure("invalid port \(port)") }
            wanted = (number, parts.count > 1 ? String(parts[1]) : "tcp")
        }
        var printed = false
        for mapping in ports where wanted == nil || (mapping.containerPort == wanted!.0 && mapping.proto == wanted!.1) {
            let host = "\(mapping.hostIP.isEmpty ? "0.0.0.0" : mapping.hostIP):\(mapping.hostPort)"
            emit(wanted == nil ? "\(mapping.containerPort)/\(mapping.proto) -> \(host)" : host)
            printed = true
        }
        if let port, !printed { throw EngineFailure("no public port '\(port)' published for \(record.name)") }
    }
}
