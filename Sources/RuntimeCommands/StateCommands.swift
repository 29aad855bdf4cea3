import ContainerRuntime
import Diagnostics
import LiteJSON
import OCIRuntimeSpec

enum StateCommand: RuntimeCommand {
    static let name = "state"
    static let usage = "<container-id>"
    static let abstract = "Print the state of a container as JSON."
    static let options: [OptionSpec] = []

    static func run(_ arguments: ParsedArguments, context: RuntimeContext) throws -> Int32 {
        let id = try arguments.requirePositionals(["<container-id>"], command: name)[0]
        let state = try BerthError.wrap("state \(id)") { try Container.load(id: id, options: context.options, exclusive: false).state }
        print(String(decoding: try LiteJSONEncoder(pretty: true, sortedKeys: false).encode(state), as: UTF8.self))
        return 0
    }
}

enum ListCommand: RuntimeCommand {
    static let name = "list"
    static let usage = "[options]"
    static let abstract = "List the containers under --root."
    static let options: [OptionSpec] = [
        .value("format", "f", help: "table or json (default: table)"),
        .flag("quiet", "q", help: "print only the container ids"),
    ]

    static func run(_ arguments: ParsedArguments, context: RuntimeContext) throws -> Int32 {
        let format = arguments.value("format") ?? "table"
        guard format == "table" || format == "json" else {
            throw BerthError.invalid("invalid format option \"\(format)\": use table or json")
        }
        var states: [State] = []
        for id in try Container.listIDs(options: context.options) {
            // A container deleted while we list is simply not listed.
            if let container = try? Container.load(id: id, options: context.options, exclusive: false) {
                states.append(container.state)
            }
        }
        if arguments.flag("quiet") {
            for state in states { print(state.id) }
        } else if format == "json" {
            print(String(decoding: try LiteJSONEncoder(sortedKeys: false).encode(states), as: UTF8.self))
        } else {
            print(table(states), terminator: "")
        }
        return 0
    }

    /// runc's tabwriter layout: columns at least 12 wide, 3 spaces of padding.
    static func table(_ states: [State]) -> String {
        let rows = [["ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"]] + states.map {
            [$0.id, String($0.pid), $0.status.rawValue, $0.bundle, $0.created ?? "", $0.owner ?? ""]
        }
        var widths = [Int](repeating: 12, count: 6)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count + 3) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }
                .joined() + "\n"
        }.joined()
    }
}
