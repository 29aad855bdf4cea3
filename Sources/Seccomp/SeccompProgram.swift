import Diagnostics
import OCIRuntimeSpec

/// `linux.seccomp` translated for libseccomp and checked, without touching the kernel: what
/// runc's `InitSeccomp` and `matchCall` (libcontainer/seccomp/seccomp_linux.go) build.
public struct SeccompProgram: Equatable, Sendable {
    /// One libseccomp rule: `seccomp_rule_add_array(action, syscall, conditions)`; the
    /// conditions are ANDed.
    public struct Rule: Equatable, Sendable {
        public var name: String
        /// libseccomp's number for `name` (negative for a call that exists only on another
        /// architecture of the filter, which libseccomp then handles there).
        public var syscall: Int32
        public var action: SeccompAction
        public var conditions: [SeccompCondition]

        public init(name: String, syscall: Int32, action: SeccompAction, conditions: [SeccompCondition] = []) {
            self.name = name
            self.syscall = syscall
            self.action = action
            self.conditions = conditions
        }
    }

    public var defaultAction: SeccompAction
    /// libseccomp's names of the extra architectures (`x86`, `x32`, ...).
    public var architectures: [String]
    public var flags: [SeccompFlag]
    public var rules: [Rule]
    public var listenerPath: String?

    /// Translates `linux.seccomp`.
    /// - Parameters:
    ///   - seccomp: the spec's object.
    ///   - resolveSyscall: a system call's libseccomp number, nil when libseccomp does not know
    ///     the name; such a name is skipped, as runc does (the profile may name calls newer
    ///     than this libseccomp).
    /// - Throws: `BerthError(.invalidArgument)` naming the field: an unknown action, operator,
    ///   architecture or flag, an empty name, an argument index above 5.
    public init(_ seccomp: OCIRuntimeSpec.Seccomp,
                resolveSyscall: (String) -> Int32? = SeccompFilter.syscallNumber) throws {
        let base = "linux.seccomp"
        defaultAction = try SeccompAction(name: seccomp.defaultAction, errnoRet: seccomp.defaultErrnoRet,
                                          field: "\(base).defaultAction")
        architectures = try (seccomp.architectures ?? []).enumerated().map { i, name in
            try SeccompArchitecture.libseccompName(name, field: "\(base).architectures[\(i)]")
        }
        flags = try (seccomp.flags ?? []).enumerated().map { i, name in
            try SeccompFlag(name: name, field: "\(base).flags[\(i)]")
        }
        listenerPath = seccomp.listenerPath
        rules = []
        for (i, call) in (seccomp.syscalls ?? []).enumerated() {
            try addRules(for: call, field: "\(base).syscalls[\(i)]", resolveSyscall: resolveSyscall)
        }
    }

    private mutating func addRules(for call: SeccompSyscall, field: String,
                                   resolveSyscall: (String) -> Int32?) throws {
        let action = try SeccompAction(name: call.action, errnoRet: call.errnoRet, field: "\(field).action")
        let conditions = try (call.args ?? []).enumerated().map { j, arg in
            try SeccompCondition(arg, field: "\(field).args[\(j)]")
        }
        if let j = call.names.firstIndex(where: \.isEmpty) {
            throw BerthError.invalid("config.json: \(field).names[\(j)]: empty system call name")
        }
        // libseccomp refuses a rule whose action is the default one; it would change nothing.
        guard action != defaultAction else { return }

        // runc: several conditions on the same argument cannot be ANDed in one libseccomp rule
        // (it refuses them), so each becomes a rule of its own, and they are ORed.
        var perIndex = [Int](repeating: 0, count: Int(SeccompCondition.argumentCount))
        for condition in conditions { perIndex[Int(condition.index)] += 1 }
        let groups = perIndex.contains(where: { $0 > 1 }) ? conditions.map { [$0] } : [conditions]

        for name in call.names {
            guard let number = resolveSyscall(name) else { continue }
            for group in groups {
                rules.append(Rule(name: name, syscall: number, action: action, conditions: group))
            }
        }
    }

    /// True when a rule hands system calls to a user-space agent (`SCMP_ACT_NOTIFY`).
    public var usesNotify: Bool { defaultAction == .notify || rules.contains { $0.action == .notify } }

    /// Refuses `SCMP_ACT_NOTIFY` as the default action (the agent's own system calls would
    /// block, as runc refuses it) and without a `listenerPath` to hand the descriptor to.
    /// - Throws: `BerthError(.invalidArgument)` naming the field.
    public func checkSupported() throws {
        guard usesNotify else { return }
        if defaultAction == .notify {
            throw BerthError.invalid(
                "config.json: linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action")
        }
        guard let path = listenerPath, !path.isEmpty else {
            throw BerthError.invalid("config.json: linux.seccomp.listenerPath: required by SCMP_ACT_NOTIFY")
        }
    }
}
