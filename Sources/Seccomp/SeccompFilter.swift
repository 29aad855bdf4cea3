import CSeccomp
import Diagnostics
import OCIRuntimeSpec

/// `linux.seccomp` through libseccomp: translated, built and compiled to BPF by the runtime
/// (`prepare(_:).compile()`); the container's init loads the result (`CompiledSeccompFilter`).
public enum SeccompFilter {
    /// Translates and builds the libseccomp filter, so that a bad profile fails before the
    /// container is reported created.
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
