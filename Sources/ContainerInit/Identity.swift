import CBerthShim
import Diagnostics
import LinuxSyscalls
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

/// rlimits, user and groups, capabilities and umask of the container process.
enum Identity {
    static func apply(process: Process, inUserNamespace: Bool) throws {
        try setRlimits(process.rlimits)
        let caps = try CapabilitySets(process.capabilities)
        // Bounding set first, while we still have CAP_SETPCAP.
        for cap in 0...Int(bt_cap_last_cap()) where !caps.bounding.contains(cap) {
            try syscall("drop bounding capability \(cap)") { bt_capbset_drop(Int32(cap)) }
        }
        // Keep permitted capabilities across the switch to a non-root uid.
        try syscall("set keepcaps") { bt_set_keepcaps(1) }
        try setUser(process.user, inUserNamespace: inUserNamespace)
        try syscall("clear keepcaps") { bt_set_keepcaps(0) }
        try syscall("capset") { bt_capset(caps.effective.mask, caps.permitted.mask, caps.inheritable.mask) }
        try syscall("clear ambient capabilities") { bt_ambient_clear_all() }
        // An ambient capability must also be permitted and inheritable; runc skips one that is
        // not (its own default spec asks for ambient capabilities without inheritable ones).
        for cap in caps.ambient.members where caps.inheritable.contains(cap) && caps.permitted.contains(cap) {
            try syscall("raise ambient capability \(cap)") { bt_ambient_raise(Int32(cap)) }
        }
        if let umask = process.user.umask { _ = Glibc.umask(mode_t(umask)) }
    }

    static func setRlimits(_ rlimits: [RLimit]?) throws {
        for limit in rlimits ?? [] {
            guard let resource = RLimitName.number(limit.type) else {
                throw BerthError.invalid("config.json: process.rlimits: unknown type \(limit.type)")
            }
            try syscall("setrlimit \(limit.type)") { bt_prlimit(0, Int32(resource), limit.soft, limit.hard) }
        }
    }

    /// Supplementary groups are exactly the spec's (none when absent), then gid, then uid.
    static func setUser(_ user: User, inUserNamespace: Bool) throws {
        let groups = (user.additionalGids ?? []).map { gid_t($0) }
        if bt_setgroups(groups.count, groups) != 0 {
            // In a user namespace with setgroups denied only the empty list is possible.
            if !(inUserNamespace && errno == EPERM && groups.isEmpty) {
                throw BerthError.system("setgroups")
            }
        }
        try syscall("setresgid \(user.gid)") { bt_setresgid(user.gid, user.gid, user.gid) }
        try syscall("setresuid \(user.uid)") { bt_setresuid(user.uid, user.uid, user.uid) }
    }
}

/// A set of capabilities as a 64-bit mask.
struct CapabilitySet: Equatable {
    var mask: UInt64 = 0

    init(_ names: [String]?, field: String) throws {
        for name in names ?? [] {
            guard let number = CapabilityName.number(name) else {
                throw BerthError.invalid("config.json: process.capabilities.\(field): unknown capability \(name)")
            }
            mask |= 1 << UInt64(number)
        }
    }

    func contains(_ cap: Int) -> Bool { mask & (1 << UInt64(cap)) != 0 }
    var members: [Int] { (0..<64).filter(contains) }
}

struct CapabilitySets {
    let bounding, effective, permitted, inheritable, ambient: CapabilitySet

    init(_ caps: Capabilities?) throws {
        bounding = try CapabilitySet(caps?.bounding, field: "bounding")
        effective = try CapabilitySet(caps?.effective, field: "effective")
        permitted = try CapabilitySet(caps?.permitted, field: "permitted")
        inheritable = try CapabilitySet(caps?.inheritable, field: "inheritable")
        ambient = try CapabilitySet(caps?.ambient, field: "ambient")
    }
}
