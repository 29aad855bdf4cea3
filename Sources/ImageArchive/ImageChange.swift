import Diagnostics
import ImageSpec
import LiteJSON

/// docker's `import --change`: Dockerfile instructions applied to the config of an imported
/// image. CMD, ENTRYPOINT and VOLUME take the JSON form (`CMD ["sh", "-c", "x"]`) or the shell
/// form (`CMD x`, run by `/bin/sh -c`); ENV and LABEL take `key=value` pairs or the legacy
/// `key value`; `$VAR` and `${VAR}` expand from the environment set so far, except in CMD and
/// ENTRYPOINT, as in a Dockerfile.
public enum ImageChange {
    /// The instructions `--change` accepts (docker's list for commit and import).
    public static let instructions = ["CMD", "ENTRYPOINT", "ENV", "EXPOSE", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"]

    /// Applies `changes` in order to `config`.
    /// - Parameters:
    ///   - changes: one instruction each, such as `ENV PATH=/bin` or `CMD ["sh"]`.
    ///   - config: the container config to change.
    /// - Throws: `invalidArgument` naming the change that is malformed or not supported.
    public static func apply(_ changes: [String], to config: inout ContainerConfig) throws {
        var cmdSet = false
        for change in changes {
            try BerthError.wrap("change \(change.debugDescription)") {
                try apply(change, to: &config, cmdSet: &cmdSet)
            }
        }
    }

    private static func apply(_ change: String, to config: inout ContainerConfig, cmdSet: inout Bool) throws {
        let trimmed = change.drop { $0.isWhitespace }
        let keyword = trimmed.prefix { !$0.isWhitespace }
        let rest = String(trimmed.dropFirst(keyword.count)).trimmingWhitespace()
        let instruction = keyword.uppercased()
        guard instructions.contains(instruction) else {
            throw BerthError.invalid("unsupported instruction \(String(keyword).debugDescription): want one of \(instructions.joined(separator: ", "))")
        }
        guard !rest.isEmpty else { throw BerthError.invalid("\(instruction) requires at least one argument") }
        let env = config.env ?? []
        switch instruction {
        case "CMD":
            config.cmd = jsonArray(rest) ?? ["/bin/sh", "-c", rest]
            cmdSet = true
        case "ENTRYPOINT":
            config.entrypoint = jsonArray(rest) ?? ["/bin/sh", "-c", rest]
            // A Dockerfile's ENTRYPOINT drops an inherited CMD; one set by an earlier change stays.
            if !cmdSet { config.cmd = nil }
        case "ENV":
            for (key, value) in try pairs(rest, env: env, what: "ENV") {
                var list = config.env ?? []
                list.removeAll { $0 == key || $0.hasPrefix("\(key)=") }
                list.append("\(key)=\(value)")
                config.env = list
            }
        case "LABEL":
            for (key, value) in try pairs(rest, env: env, what: "LABEL") {
                config.labels = (config.labels ?? [:]).merging([key: value]) { _, new in new }
            }
        case "EXPOSE":
            var ports = config.exposedPorts ?? [:]
            for word in try ChangeWords.split(rest, env: env) {
                for port in try exposedPorts(word) { ports[port] = EmptyObject() }
            }
            config.exposedPorts = ports
        case "VOLUME":
            var volumes = config.volumes ?? [:]
            for path in try jsonArray(rest) ?? ChangeWords.split(rest, env: env) {
                guard !path.isEmpty else { throw BerthError.invalid("VOLUME specified can not be an empty string") }
                volumes[path] = EmptyObject()
            }
            config.volumes = volumes
        case "WORKDIR":
            let path = try ChangeWords.expand(rest, env: env)
            let base = config.workingDir ?? "/"
            config.workingDir = normalizeDirectory(path.hasPrefix("/") ? path : "\(base)/\(path)")
        case "USER":
            config.user = try ChangeWords.expand(rest, env: env)
        default:  // STOPSIGNAL
            let signal = try ChangeWords.expand(rest, env: env)
            guard isSignal(signal) else { throw BerthError.invalid("invalid signal \(signal.debugDescription)") }
            config.stopSignal = signal
        }
    }

    /// The JSON form: an array of strings; nil when `text` is not one (then it is the shell form).
    static func jsonArray(_ text: String) -> [String]? {
        guard text.hasPrefix("["), let value = try? JSONParser.parse(text), let items = value.arrayValue else { return nil }
        let strings = items.compactMap(\.stringValue)
        return strings.count == items.count ? strings : nil
    }

    /// ENV and LABEL arguments: `k=v k2="v 2"`, or the legacy `key the value`.
    static func pairs(_ text: String, env: [String], what: String) throws -> [(String, String)] {
        let words = try ChangeWords.split(text, env: env)
        guard let first = words.first else { throw BerthError.invalid("\(what) requires at least one argument") }
        if !first.contains("=") {
            let rawValue = text.drop { !$0.isWhitespace }.trimmingWhitespace()
            guard !rawValue.isEmpty else { throw BerthError.invalid("\(what) \(first) must have two arguments") }
            return [(first, try ChangeWords.expand(rawValue, env: env))]
        }
        return try words.map { word in
            guard let equals = word.firstIndex(of: "="), equals != word.startIndex else {
                throw BerthError.invalid("\(what) \(word.debugDescription): want name=value")
            }
            return (String(word[..<equals]), String(word[word.index(after: equals)...]))
        }
    }

    /// `80` → `80/tcp`; `53/udp`; `8000-8002/tcp` → three ports.
    static func exposedPorts(_ word: String) throws -> [String] {
        let parts = word.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let proto = parts.count == 2 ? parts[1].lowercased() : "tcp"
        guard ["tcp", "udp", "sctp"].contains(proto) else { throw BerthError.invalid("invalid proto \(proto.debugDescription) in EXPOSE \(word)") }
        let range = parts[0].split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard let low = Int(range[0]), let high = range.count == 2 ? Int(range[1]) : low,
              (1...65535).contains(low), (low...65535).contains(high) else {
            throw BerthError.invalid("invalid port \(word.debugDescription) in EXPOSE")
        }
        return (low...high).map { "\($0)/\(proto)" }
    }

    static func normalizeDirectory(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { if !parts.isEmpty { parts.removeLast() } } else { parts.append(part) }
        }
        return "/" + parts.joined(separator: "/")
    }

    private static let signalNames: Set<String> = [
        "ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL", "PIPE",
        "POLL", "PROF", "PWR", "QUIT", "RTMAX", "RTMIN", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP",
        "TTIN", "TTOU", "UNUSED", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ",
    ]

    /// A signal number (1–64) or name (`SIGTERM`, `TERM`, `RTMIN+3`), as docker accepts them.
    static func isSignal(_ text: String) -> Bool {
        if let number = Int(text) { return (1...64).contains(number) }
        var name = Substring(text.uppercased())
        if name.hasPrefix("SIG") { name = name.dropFirst(3) }
        if let sign = name.firstIndex(where: { $0 == "+" || $0 == "-" }) {
            guard let offset = Int(name[name.index(after: sign)...]), (0...30).contains(offset) else { return false }
            return name[..<sign] == "RTMIN" || name[..<sign] == "RTMAX"
        }
        return signalNames.contains(String(name))
    }
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
