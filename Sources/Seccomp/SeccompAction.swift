import Diagnostics

/// What the kernel does with a system call a rule (or the default) matches: the runtime spec's
/// `SCMP_ACT_*` names, libseccomp's `SCMP_ACT_*` values, the kernel's `SECCOMP_RET_*`.
public enum SeccompAction: Equatable, Sendable {
    /// `SCMP_ACT_KILL_THREAD`, also spelled `SCMP_ACT_KILL`: SIGSYS kills the calling thread.
    case killThread
    /// `SCMP_ACT_KILL_PROCESS`: SIGSYS kills the whole process.
    case killProcess
    /// `SCMP_ACT_TRAP`: the thread gets a SIGSYS it may handle.
    case trap
    /// `SCMP_ACT_ERRNO(n)`: the call fails with errno `n` (`errnoRet`, EPERM by default).
    case errno(UInt16)
    /// `SCMP_ACT_TRACE(n)`: a ptrace tracer is notified with `n` (`errnoRet`, EPERM by default).
    case trace(UInt16)
    /// `SCMP_ACT_ALLOW`.
    case allow
    /// `SCMP_ACT_LOG`: allowed, and logged by the kernel.
    case log
    /// `SCMP_ACT_NOTIFY`: a user-space agent (behind `listenerPath`) decides.
    case notify

    /// Every action name of the runtime spec.
    public static let allNames = [
        "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
        "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY",
    ]

    /// Parses an action name as runc does (`getAction` in libcontainer/seccomp/seccomp_linux.go).
    /// - Parameters:
    ///   - name: the `SCMP_ACT_*` name.
    ///   - errnoRet: the errno of `SCMP_ACT_ERRNO`, the trace value of `SCMP_ACT_TRACE`
    ///     (EPERM when absent); ignored by the other actions.
    ///   - field: the config field, for messages (`linux.seccomp.syscalls[3].action`).
    /// - Throws: `BerthError(.invalidArgument)` for an unknown name or an errno above 65535.
    public init(name: String, errnoRet: UInt32?, field: String) throws {
        // The kernel keeps 16 bits of data next to the action (SECCOMP_RET_DATA).
        func data() throws -> UInt16 {
            guard let value = errnoRet else { return SeccompAction.defaultErrno }
            guard let small = UInt16(exactly: value) else {
                throw BerthError.invalid("config.json: \(field): errno \(value) is out of range (0-65535)")
            }
            return small
        }
        switch name {
        case "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD": self = .killThread
        case "SCMP_ACT_KILL_PROCESS": self = .killProcess
        case "SCMP_ACT_TRAP": self = .trap
        case "SCMP_ACT_ERRNO": self = .errno(try data())
        case "SCMP_ACT_TRACE": self = .trace(try data())
        case "SCMP_ACT_ALLOW": self = .allow
        case "SCMP_ACT_LOG": self = .log
        case "SCMP_ACT_NOTIFY": self = .notify
        default: throw BerthError.invalid("config.json: \(field): unknown action \"\(name)\"")
        }
    }

    /// EPERM: runc's errno for `SCMP_ACT_ERRNO` and `SCMP_ACT_TRACE` without `errnoRet`.
    static let defaultErrno: UInt16 = 1

    /// The libseccomp action value (seccomp.h's `SCMP_ACT_*` macros, which Swift cannot import).
    public var rawValue: UInt32 {
        switch self {
        case .killThread: 0x0000_0000
        case .killProcess: 0x8000_0000
        case .trap: 0x0003_0000
        case .errno(let n): 0x0005_0000 | UInt32(n)
        case .trace(let n): 0x7ff0_0000 | UInt32(n)
        case .log: 0x7ffc_0000
        case .allow: 0x7fff_0000
        case .notify: 0x7fc0_0000
        }
    }
}
