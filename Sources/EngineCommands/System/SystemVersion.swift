import ArgumentParser

/// `berth version`: the client's version information, laid out like `docker version`.
struct SystemVersion: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Show the Berth version information."
    )

    func run() throws {
        emit(SystemVersion.report())
    }

    /// The report: a "Client:" header, then one indented, aligned line per field.
    static func report() -> String {
        let fields: [(label: String, value: String)] = [
            ("Version", BerthVersion.engine),
            ("API version", BerthVersion.api),
            ("Swift version", BerthVersion.swift),
            ("OS/Arch", "\(BerthVersion.os)/\(BerthVersion.arch)"),
        ]
        // docker pads every label to one column after a one-space indent.
        let width = 19
        let lines = fields.map { field in
            let label = field.label + ":"
            return " " + label + String(repeating: " ", count: max(1, width - label.count)) + field.value
        }
        return (["Client: Berth"] + lines).joined(separator: "\n")
    }
}
