import ContainerRuntime
import Diagnostics

/// One runc-compatible subcommand: its options and what it does.
protocol RuntimeCommand {
    static var name: String { get }
    static var usage: String { get }
    static var abstract: String { get }
    static var options: [OptionSpec] { get }
    /// Everything after the first positional belongs to it (`exec ID cmd args...`).
    static var positionalsEndFlags: Bool { get }
    /// Runs the command; the result is the process exit status.
    static func run(_ arguments: ParsedArguments, context: RuntimeContext) throws -> Int32
}

/// What every command gets: the global options and a place to print.
struct RuntimeContext {
    var options: RuntimeOptions
    var log: RuntimeLog
}

extension RuntimeCommand {
    static var positionalsEndFlags: Bool { false }

    static var helpText: String {
        var text = "\(abstract)\n\nUsage: berth-runtime \(name) \(usage)\n"
        if !options.isEmpty {
            text += "\nOptions:\n"
            for option in options {
                let names = option.names.map { $0.count == 1 ? "-\($0)" : "--\($0)" }.joined(separator: ", ")
                let shown = option.takesValue ? "\(names) value" : names
                text += "   \(shown.padding(toLength: 28))\(option.help)\n"
            }
        }
        return text
    }
}

extension String {
    func padding(toLength length: Int) -> String {
        count >= length ? self + " " : self + String(repeating: " ", count: length - count)
    }
}
