import Diagnostics

/// A flag or option a command accepts. runc's CLI (urfave/cli on Go's flag package) takes
/// `-x`, `--x`, `--x value` and `--x=value` alike; so do we.
struct OptionSpec {
    let names: [String]
    let takesValue: Bool
    let help: String

    static func flag(_ names: String..., help: String) -> OptionSpec {
        OptionSpec(names: names, takesValue: false, help: help)
    }

    static func value(_ names: String..., help: String) -> OptionSpec {
        OptionSpec(names: names, takesValue: true, help: help)
    }

    var canonical: String { names[0] }
}

/// The parsed words of one command: options by canonical name, then positional arguments.
struct ParsedArguments {
    var values: [String: String] = [:]
    /// Every value of an option given several times (`--env A=1 --env B=2`), in order.
    var repeated: [String: [String]] = [:]
    var flags: Set<String> = []
    var positionals: [String] = []

    func value(_ name: String) -> String? { values[name] }
    func values(_ name: String) -> [String] { repeated[name] ?? [] }
    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// Parses `words` against `options`; flags may come before or after positionals, "--" ends them.
    /// With `positionalsEndFlags` everything after the first positional is positional too
    /// (`exec ID cmd -la`: the command's own flags).
    init(_ words: ArraySlice<String>, options: [OptionSpec], positionalsEndFlags: Bool = false) throws {
        var index = words.startIndex
        var onlyPositionals = false
        while index < words.endIndex {
            let word = words[index]
            index += 1
            if onlyPositionals || !word.hasPrefix("-") || word == "-" {
                positionals.append(word)
                if positionalsEndFlags { onlyPositionals = true }
                continue
            }
            if word == "--" { onlyPositionals = true; continue }
            let stripped = word.drop(while: { $0 == "-" })
            let name: String
            var inline: String?
            if let equals = stripped.firstIndex(of: "=") {
                name = String(stripped[..<equals])
                inline = String(stripped[stripped.index(after: equals)...])
            } else {
                name = String(stripped)
            }
            guard let option = options.first(where: { $0.names.contains(name) }) else {
                throw BerthError.invalid("flag provided but not defined: -\(name)")
            }
            if option.takesValue {
                let value: String
                if let inline {
                    value = inline
                } else {
                    guard index < words.endIndex else { throw BerthError.invalid("flag needs an argument: -\(name)") }
                    value = words[index]
                    index += 1
                }
                values[option.canonical] = value
                repeated[option.canonical, default: []].append(value)
            } else {
                if let inline, !["true", "1"].contains(inline) {
                    if ["false", "0"].contains(inline) { flags.remove(option.canonical); continue }
                    throw BerthError.invalid("invalid boolean value \"\(inline)\" for -\(name)")
                }
                flags.insert(option.canonical)
            }
        }
    }

    /// Exactly `count` positionals (an id, an id and a signal, ...).
    func requirePositionals(_ names: [String], optional: Int = 0, command: String) throws -> [String] {
        let minimum = names.count - optional
        guard positionals.count >= minimum, positionals.count <= names.count else {
            let usage = names.joined(separator: " ")
            throw BerthError.invalid("\"\(command)\" requires \(minimum == names.count ? "exactly" : "at least") \(minimum) argument(s): \(usage)")
        }
        return positionals
    }
}
