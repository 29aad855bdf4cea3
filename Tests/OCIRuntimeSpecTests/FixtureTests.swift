import Foundation
import LiteJSON
import OCIRuntimeSpec
import Testing

/// Reads a fixture recorded from podman or containerd.
func fixture(_ name: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
    return Array(try Data(contentsOf: url))
}

@Suite struct FixtureTests {
    @Test func decodesPodmanCreateConfig() throws {
        let spec = try Spec.decode(fixture("podman-create-config.json"))
        #expect(spec.ociVersion == "1.0.2-dev")
        #expect(spec.process?.args?.first == "sh")
        #expect(spec.process?.user.umask == 18)
        #expect(spec.process?.rlimits == [RLimit(type: "RLIMIT_NOFILE", hard: 20000, soft: 20000),
                                         RLimit(type: "RLIMIT_NPROC", hard: 32768, soft: 32768)])
        #expect(spec.process?.capabilities?.bounding?.count == 14)
        #expect(spec.hostname == "$SHORTID")
        #expect(spec.mounts?.first == Mount(destination: "/proc", type: "proc", source: "proc",
                                            options: ["nosuid", "noexec", "nodev"]))
        #expect(spec.linux?.namespaces?.map(\.type).contains(.mount) == true)
        #expect(spec.linux?.resources?.pids?.limit != nil)
        let seccomp = try #require(spec.linux?.seccomp)
        #expect(seccomp.defaultAction == "SCMP_ACT_ERRNO")
        #expect(seccomp.syscalls?.isEmpty == false)
        #expect(spec.annotations?["io.podman.annotations.autoremove"] != nil)
        try spec.validate()
    }

    @Test func decodesContainerdCreateConfig() throws {
        let spec = try Spec.decode(fixture("containerd-create-config.json"))
        #expect(spec.process?.user.additionalGids == [0])
        #expect(spec.process?.noNewPrivileges == true)
        #expect(spec.root == Root(path: "rootfs"))
        #expect(spec.linux?.cgroupsPath == "/$NS/$ID")
        #expect(spec.linux?.resources?.cpu?.shares == 1024)
        let devices = try #require(spec.linux?.resources?.devices)
        #expect(devices.first == DeviceRule(allow: false, access: "rwm"))
        #expect(devices[8] == DeviceRule(allow: true, type: "c", major: 136, access: "rwm"))
        #expect(spec.linux?.namespaces?.map(\.type) == [.pid, .ipc, .uts, .mount, .network])
        try spec.validate()
    }

    @Test func decodesPodmanExecProcess() throws {
        let process = try OCIRuntimeSpec.Process.decode(fixture("podman-exec-process.json"))
        #expect(process.args == ["echo", "exec-ok"])
        #expect(process.env?.contains("container=podman") == true)
        #expect(process.terminal == nil)
    }

    /// Decoding and re-encoding keeps every field the types know: a second round is identical.
    @Test(arguments: ["podman-create-config.json", "containerd-create-config.json"])
    func roundTrips(name: String) throws {
        let spec = try Spec.decode(fixture(name))
        let encoded = try spec.encode()
        #expect(try Spec.decode(encoded) == spec)
        #expect(try Spec.decode(encoded).encode() == encoded)
    }
}
