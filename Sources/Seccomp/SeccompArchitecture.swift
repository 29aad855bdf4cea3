import Diagnostics

/// The architectures a filter also matches (`linux.seccomp.architectures`), besides the native one.
public enum SeccompArchitecture {
    /// The runtime spec's names and libseccomp's (`seccomp_arch_resolve_name`) for each one
    /// libseccomp 2.5 knows.
    static let table: [(spec: String, libseccomp: String)] = [
        ("SCMP_ARCH_X86", "x86"), ("SCMP_ARCH_X86_64", "x86_64"), ("SCMP_ARCH_X32", "x32"),
        ("SCMP_ARCH_ARM", "arm"), ("SCMP_ARCH_AARCH64", "aarch64"),
        ("SCMP_ARCH_MIPS", "mips"), ("SCMP_ARCH_MIPS64", "mips64"), ("SCMP_ARCH_MIPS64N32", "mips64n32"),
        ("SCMP_ARCH_MIPSEL", "mipsel"), ("SCMP_ARCH_MIPSEL64", "mipsel64"),
        ("SCMP_ARCH_MIPSEL64N32", "mipsel64n32"),
        ("SCMP_ARCH_PPC", "ppc"), ("SCMP_ARCH_PPC64", "ppc64"), ("SCMP_ARCH_PPC64LE", "ppc64le"),
        ("SCMP_ARCH_S390", "s390"), ("SCMP_ARCH_S390X", "s390x"),
        ("SCMP_ARCH_PARISC", "parisc"), ("SCMP_ARCH_PARISC64", "parisc64"),
        ("SCMP_ARCH_RISCV64", "riscv64"),
    ]

    /// Every `SCMP_ARCH_*` name berth-runtime accepts.
    public static var allNames: [String] { table.map(\.spec) }

    /// libseccomp's name for the spec's `SCMP_ARCH_*` name.
    /// - Throws: `BerthError(.invalidArgument)` naming `field` and the architecture when unknown.
    public static func libseccompName(_ name: String, field: String) throws -> String {
        guard let entry = table.first(where: { $0.spec == name }) else {
            throw BerthError.invalid("config.json: \(field): unknown architecture \"\(name)\"")
        }
        return entry.libseccomp
    }
}

/// A `linux.seccomp.flags` entry: a `SECCOMP_FILTER_FLAG_*` of seccomp(2), set through
/// libseccomp's filter attributes.
public enum SeccompFlag: String, CaseIterable, Equatable, Sendable {
    /// Every thread of the process gets the filter (`SCMP_FLTATR_CTL_TSYNC`).
    case tsync = "SECCOMP_FILTER_FLAG_TSYNC"
    /// Actions other than allow are logged (`SCMP_FLTATR_CTL_LOG`).
    case log = "SECCOMP_FILTER_FLAG_LOG"
    /// The speculative store bypass mitigation stays off (`SCMP_FLTATR_CTL_SSB`).
    case specAllow = "SECCOMP_FILTER_FLAG_SPEC_ALLOW"

    init(name: String, field: String) throws {
        guard let flag = SeccompFlag(rawValue: name) else {
            throw BerthError.invalid("config.json: \(field): unknown flag \"\(name)\"")
        }
        self = flag
    }
}
