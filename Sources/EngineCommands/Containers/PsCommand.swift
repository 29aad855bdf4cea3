import ArgumentParser
import ContainerEngine
import Diagnostics
import EngineState
import LiteJSON

/// `berth ps`: docker's container list.
struct PsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ps", abstract: "List containers.", aliases: ["ls", "list"])

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Show all containers (default shows just running).") var all = false
    @Flag(name: .shortAndLong, help: "Only display container IDs.") var quiet = false
    @Flag(name: .customLong("no-trunc"), help: "Don't truncate output.") var noTrunc = false
    @Flag(name: .shortAndLong, help: "Show the latest created container.") var latest = false
    @Option(name: [.customShort("n"), .long], help: "Show n last created containers.") var last: Int?
    @Option(name: .shortAndLong, help: "Filter output based on conditions provided.") var filter: [String] = []
    @Option(help: "Format output: table, json, or a Go template.") var format: String?

    func run() throws {
        let engine = try global.engine()
        let filters = try PsFilter(filter)
        var records = try engine.allContainers()
        if !all && !filters.hasStatus && last == nil && !latest {
            records = records.filter { $0.state == .running || $0.state == .paused || $0.state == .restarting }
        }
        records = records.filter { filters.matches($0) }.reversed()
        if latest { records = Array(records.prefix(1)) }
        if let last, last >= 0 { records = Array(records.prefix(last)) }
        let rows = records.map {
            ContainerSummary(record: $0, settings: try? engine.settings(of: $0), network: engine.networkState($0.id))
        }
        if quiet {
            rows.forEach { emit($0.id(truncated: !noTrunc)) }
            return
        }
        switch format {
        case nil, "table":
            var table = Table(["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"])
            for row in rows {
                table.add([row.id(truncated: !noTrunc), row.record.image, row.quotedCommand(truncated: !noTrunc),
                           HumanUnits.since(row.record.created), row.status, row.ports, row.record.name])
            }
            FileOutput.standardOutput.write(table.render())
        case "json"?:
            for row in rows { emit(String(decoding: row.json(truncated: !noTrunc).serialized(), as: UTF8.self)) }
        case let text?:
            let template = try GoTemplate(text)
            if template.isTable { emit(template.header(names: ["ID": "CONTAINER ID", "RunningFor": "CREATED"])) }
            for row in rows { emit(template.render(row.json(truncated: !noTrunc))) }
        }
    }
}

/// `ps --filter`: docker's id, name, label, status, exited and ancestor filters. Filters of one
/// kind are alternatives; different kinds must all match.
struct PsFilter {
    var terms: [String: [String]] = [:]

    init(_ specs: [String]) throws {
        for spec in specs {
            guard let equals = spec.firstIndex(of: "=") else {
                throw EngineFailure("bad format of filter (expected name=value)", exitCode: 125)
            }
            let key = String(spec[..<equals]).lowercased()
            let value = String(spec[spec.index(after: equals)...])
            guard ["id", "name", "label", "status", "exited", "ancestor"].contains(key) else {
                throw EngineFailure("invalid filter '\(key)'", exitCode: 125)
            }
            if key == "status", ContainerState(rawValue: value) == nil {
                throw EngineFailure("invalid filter 'status=\(value)'", exitCode: 125)
            }
            terms[key, default: []].append(value)
        }
    }

    var hasStatus: Bool { terms["status"] != nil || terms["exited"] != nil }

    func matches(_ record: ContainerRecord) -> Bool {
        for (key, values) in terms {
            let ok = values.contains { value in
                switch key {
                case "id": return record.id.hasPrefix(value)
                case "name": return record.name.contains(value.hasPrefix("/") ? String(value.dropFirst()) : value)
                case "label":
                    if let equals = value.firstIndex(of: "=") {
                        return record.labels[String(value[..<equals])] == String(value[value.index(after: equals)...])
                    }
                    return record.labels[value] != nil
                case "status": return record.state.rawValue == value
                case "exited": return record.state == .exited && String(record.exitCode) == value
                case "ancestor": return record.image == value || record.imageID.hasPrefix(value) || record.imageID.dropFirst(7).hasPrefix(value)
                    || record.image.split(separator: ":").first.map(String.init) == value
                default: return false
                }
            }
            if !ok { return false }
        }
        return true
    }
}
