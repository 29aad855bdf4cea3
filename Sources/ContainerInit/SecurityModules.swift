import CBerthShim
import Diagnostics
import LinuxSyscalls
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

/// AppArmor, SELinux and personality for the process about to be exec'd, as runc applies them.
/// A profile or label for a module the host does not have is refused by the runtime before the
/// init starts (`check`), as runc refuses it.
public enum SecurityModules {
    /// Refuses what this host cannot apply, with the field named.
    public static func check(process: Process?, spec: Spec) throws {
        if let profile = process?.apparmorProfile, !profile.isEmpty, !appArmorEnabled {
            throw BerthError.invalid("process.apparmorProfile \"\(profile)\": AppArmor is not enabled on this host")
        }
        let labels = [process?.selinuxLabel, spec.linux?.mountLabel].compactMap { $0 }.filter { !$0.isEmpty }
        if !labels.isEmpty && !selinuxEnabled {
            throw BerthError.invalid("an selinux label is set (\(labels[0])) but SELinux is not enabled on this host")
        }
        if spec.linux?.intelRdt != nil && !Files.exists("/sys/fs/resctrl/schemata") {
            throw BerthError.invalid("linux.intelRdt: Intel RDT (resctrl) is not available on this host")
        }
    }

    static func apply(process: Process, spec: Spec) throws {
        try check(process: process, spec: spec)
        if let profile = process.apparmorProfile, !profile.isEmpty {
            try BerthError.wrap("apply apparmor profile \(profile)") { try writeExecAttribute("apparmor/exec", "exec \(profile)") }
        }
        if let label = process.selinuxLabel, !label.isEmpty, selinuxEnabled {
            try BerthError.wrap("set selinux label \(label)") { try writeExecAttribute("exec", label) }
        }
        if let personality = spec.linux?.personality {
            try setPersonality(personality)
        }
    }

    static var appArmorEnabled: Bool {
        (try? Files.readString("/sys/module/apparmor/parameters/enabled"))?.hasPrefix("Y") == true
    }

    static var selinuxEnabled: Bool { Files.exists("/sys/fs/selinux/enforce") }

    /// /proc/thread-self/attr/<name>: the container's own proc, which the init mounted itself.
    static func writeExecAttribute(_ name: String, _ value: String) throws {
        try Files.writeControl("/proc/thread-self/attr/\(name)", value)
    }

    /// `linux.personality`: the LINUX or LINUX32 execution domain (runtime-spec); flags are not
    /// defined by any runtime yet.
    static func setPersonality(_ personality: Personality) throws {
        let domain: UInt = switch personality.domain {
        case "LINUX": 0x0000
        case "LINUX32": 0x0008
        default: throw BerthError.invalid("config.json: linux.personality.domain: unknown domain \"\(personality.domain)\"")
        }
        if let flags = personality.flags, !flags.isEmpty {
            throw BerthError.invalid("config.json: linux.personality.flags: not supported")
        }
        try syscall("personality \(personality.domain)") { bt_personality(domain) }
    }
}
