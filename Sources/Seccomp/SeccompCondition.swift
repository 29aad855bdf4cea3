import Diagnostics
import OCIRuntimeSpec

/// A comparison of one system call argument (`linux.seccomp.syscalls[].args[]`, libseccomp's
/// `struct scmp_arg_cmp`).
public struct SeccompCondition: Equatable, Sendable {
    /// The comparison (`enum scmp_compare`; the raw value is libseccomp's).
    public enum Operator: UInt32, CaseIterable, Equatable, Sendable {
        case notEqual = 1, lessThan, lessOrEqual, equal, greaterOrEqual, greaterThan, maskedEqual

        /// The runtime spec's name, `SCMP_CMP_*`.
        public var name: String {
            switch self {
            case .notEqual: "SCMP_CMP_NE"
            case .lessThan: "SCMP_CMP_LT"
            case .lessOrEqual: "SCMP_CMP_LE"
            case .equal: "SCMP_CMP_EQ"
            case .greaterOrEqual: "SCMP_CMP_GE"
            case .greaterThan: "SCMP_CMP_GT"
            case .maskedEqual: "SCMP_CMP_MASKED_EQ"
            }
        }
    }

    /// System calls have six arguments at most.
    static let argumentCount: UInt32 = 6

    /// The argument, 0 to 5.
    public var index: UInt32
    public var op: Operator
    /// libseccomp's `datum_a`: the value, or the mask of `SCMP_CMP_MASKED_EQ`.
    public var datumA: UInt64
    /// libseccomp's `datum_b`: the value `SCMP_CMP_MASKED_EQ` compares the masked argument with.
    public var datumB: UInt64

    public init(index: UInt32, op: Operator, datumA: UInt64, datumB: UInt64 = 0) {
        self.index = index
        self.op = op
        self.datumA = datumA
        self.datumB = datumB
    }

    /// Translates a spec argument as runc does: `(arg & value) == valueTwo` for MASKED_EQ,
    /// `arg <op> value` for the others.
    /// - Throws: `BerthError(.invalidArgument)` for an unknown op or an index above 5.
    init(_ arg: SeccompArg, field: String) throws {
        guard let op = Operator.allCases.first(where: { $0.name == arg.op }) else {
            throw BerthError.invalid("config.json: \(field).op: unknown operator \"\(arg.op)\"")
        }
        guard arg.index < Self.argumentCount else {
            throw BerthError.invalid("config.json: \(field).index: \(arg.index) is out of range (0-5)")
        }
        self.init(index: arg.index, op: op, datumA: arg.value,
                  datumB: op == .maskedEqual ? arg.valueTwo ?? 0 : 0)
    }
}
