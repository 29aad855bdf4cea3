import Diagnostics
import LiteJSON

extension Spec {
    /// Checks what runc's validator checks before a container is created, without touching the
    /// file system: the version, process, root, mounts, namespaces and the settings that need a
    /// particular namespace, rlimits, capabilities, devices and sysctls.
    ///
    /// - Parameters:
    ///   - forCreate: also require what only starting a process needs (`process` with `args`
    ///     and an absolute `cwd`); off for configs loaded for `state`, `kill` or `delete`.
    ///   - isHostNetworkNamespace: tells whether a joined network namespace path is the host's
    ///     (the runtime compares device and inode numbers; this module does no I/O). `net.*`
    ///     sysctls are refused there, as they would change the host.
    /// - Throws: `BerthError(.invalidArgument)` for the first problem found, as
    ///   `config.json: <json path>: <what is wrong>`.
    public func validate(forCreate: Bool = true,
                         isHostNetworkNamespace: (String) -> Bool = { _ in false }) throws(BerthError) {
        try validateVersion()
        try validateRoot()
        if forCreate { try validateProcessForCreate() }
        if let process { try process.validateLimits() }
        try validateMounts()
        try validateNamespaces()
        try validateIDMappings()
        try validateTimeOffsets()
        try validateNames()
        try validateRootfsPropagation()
        try validateDevices()
        try validateSysctl(isHostNetworkNamespace: isHostNetworkNamespace)
    }

    /// `config.json: <path>: <problem>`.
    static func invalid(_ path: String, _ problem: String) -> BerthError {
        BerthError(.invalidArgument, "config.json: \(path): \(problem)")
    }

    /// Only runtime-spec 1.x exists; a 2.x config would mean fields we cannot know about.
    private func validateVersion() throws(BerthError) {
        guard !ociVersion.isEmpty else { throw Spec.invalid("ociVersion", "missing") }
        let major = ociVersion.prefix { $0 != "." }
        guard major == "1" else {
            throw Spec.invalid("ociVersion", "unsupported version \(quoted(ociVersion)), want 1.x")
        }
    }

    private func validateRoot() throws(BerthError) {
        guard let root else { throw Spec.invalid("root", "missing") }
        guard !root.path.isEmpty else { throw Spec.invalid("root.path", "must not be empty") }
    }

    private func validateProcessForCreate() throws(BerthError) {
        guard let process else { throw Spec.invalid("process", "missing") }
        guard let args = process.args, !args.isEmpty else {
            throw Spec.invalid("process.args", "must not be empty")
        }
        guard process.cwd.hasPrefix("/") else {
            throw Spec.invalid("process.cwd", "\(quoted(process.cwd)) is not an absolute path")
        }
    }

    /// Relative destinations are accepted: runc resolves them against the container's `/`.
    private func validateMounts() throws(BerthError) {
        for (index, mount) in (mounts ?? []).enumerated() where mount.destination.isEmpty {
            throw Spec.invalid("mounts[\(index)].destination", "must not be empty")
        }
    }
}

extension Process {
    /// Checks rlimit and capability names, and that no soft limit is above its hard one.
    /// - Throws: `BerthError(.invalidArgument)`: `config.json: process.rlimits[1].type: duplicate rlimit "RLIMIT_NOFILE"`.
    func validateLimits(path: String = "process") throws(BerthError) {
        var seen: Set<String> = []
        for (index, limit) in (rlimits ?? []).enumerated() {
            let limitPath = "\(path).rlimits[\(index)]"
            guard RLimitName.number(limit.type) != nil else {
                throw Spec.invalid("\(limitPath).type", "unknown rlimit \(quoted(limit.type))")
            }
            guard seen.insert(limit.type).inserted else {
                throw Spec.invalid("\(limitPath).type", "duplicate rlimit \(quoted(limit.type))")
            }
            guard limit.soft <= limit.hard else {
                throw Spec.invalid(limitPath, "soft limit \(limit.soft) is above the hard limit \(limit.hard)")
            }
        }
        guard let capabilities else { return }
        let sets: [(String, [String]?)] = [
            ("bounding", capabilities.bounding), ("effective", capabilities.effective),
            ("inheritable", capabilities.inheritable), ("permitted", capabilities.permitted),
            ("ambient", capabilities.ambient),
        ]
        for (set, names) in sets {
            for (index, name) in (names ?? []).enumerated() where CapabilityName.number(name) == nil {
                throw Spec.invalid("\(path).capabilities.\(set)[\(index)]", "unknown capability \(quoted(name))")
            }
        }
    }
}

/// `value` as a JSON string literal, the way messages quote user input.
func quoted(_ value: String) -> String { JSONValue.string(value).description }
