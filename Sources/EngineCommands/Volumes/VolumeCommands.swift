import ArgumentParser
import ContainerEngine
import Diagnostics
import EngineState
import LiteJSON

/// `berth volume …`: docker's named volumes (the local driver).
struct VolumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volume",
        abstract: "Manage volumes.",
        subcommands: [VolumeCreate.self, VolumeList.self, VolumeInspect.self, VolumeRemove.self, VolumePrune.self]
    )
}

/// `berth volume create [NAME]`: prints the volume's name.
struct VolumeCreate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a volume.")

    @OptionGroup var global: GlobalOptions
    @Option(name: [.customShort("d"), .long], help: "Volume driver name.") var driver = "local"
    @Option(name: .long, help: "Set metadata for a volume (key=value).") var label: [String] = []
    @Option(name: [.customShort("o"), .long], help: "Set driver specific options (key=value).") var opt: [String] = []
    @Argument(help: "VOLUME") var name: String?

    func run() throws {
        guard driver == "local" else { throw EngineFailure("create \(name ?? ""): volume driver \(driver.debugDescription) is not supported (only local)") }
        let volume = try global.volumeStore().create(name: name, labels: try keyValues(label, flag: "--label"), options: try keyValues(opt, flag: "--opt"))
        emit(volume.name)
    }
}

/// `berth volume ls`.
struct VolumeList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List volumes.", aliases: ["list"])

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Only display volume names.") var quiet = false
    @Option(help: "Format output: table or json.") var format: String?

    func run() throws {
        let volumes = try global.volumeStore().list().sorted { $0.name < $1.name }
        if quiet {
            volumes.forEach { emit($0.name) }
        } else if let format, format != "table" {
            guard format == "json" || format == "{{json .}}" else {
                throw EngineFailure("unsupported --format \(format.debugDescription): use table or json", exitCode: 125)
            }
            for volume in volumes { emit(String(decoding: try LiteJSONEncoder().encode(volume), as: UTF8.self)) }
        } else {
            var table = Table(["DRIVER", "VOLUME NAME"])
            volumes.forEach { table.add([$0.driver, $0.name]) }
            FileOutput.standardOutput.write(table.render())
        }
    }
}

/// `berth volume inspect NAME...`: docker's JSON array.
struct VolumeInspect: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inspect", abstract: "Display detailed information on one or more volumes.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "VOLUME...") var names: [String]

    func validate() throws {
        if names.isEmpty { throw ValidationError("\"volume inspect\" requires at least 1 argument") }
    }

    func run() throws {
        let store = try global.volumeStore()
        var found: [JSONValue] = []
        var missing: [String] = []
        for name in names {
            do {
                found.append(try LiteJSONEncoder().encodeToValue(try store.inspect(name)))
            } catch let error as BerthError where error.code == .notFound {
                missing.append(error.message)
            }
        }
        emit(String(decoding: JSONSerializer.serialize(.array(found), options: .init(pretty: true, indent: "    ", sortedKeys: true)), as: UTF8.self))
        if !missing.isEmpty { throw EngineFailure(missing.joined(separator: "\n")) }
    }
}

/// `berth volume rm NAME...`: prints each name removed.
struct VolumeRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove one or more volumes.", aliases: ["remove"])

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Do not fail when a volume does not exist.") var force = false
    @Argument(help: "VOLUME...") var names: [String]

    func validate() throws {
        if names.isEmpty { throw ValidationError("\"volume rm\" requires at least 1 argument") }
    }

    func run() throws {
        let store = try global.volumeStore()
        var failed: [String] = []
        for name in names {
            do {
                try store.remove(name, usedBy: try VolumeUsers.containers(using: name, root: global.rootPath))
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

/// `berth volume prune`: removes unused anonymous volumes, or all unused ones with `-a`.
struct VolumePrune: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "prune", abstract: "Remove unused local volumes.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Remove all unused volumes, not just anonymous ones.") var all = false
    @Flag(name: .shortAndLong, help: "Do not prompt for confirmation.") var force = false

    func run() throws {
        let store = try global.volumeStore()
        var removed: [String] = []
        var reclaimed: Int64 = 0
        for volume in try store.list() where all || volume.labels[Volume.anonymousLabel] != nil {
            guard try VolumeUsers.containers(using: volume.name, root: global.rootPath).isEmpty else { continue }
            let size = DiskUsage.bytes(under: volume.mountpoint)
            try store.remove(volume.name)
            removed.append(volume.name)
            reclaimed += size
        }
        if !removed.isEmpty {
            emit("Deleted Volumes:")
            removed.forEach { emit($0) }
            emit("")
        }
        emit("Total reclaimed space: \(HumanUnits.size(reclaimed))")
    }
}

/// Which containers use a volume. Containers arrive with the rest of issue 5; until then none.
enum VolumeUsers {
    static func containers(using volume: String, root: String) throws -> [String] {
        try ContainerUsage.containers(usingVolume: volume, root: root)
    }
}

/// `key=value` flags as a dictionary.
func keyValues(_ items: [String], flag: String) throws -> [String: String] {
    var result: [String: String] = [:]
    for item in items {
        let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard let key = parts.first, !key.isEmpty else { throw EngineFailure("invalid \(flag) \(item.debugDescription): want key=value", exitCode: 125) }
        result[String(key)] = parts.count > 1 ? String(parts[1]) : ""
    }
    return result
}
