import Diagnostics
import LiteJSON
import OCIRuntimeSpec
import Seccomp
import Testing

/// `linux.seccomp` from JSON text (the spec types have no public memberwise initializer).
func profile(_ json: String) throws -> OCIRuntimeSpec.Seccomp {
    try LiteJSONDecoder().decode(OCIRuntimeSpec.Seccomp.self, from: json)
}

/// A profile that allows everything except what `syscalls` (JSON array text) says.
func program(_ syscalls: String, extra: String = "") throws -> SeccompProgram {
    try SeccompProgram(profile(#"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": \#(syscalls)\#(extra)}"#),
                       resolveSyscall: fakeResolver)
}

/// Known names get made-up numbers, so the tests do not depend on the host's table.
let fakeNumbers: [String: Int32] = ["mkdir": 83, "personality": 135, "read": 0, "write": 1, "socketcall": -101]
func fakeResolver(_ name: String) -> Int32? { fakeNumbers[name] }

/// The error `body` throws, or nil.
func error(_ body: () throws -> some Any) -> BerthError? {
    do { _ = try body(); return nil } catch { return error as? BerthError }
}

@Suite struct SeccompProgramTests {
    @Test(arguments: [
        ("SCMP_ACT_KILL", UInt32(0x0000_0000)), ("SCMP_ACT_KILL_THREAD", 0x0000_0000),
        ("SCMP_ACT_KILL_PROCESS", 0x8000_0000), ("SCMP_ACT_TRAP", 0x0003_0000),
        ("SCMP_ACT_ERRNO", 0x0005_0001), ("SCMP_ACT_TRACE", 0x7ff0_0001),
        ("SCMP_ACT_ALLOW", 0x7fff_0000), ("SCMP_ACT_LOG", 0x7ffc_0000), ("SCMP_ACT_NOTIFY", 0x7fc0_0000),
    ])
    func actionValues(name: String, raw: UInt32) throws {
        #expect(try SeccompAction(name: name, errnoRet: nil, field: "f").rawValue == raw)
    }

    @Test func errnoRetSetsErrnoAndTraceValues() throws {
        let p = try program(#"""
            [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13},
             {"names": ["read"], "action": "SCMP_ACT_TRACE", "errnoRet": 7},
             {"names": ["write"], "action": "SCMP_ACT_ERRNO"}]
            """#)
        #expect(p.rules.map(\.action) == [.errno(13), .trace(7), .errno(1)])
        #expect(p.rules[0].action.rawValue == 0x0005_000d)
    }

    @Test func defaultErrnoRet() throws {
        let p = try SeccompProgram(profile(#"{"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38}"#))
        #expect(p.defaultAction == .errno(38))
        let eperm = try SeccompProgram(profile(#"{"defaultAction": "SCMP_ACT_ERRNO"}"#))
        #expect(eperm.defaultAction == .errno(1))
    }

    @Test func unknownActionNamesTheField() {
        let e = error {
            try program(#"[{"names": ["read"], "action": "SCMP_ACT_ALLOW"}, {"names": ["read"], "action": "SCMP_ACT_ALLOW"},"#
                        + #"{"names": ["read"], "action": "SCMP_ACT_ALLOW"}, {"names": ["mkdir"], "action": "X"}]"#)
        }
        #expect(e == BerthError(.invalidArgument, #"config.json: linux.seccomp.syscalls[3].action: unknown action "X""#))
        let d = error { try SeccompProgram(profile(#"{"defaultAction": "SCMP_ACT_NOPE"}"#)) }
        #expect(d?.message == #"config.json: linux.seccomp.defaultAction: unknown action "SCMP_ACT_NOPE""#)
    }

    @Test func errnoOutOfRange() {
        let e = error { try program(#"[{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 70000}]"#) }
        #expect(e?.message == "config.json: linux.seccomp.syscalls[0].action: errno 70000 is out of range (0-65535)")
    }

    @Test func architectures() throws {
        let p = try program("[]", extra: #", "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32", "SCMP_ARCH_AARCH64"]"#)
        #expect(p.architectures == ["x86_64", "x86", "x32", "aarch64"])
        let e = error { try program("[]", extra: #", "architectures": ["SCMP_ARCH_X86", "SCMP_ARCH_VAX"]"#) }
        #expect(e?.message == #"config.json: linux.seccomp.architectures[1]: unknown architecture "SCMP_ARCH_VAX""#)
        #expect(SeccompFilter.supportedArchitectures.contains("SCMP_ARCH_RISCV64"))
    }

    @Test func flags() throws {
        let p = try program("[]", extra: #", "flags": ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"]"#)
        #expect(p.flags == [.tsync, .log, .specAllow])
        let e = error { try program("[]", extra: #", "flags": ["SECCOMP_FILTER_FLAG_NEW_LISTENER"]"#) }
        #expect(e?.message == #"config.json: linux.seccomp.flags[0]: unknown flag "SECCOMP_FILTER_FLAG_NEW_LISTENER""#)
        #expect(SeccompFilter.flags == ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"])
    }

    @Test(arguments: [
        ("SCMP_CMP_NE", SeccompCondition.Operator.notEqual), ("SCMP_CMP_LT", .lessThan),
        ("SCMP_CMP_LE", .lessOrEqual), ("SCMP_CMP_EQ", .equal), ("SCMP_CMP_GE", .greaterOrEqual),
        ("SCMP_CMP_GT", .greaterThan),
    ])
    func operators(name: String, op: SeccompCondition.Operator) throws {
        let p = try program(#"[{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 8, "valueTwo": 9, "op": "\#(name)"}]}]"#)
        #expect(p.rules == [.init(name: "personality", syscall: 135, action: .errno(1),
                                  conditions: [.init(index: 0, op: op, datumA: 8, datumB: 0)])])
        #expect(op.rawValue == SeccompCondition.Operator.allCases.firstIndex(of: op)! + 1)
    }

    @Test func maskedEqualComparesMaskedArgWithValueTwo() throws {
        let p = try program(#"[{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 1, "value": 255, "valueTwo": 4, "op": "SCMP_CMP_MASKED_EQ"}]}]"#)
        #expect(p.rules[0].conditions == [.init(index: 1, op: .maskedEqual, datumA: 255, datumB: 4)])
    }

    @Test func badArguments() {
        let op = error { try program(#"[{"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 1, "op": "SCMP_CMP_XX"}]}]"#) }
        #expect(op?.message == #"config.json: linux.seccomp.syscalls[0].args[1].op: unknown operator "SCMP_CMP_XX""#)
        let index = error { try program(#"[{"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]"#) }
        #expect(index?.message == "config.json: linux.seccomp.syscalls[0].args[0].index: 6 is out of range (0-5)")
        let empty = error { try program(#"[{"names": ["read", ""], "action": "SCMP_ACT_ERRNO"}]"#) }
        #expect(empty?.message == "config.json: linux.seccomp.syscalls[0].names[1]: empty system call name")
    }

    @Test func argumentsOnDifferentIndexesAreOneRule() throws {
        let p = try program(#"[{"names": ["read", "write"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}, {"index": 2, "value": 3, "op": "SCMP_CMP_GT"}]}]"#)
        let conditions: [SeccompCondition] = [.init(index: 0, op: .equal, datumA: 1), .init(index: 2, op: .greaterThan, datumA: 3)]
        #expect(p.rules == [.init(name: "read", syscall: 0, action: .errno(1), conditions: conditions),
                            .init(name: "write", syscall: 1, action: .errno(1), conditions: conditions)])
    }

    @Test func argumentsOnTheSameIndexAreSeparateRules() throws {
        let p = try program(#"[{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 8, "op": "SCMP_CMP_EQ"}, {"index": 1, "value": 2, "op": "SCMP_CMP_NE"}]}]"#)
        #expect(p.rules.map(\.conditions) == [[.init(index: 0, op: .equal, datumA: 0)],
                                              [.init(index: 0, op: .equal, datumA: 8)],
                                              [.init(index: 1, op: .notEqual, datumA: 2)]])
    }

    @Test func unknownNamesAndRedundantRulesAreSkipped() throws {
        let p = try program(#"[{"names": ["no_such_call", "mkdir"], "action": "SCMP_ACT_ERRNO"}, {"names": ["read"], "action": "SCMP_ACT_ALLOW"}]"#)
        #expect(p.rules == [.init(name: "mkdir", syscall: 83, action: .errno(1))])
    }

    @Test func libseccompResolvesNames() {
        #expect(SeccompFilter.syscallNumber("mkdir") != nil)
        #expect(SeccompFilter.syscallNumber("berth_no_such_call") == nil)
    }

    @Test func notifyNeedsAListenerAndIsNeverTheDefault() throws {
        let noListener = try program(#"[{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]"#)
        #expect(error { try noListener.checkSupported() }?.message
                == "config.json: linux.seccomp.listenerPath: required by SCMP_ACT_NOTIFY")
        let listener = try program(#"[{"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}]"#, extra: #", "listenerPath": "/run/agent.sock""#)
        try listener.checkSupported()
        #expect(listener.usesNotify)
        let asDefault = try SeccompProgram(profile(#"{"defaultAction": "SCMP_ACT_NOTIFY"}"#))
        #expect(error { try asDefault.checkSupported() }?.message
                == "config.json: linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action")
        #expect(SeccompFilter.supportedActions.contains("SCMP_ACT_NOTIFY"))
        try program(#"[{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]"#).checkSupported()
    }
}
