import Foundation
import LiteJSON
import OCIRuntimeSpec
import Seccomp
import Testing

/// The `linux.seccomp` object of podman's default profile (from podman-create-config.json).
func podmanProfile() throws -> OCIRuntimeSpec.Seccomp {
    let url = try #require(Bundle.module.url(forResource: "podman-default-seccomp.json", withExtension: nil,
                                             subdirectory: "Fixtures"))
    return try LiteJSONDecoder().decode(OCIRuntimeSpec.Seccomp.self, from: Array(try Data(contentsOf: url)))
}

/// libseccomp builds (but the tests never load: that would filter the test runner) every filter.
@Suite struct PreparedSeccompFilterTests {
    /// Bytes of BPF the filter compiles to (`seccomp_export_bpf` into an unlinked temporary file).
    func bpfSize(_ filter: PreparedSeccompFilter) throws -> Int {
        var template = Array("/tmp/berth-seccomp-test.XXXXXX".utf8CString)
        let fd = mkstemp(&template)
        try #require(fd >= 0)
        unlink(String(cString: template))
        defer { close(fd) }
        try filter.exportBPF(to: fd)
        return Int(lseek(fd, 0, SEEK_END))
    }

    @Test func podmanDefaultProfileCompiles() throws {
        let seccomp = try podmanProfile()
        let clock = ContinuousClock()
        var filter: PreparedSeccompFilter?
        var size = 0
        let elapsed = try clock.measure {
            filter = try SeccompFilter.prepare(seccomp)
            size = try bpfSize(try #require(filter))
        }
        let program = try #require(filter).program
        #expect(program.defaultAction == .errno(38))
        #expect(program.architectures == ["x86_64", "x86", "x32"])
        #expect(program.rules.count > 300)
        #expect(size > 0 && size % 8 == 0)
        // seccomp_load does the same BPF generation plus one seccomp(2) call.
        print("podman default profile: \(program.rules.count) rules, \(size / 8) BPF instructions, "
              + "prepare + BPF generation \(elapsed)")
    }

    @Test func everyFeatureCompiles() throws {
        let seccomp = try profile(#"""
            {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38,
             "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"],
             "flags": ["SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"],
             "syscalls": [
               {"names": ["read", "write", "exit_group", "no_such_call"], "action": "SCMP_ACT_ALLOW"},
               {"names": ["kill"], "action": "SCMP_ACT_KILL"}, {"names": ["tkill"], "action": "SCMP_ACT_KILL_PROCESS"},
               {"names": ["tgkill"], "action": "SCMP_ACT_TRAP"}, {"names": ["ptrace"], "action": "SCMP_ACT_TRACE", "errnoRet": 5},
               {"names": ["getpid"], "action": "SCMP_ACT_LOG"},
               {"names": ["socket"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_EQ"}]},
               {"names": ["personality"], "action": "SCMP_ACT_ALLOW", "args": [
                  {"index": 0, "value": 0, "op": "SCMP_CMP_EQ"}, {"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"}]},
               {"names": ["mmap"], "action": "SCMP_ACT_ALLOW", "args": [
                  {"index": 2, "value": 4, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}, {"index": 1, "value": 4096, "op": "SCMP_CMP_GE"}]}]}
            """#)
        let filter = try SeccompFilter.prepare(seccomp)
        #expect(try bpfSize(filter) > 0)
    }
}
