import Foundation
import LiteJSON
import OCIRuntimeSpec
import Testing

@Suite struct DefaultSpecTests {
    /// `runc spec` output recorded from runc 1.1.5 (as root, so rootless maps to uid/gid 0),
    /// with runc's `ociVersion` replaced by ours.
    private func recorded(_ name: String) throws -> String {
        String(decoding: try fixture(name), as: UTF8.self)
            .replacingOccurrences(of: "\"1.0.2-dev\"", with: "\"\(Spec.version)\"")
    }

    @Test(arguments: [(false, "runc-spec-config.json"), (true, "runc-spec-rootless-config.json")])
    func matchesRuncSpecByteForByte(rootless: Bool, fixtureName: String) throws {
        let spec = Spec.runcDefault(rootless: rootless)
        // runc writes json.MarshalIndent(spec, "", "\t") with no trailing newline.
        let text = String(decoding: try spec.encode(pretty: true, indent: "\t"), as: UTF8.self)
        #expect(text == (try recorded(fixtureName)))
    }

    @Test(arguments: [false, true])
    func roundTripsAndValidates(rootless: Bool) throws {
        let spec = Spec.runcDefault(rootless: rootless)
        try spec.validate()
        #expect(try Spec.decode(spec.encode()) == spec)
        #expect(try Spec.decode(spec.encode(pretty: false)) == spec)
    }

    @Test func rootlessMapsTheCaller() throws {
        let spec = Spec.runcDefault(rootless: true, hostUID: 1000, hostGID: 100)
        #expect(spec.linux?.uidMappings == [IDMapping(containerID: 0, hostID: 1000, size: 1)])
        #expect(spec.linux?.gidMappings == [IDMapping(containerID: 0, hostID: 100, size: 1)])
        #expect(spec.linux?.namespaces?.map(\.type) == [.pid, .ipc, .uts, .mount, .user])
        #expect(spec.linux?.resources == nil)
        try spec.validate()
    }

    /// Runs the installed runc, when there is one, to catch a runc upgrade changing its output.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/runc"), "needs runc"))
    func matchesInstalledRunc() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("berth-spec-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let runc = Foundation.Process()
        runc.executableURL = URL(fileURLWithPath: "/usr/sbin/runc")
        runc.arguments = ["spec"]
        runc.currentDirectoryURL = directory
        try runc.run()
        runc.waitUntilExit()
        let produced = try Spec.decode(Array(Data(contentsOf: directory.appendingPathComponent("config.json"))))
        var ours = Spec.runcDefault(rootless: false)
        ours.ociVersion = produced.ociVersion
        #expect(ours == produced)
    }
}

@Suite struct FeaturesTests {
    @Test func berthFeatures() throws {
        let features = Features.berth()
        #expect(features.ociVersionMin == "1.0.0")
        #expect(features.ociVersionMax == Spec.version)
        #expect(features.hooks?.count == 6)
        #expect(features.mountOptions?.contains("rbind") == true)
        #expect(features.mountOptions == features.mountOptions?.sorted())
        #expect(features.linux?.namespaces == ["cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"])
        #expect(features.linux?.capabilities == CapabilityName.all)
        #expect(features.linux?.cgroup == CgroupFeatures(v1: true, v2: true, systemd: false, rdma: true))
        #expect(features.linux?.intelRdt?.enabled == false)
        #expect(features.mountOptions?.contains("noacl") == true)
        #expect(features.linux?.seccomp?.enabled == false)
        #expect(features.linux?.apparmor?.enabled == false)
        let json = String(decoding: try LiteJSONEncoder(pretty: true).encode(features), as: UTF8.self)
        #expect(json.hasPrefix("{\n  \"ociVersionMin\": \"1.0.0\",\n  \"ociVersionMax\": \"\(Spec.version)\",\n  \"hooks\": [\n"))
        #expect(json.contains("\"cgroup\": {\n      \"v1\": true,\n      \"v2\": true,\n      \"systemd\": false,\n      \"rdma\": true\n    }"))
        #expect(!json.contains("null"))
    }

    /// Our type reads runc's own `features` output, so clients comparing runtimes can use it.
    @Test func decodesRuncFeatures() throws {
        let features = try LiteJSONDecoder().decode(Features.self, from: fixture("runc-features.json"))
        #expect(features.ociVersionMax == "1.0.2-dev")
        #expect(features.linux?.cgroup?.systemdUser == true)
        #expect(features.linux?.seccomp?.actions?.contains("SCMP_ACT_ERRNO") == true)
        #expect(features.linux?.capabilities == CapabilityName.all)
        #expect(features.annotations?["org.opencontainers.runc.version"] == "1.1.5+ds1")
    }
}
