import Diagnostics

extension MountRequest {
    /// `--mount type=bind|volume|tmpfs,source=…,target=…,readonly,bind-propagation=…,
    /// volume-nocopy,tmpfs-size=…,tmpfs-mode=…` (type defaults to volume, as in docker).
    /// - Throws: `BerthError(.invalidArgument)`:
    ///   `invalid argument "type=bind,source=/x" for "--mount" flag: target is required`.
    public static func parseMount(_ spec: String) throws(BerthError) -> MountRequest {
        let fail = { (reason: String) in flagError(spec, "--mount", reason) }
        var kind = Kind.volume
        var source: String?, destination: String?
        var readOnly = false
        var options: [String] = []
        for field in spec.split(separator: ",", omittingEmptySubsequences: false) {
            let pair = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = pair[0].lowercased(), value = pair.count == 2 ? String(pair[1]) : nil
            func boolValue() throws(BerthError) -> Bool {
                switch value?.lowercased() {
                case nil, "1", "true": return true
                case "0", "false": return false
                default: throw fail("invalid value for \(key): \(value ?? "")")
                }
            }
            switch key {
            case "readonly", "ro": readOnly = try boolValue(); continue
            case "volume-nocopy": if try boolValue() { options.append("nocopy") }; continue
            default: break
            }
            guard let value else { throw fail("invalid field '\(field)' must be a key=value pair") }
            switch key {
            case "type":
                guard let parsed = Kind(rawValue: value.lowercased()) else { throw fail("invalid mount type: \(value)") }
                kind = parsed
            case "source", "src": source = value
            case "target", "destination", "dst": destination = value
            case "bind-propagation":
                guard ["private", "rprivate", "shared", "rshared", "slave", "rslave"].contains(value) else {
                    throw fail("invalid bind propagation: \(value)")
                }
                options.append(value)
            case "tmpfs-size":
                guard let bytes = try? MemoryBytes.parse(value, flag: "--mount"), bytes >= 0 else {
                    throw fail("invalid value for \(key): \(value)")
                }
                options.append("size=\(bytes)")
            case "tmpfs-mode":
                guard let mode = UInt32(value, radix: 8) else { throw fail("invalid value for \(key): \(value)") }
                options.append("mode=" + String(mode, radix: 8))
            default:
                throw fail("unexpected key '\(key)' in '\(field)'")
            }
        }
        guard let destination, !destination.isEmpty else { throw fail("target is required") }
        guard destination.hasPrefix("/") else { throw fail("invalid mount path: '\(destination)' mount path must be absolute") }
        switch kind {
        case .bind:
            guard let source, !source.isEmpty else {
                throw .invalid("invalid mount config for type \"bind\": field Source must not be empty")
            }
            guard source.hasPrefix("/") else {
                throw .invalid("invalid mount config for type \"bind\": invalid mount path: '\(source)' mount path must be absolute")
            }
        case .volume:
            if let source, !source.isEmpty, !isVolumeName(source) {
                throw .invalid("invalid mount config for type \"volume\": invalid volume name: '\(source)'")
            }
            if source?.isEmpty == true { source = nil }
        case .tmpfs:
            if source != nil { throw .invalid("invalid mount config for type \"tmpfs\": field Source must not be specified") }
        }
        return MountRequest(kind: kind, source: source, destination: destination, readOnly: readOnly, options: options)
    }

    /// `--tmpfs /run[:opts]`: tmpfs with docker's defaults noexec, nosuid, nodev, which "exec",
    /// "suid" and "dev" undo; other options ("size=64m", "mode=1777") go to the kernel as given.
    /// - Throws: `BerthError(.invalidArgument)`: `invalid tmpfs destination: 'run'`.
    public static func parseTmpfs(_ spec: String) throws(BerthError) -> MountRequest {
        let pair = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let destination = String(pair[0])
        guard destination.hasPrefix("/") else { throw .invalid("invalid tmpfs destination: '\(destination)'") }
        guard destination != "/" else { throw .invalid("invalid specification: destination can't be '/'") }
        var options = ["noexec", "nosuid", "nodev"]
        var readOnly = false
        let opposite = ["exec": "noexec", "suid": "nosuid", "dev": "nodev",
                        "noexec": "exec", "nosuid": "suid", "nodev": "dev"]
        for option in pair.count == 2 ? pair[1].split(separator: ",").map(String.init) : [] {
            switch option {
            case "ro": readOnly = true
            case "rw": readOnly = false
            default:
                if let undone = opposite[option] { options.removeAll { $0 == undone || $0 == option } }
                guard option.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
                    throw .invalid("invalid tmpfs option: '\(option)'")
                }
                options.append(option)
            }
        }
        return MountRequest(kind: .tmpfs, source: nil, destination: destination, readOnly: readOnly, options: options)
    }
}
