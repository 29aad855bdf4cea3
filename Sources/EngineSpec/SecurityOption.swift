import Diagnostics

/// One `--security-opt` value.
public enum SecurityOption: Sendable, Equatable {
    case noNewPrivileges(Bool)
    case seccompUnconfined
    /// `seccomp=FILE`; the caller reads the file into `ResolvedInputs.seccompProfile`.
    case seccompProfile(path: String)

    /// Accepts `no-new-privileges`, `no-new-privileges[:=]true|false`, `seccomp=unconfined`,
    /// `seccomp=FILE` (and the old `seccomp:` form).
    /// - Throws: `BerthError(.invalidArgument)`: `invalid --security-opt: "apparmor=x"`.
    public static func parse(_ text: String) throws(BerthError) -> SecurityOption {
        if text == "no-new-privileges" { return .noNewPrivileges(true) }
        guard let separator = text.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
            throw .invalid("invalid --security-opt: \"\(text)\"")
        }
        let key = text[..<separator], value = String(text[text.index(after: separator)...])
        switch key {
        case "no-new-privileges":
            switch value {
            case "true": return .noNewPrivileges(true)
            case "false": return .noNewPrivileges(false)
            default: throw .invalid("invalid --security-opt 2: \"\(text)\"")
            }
        case "seccomp":
            if value.isEmpty { throw .invalid("invalid --security-opt: \"\(text)\"") }
            return value == "unconfined" ? .seccompUnconfined : .seccompProfile(path: value)
        default:
            throw .invalid("invalid --security-opt: \"\(text)\"")
        }
    }
}
