import Diagnostics
import LiteJSON
import OCIRuntimeSpec

extension SpecBuilder {
    /// docker's default capability set.
    public static let defaultCapabilities = [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL",
        "CAP_AUDIT_WRITE",
    ]

    /// docker's `TweakCapabilities`: every capability when privileged; with `--cap-add ALL`
    /// all but the dropped ones; with `--cap-drop ALL` only the added ones; else the defaults
    /// minus the dropped plus the added. Names are case-insensitive, with or without `CAP_`.
    /// - Throws: `BerthError(.invalidArgument)`: `unknown capability: "CAP_FOO"`.
    public static func capabilitySet(add: [String], drop: [String], privileged: Bool) throws(BerthError) -> [String] {
        if privileged { return CapabilityName.all }
        let added = try normalize(add), dropped = try normalize(drop)
        var caps: [String]
        if added.contains("ALL") {
            caps = CapabilityName.all.filter { !dropped.contains($0) }
        } else if dropped.contains("ALL") {
            caps = added
        } else {
            caps = defaultCapabilities.filter { !dropped.contains($0) } + added
        }
        var seen = Set<String>()
        return caps.filter { $0 != "ALL" && seen.insert($0).inserted }
    }

    static func normalize(_ names: [String]) throws(BerthError) -> [String] {
        var result: [String] = []
        for name in names {
            var upper = name.uppercased()
            if upper == "ALL" { result.append(upper); continue }
            if !upper.hasPrefix("CAP_") { upper = "CAP_" + upper }
            guard CapabilityName.number(upper) != nil else { throw .invalid("unknown capability: \"\(upper)\"") }
            result.append(upper)
        }
        return result
    }

    /// The same set in bounding, effective and permitted (docker leaves inheritable and
    /// ambient empty).
    static func capabilities(_ options: RunOptions) throws(BerthError) -> Capabilities {
        let caps = try capabilitySet(add: options.capAdd, drop: options.capDrop, privileged: options.privileged)
        return Capabilities(bounding: caps, effective: caps, permitted: caps)
    }

    /// docker's default profile, none with `seccomp=unconfined` or `--privileged`, or the
    /// `seccomp=FILE` profile (which applies even when privileged, as in docker).
    static func seccomp(_ security: [SecurityOption], privileged: Bool, profile: [UInt8]?) throws(BerthError) -> Seccomp? {
        var choice: SecurityOption?
        for option in security where option != .noNewPrivileges(true) && option != .noNewPrivileges(false) {
            choice = option
        }
        switch choice {
        case .seccompUnconfined:
            return nil
        case .seccompProfile(let path):
            guard let profile else { throw BerthError(.internalError, "seccomp profile \(path): not read") }
            do {
                return try LiteJSONDecoder().decode(Seccomp.self, from: profile)
            } catch {
                throw .invalid("seccomp profile \(path): \(error)")
            }
        default:
            return privileged ? nil : DefaultSeccompProfile.profile
        }
    }
}
