import CSeccomp
import Diagnostics
import OCIRuntimeSpec

/// Applies `linux.seccomp` to the calling process with libseccomp.
///
/// The container's init calls it last, right before it execs the container process, so that its
/// own system calls are not filtered (runc's `standard_init_linux.go`). Without no_new_privs
/// the kernel wants CAP_SYS_ADMIN for it, so then it must come before capabilities are dropped.
public enum SeccompFilter {
    /// Translates, compiles and loads the filter: `prepare(seccomp).load()`.
    /// - Parameter seccomp: the spec's `linux.seccomp`.
    /// - Throws: `BerthError(.invalidArgument)` for a bad profile, `.system` when libseccomp or
    ///   the kernel refuse it.
    public static func load(_ seccomp: OCIRuntimeSpec.Seccomp) throws {
        try prepare(seccomp).load()
    }

    /// Translates and compiles the filter without loading it, so that a bad profile fails before
    /// the container is reported created, and the load itself is one step right before exec.
    /// - Throws: as `load(_:)`, except for the kernel's part.
    public static func prepare(_ seccomp: OCIRuntimeSpec.Seccomp) throws -> PreparedSeccompFilter {
        let program = try SeccompProgram(seccomp)
        try program.checkSupported()
        return try PreparedSeccompFilter(program)
    }

    /// libseccomp's number for a system call name, nil when it does not know the name
    /// (`seccomp_syscall_resolve_name`).
    public static func syscallNumber(_ name: String) -> Int32? {
        let number = seccomp_syscall_resolve_name(name)
        return number == __NR_SCMP_ERROR ? nil : number
    }

    // MARK: - Features

    /// The action names berth-runtime applies.
    public static var supportedActions: [String] {
        SeccompAction.allNames
    }

    /// The `SCMP_CMP_*` operator names.
    public static var supportedOperators: [String] { SeccompCondition.Operator.allCases.map(\.name) }

    /// The `SCMP_ARCH_*` names libseccomp knows.
    public static var supportedArchitectures: [String] { SeccompArchitecture.allNames }

    /// The `SECCOMP_FILTER_FLAG_*` names berth-runtime accepts in `linux.seccomp.flags`.
    public static var flags: [String] { SeccompFlag.allCases.map(\.rawValue) }
}
