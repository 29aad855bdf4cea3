import Diagnostics

extension MountRequest {
    static let volumeModes: Set<String> = [
        "ro", "rw", "z", "Z", "private", "rprivate", "shared", "rshared", "slave", "rslave", "nocopy",
        "consistent", "cached", "delegated",
    ]

    /// `-v host:ctr[:opts]`, `-v name:ctr[:opts]` or `-v /ctr` (docker's Linux volume parser).
    /// - Throws: `BerthError(.invalidArgument)`, docker's wording:
    ///   `invalid spec: /data:: empty section between colons`,
    ///   `invalid volume specification: 'a:b:c:d'`, `invalid mode: xyz`.
    public static func parseVolume(_ spec: String) throws(BerthError) -> MountRequest {
        let parts = spec.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if spec.isEmpty { throw .invalid("invalid empty volume spec") }
        if parts.contains("") { throw .invalid("invalid spec: \(spec): empty section between colons") }
        let source: String?, destination: String, mode: String?
        switch parts.count {
        case 1: (source, destination, mode) = (nil, parts[0], nil)
        case 2: (source, destination, mode) = (parts[0], parts[1], nil)
        case 3: (source, destination, mode) = (parts[0], parts[1], parts[2])
        default: throw .invalid("invalid volume specification: '\(spec)'")
        }
        guard destination.hasPrefix("/") else {
            let type = source?.hasPrefix("/") == true ? "bind" : "volume"
            throw .invalid("invalid volume specification: '\(spec)': invalid mount config for type \"\(type)\": invalid mount path: '\(destination)' mount path must be absolute")
        }
        guard destination != "/" else { throw .invalid("invalid specification: destination can't be '/'") }
        var readOnly = false
        var options: [String] = []
        for option in mode?.split(separator: ",").map(String.init) ?? [] {
            guard volumeModes.contains(option) else { throw .invalid("invalid mode: \(mode ?? "")") }
            switch option {
            case "ro": readOnly = true
            case "rw": readOnly = false
            default: options.append(option)
            }
        }
        guard let source else { return MountRequest(kind: .volume, source: nil, destination: destination, options: options) }
        if source.hasPrefix("/") {
            if options.contains("nocopy") { throw .invalid("invalid mode: \(mode ?? "")") }
            return MountRequest(kind: .bind, source: source, destination: destination, readOnly: readOnly, options: options)
        }
        guard isVolumeName(source) else {
            throw .invalid("\"\(source)\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed. if you intended to pass a host directory, use absolute path")
        }
        return MountRequest(kind: .volume, source: source, destination: destination, readOnly: readOnly, options: options)
    }

    /// `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
    static func isVolumeName(_ name: String) -> Bool {
        func ok(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }
        guard let first = name.first, ok(first), name.count >= 2 else { return false }
        return name.dropFirst().allSatisfy { ok($0) || $0 == "_" || $0 == "." || $0 == "-" }
    }
}
