import CSeccomp
import Diagnostics

#if canImport(Glibc)
import Glibc
#endif

/// A compiled libseccomp filter (`scmp_filter_ctx`), ready to load.
public final class PreparedSeccompFilter {
    private let context: scmp_filter_ctx
    /// The translated profile it was built from.
    public let program: SeccompProgram

    /// Builds the libseccomp filter for `program`.
    /// - Throws: `BerthError(.system)` naming the step libseccomp refused.
    public init(_ program: SeccompProgram) throws {
        guard let context = seccomp_init(program.defaultAction.rawValue) else {
            throw BerthError(.system, "seccomp: seccomp_init: invalid default action")
        }
        self.context = context
        self.program = program
        try configure()
        for rule in program.rules { try add(rule) }
    }

    deinit { seccomp_release(context) }

    private func configure() throws {
        for name in program.architectures {
            let token = seccomp_arch_resolve_name(name)
            guard token != 0 else { throw BerthError(.system, "seccomp: architecture \(name) unknown to libseccomp") }
            let rc = seccomp_arch_add(context, token)
            // The native architecture is in every filter already.
            if rc < 0 && rc != -EEXIST { throw Self.failure("add architecture \(name)", rc) }
        }
        for flag in program.flags {
            let attribute = switch flag {
            case .tsync: SCMP_FLTATR_CTL_TSYNC
            case .log: SCMP_FLTATR_CTL_LOG
            case .specAllow: SCMP_FLTATR_CTL_SSB
            }
            try set(attribute, 1, "set flag \(flag.rawValue)")
        }
        // The kernel's errno instead of libseccomp's ECANCELED when seccomp(2) fails (API level 6+).
        _ = seccomp_attr_set(context, SCMP_FLTATR_API_SYSRAWRC, 1)
        // The caller sets no_new_privs when the spec asks for it; libseccomp would always set it.
        try set(SCMP_FLTATR_CTL_NNP, 0, "clear the no_new_privs attribute")
        // A binary tree instead of a linear list of syscall checks, as runc does for long
        // profiles (libseccomp 2.5 misbehaves with it and no rules).
        if program.rules.count > 32 {
            _ = seccomp_attr_set(context, SCMP_FLTATR_CTL_OPTIMIZE, 2)
        }
    }

    private func set(_ attribute: scmp_filter_attr, _ value: UInt32, _ step: String) throws {
        let rc = seccomp_attr_set(context, attribute, value)
        if rc < 0 { throw Self.failure(step, rc) }
    }

    private func add(_ rule: SeccompProgram.Rule) throws {
        let conditions = rule.conditions.map {
            scmp_arg_cmp(arg: $0.index, op: scmp_compare(rawValue: $0.op.rawValue),
                         datum_a: $0.datumA, datum_b: $0.datumB)
        }
        let rc = conditions.withUnsafeBufferPointer {
            seccomp_rule_add_array(context, rule.action.rawValue, rule.syscall,
                                   UInt32($0.count), $0.baseAddress)
        }
        if rc < 0 { throw Self.failure("add rule for system call \(rule.name)", rc) }
    }

    /// Writes the BPF program to `fd` (`seccomp_export_bpf`): what libseccomp would hand the kernel.
    public func exportBPF(to fd: Int32) throws {
        let rc = seccomp_export_bpf(context, fd)
        if rc < 0 { throw Self.failure("export filter", rc) }
    }

    /// libseccomp returns `-errno`.
    private static func failure(_ step: String, _ rc: Int32) -> BerthError {
        BerthError(.system, "seccomp: \(step): \(String(cString: strerror(-rc)))", errno: -rc)
    }
}
