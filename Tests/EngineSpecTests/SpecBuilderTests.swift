import ImageSpec
import OCIRuntimeSpec
import XCTest

@testable import EngineSpec

final class SpecBuilderTests: XCTestCase {
    func image(entrypoint: [String]? = nil, cmd: [String]? = ["sh"], env: [String]? = nil,
               workdir: String? = nil) -> ImageConfiguration {
        ImageConfiguration(architecture: "amd64", os: "linux",
                           config: ContainerConfig(env: env, entrypoint: entrypoint, cmd: cmd, workingDir: workdir),
                           rootfs: .init(diffIDs: []))
    }

    func resolved() -> ResolvedInputs {
        var inputs = ResolvedInputs(rootfsPath: "/var/lib/berth/c/abc/rootfs", defaultHostname: "abc123def456")
        inputs.cgroupsPath = "/berth/abc"
        inputs.hostsPath = "/run/berth/abc/hosts"
        inputs.hostnamePath = "/run/berth/abc/hostname"
        inputs.resolvConfPath = "/run/berth/abc/resolv.conf"
        return inputs
    }

    func build(_ image: ImageConfiguration? = nil, _ configure: (inout RunOptions) -> Void = { _ in },
               inputs: ResolvedInputs? = nil) throws -> Spec {
        var options = RunOptions()
        configure(&options)
        return try SpecBuilder.build(image: image ?? self.image(), options: options, resolved: inputs ?? resolved())
    }

    func testEntrypointAndCommandMerge() throws {
        // (image entrypoint, image cmd, --entrypoint, command) → args
        let table: [([String]?, [String]?, String?, [String], [String])] = [
            (nil, ["sh"], nil, [], ["sh"]),
            (nil, ["sh"], nil, ["echo", "hi"], ["echo", "hi"]),
            (["/entry"], ["a", "b"], nil, [], ["/entry", "a", "b"]),
            (["/entry"], ["a"], nil, ["x"], ["/entry", "x"]),
            (["/entry"], ["a"], "/other", [], ["/other"]),
            (["/entry"], ["a"], "/other", ["y"], ["/other", "y"]),
            (["/entry"], ["a"], "", ["ls"], ["ls"]),
        ]
        for (entrypoint, cmd, flag, command, args) in table {
            let spec = try build(image(entrypoint: entrypoint, cmd: cmd)) {
                $0.entrypoint = flag
                $0.command = command
            }
            XCTAssertEqual(spec.process?.args, args, "\(entrypoint ?? []) \(cmd ?? []) \(flag ?? "-") \(command)")
        }
        XCTAssertEqual(errorMessage { _ = try self.build(self.image(cmd: nil)) }, "no command specified")
        XCTAssertEqual(errorMessage { _ = try self.build(self.image(entrypoint: ["/e"]), { $0.entrypoint = "" }) },
                       "no command specified")
    }

    func testEnvironmentMerge() throws {
        var inputs = resolved()
        inputs.envFileContents = ["B=file\nC=file\nFROMHOST\n"]
        inputs.callerEnvironment = ["FROMHOST": "h", "ALSO": "a"]
        let spec = try build(image(env: ["PATH=/bin", "A=image", "B=image"]), {
            $0.tty = true
            $0.envFiles = ["env.list"]
            $0.env = ["C=flag", "ALSO", "MISSING", "D=flag"]
        }, inputs: inputs)
        XCTAssertEqual(spec.process?.env, [
            "PATH=/bin", "HOSTNAME=abc123def456", "TERM=xterm", "A=image", "B=file", "C=flag", "FROMHOST=h",
            "ALSO=a", "D=flag",
        ])
        let plain = try build(image(env: nil)) { $0.hostname = "web" }
        XCTAssertEqual(plain.process?.env, [SpecBuilder.defaultPath, "HOSTNAME=web"])
        XCTAssertEqual(plain.hostname, "web")
    }

    func testWorkdirAndUser() throws {
        XCTAssertEqual(try build().process?.cwd, "/")
        XCTAssertEqual(try build(image(workdir: "/srv")).process?.cwd, "/srv")
        XCTAssertEqual(try build(image(workdir: "/srv")) { $0.workdir = "/tmp" }.process?.cwd, "/tmp")
        XCTAssertEqual(errorMessage { _ = try self.build { $0.workdir = "tmp" } },
                       "the working directory 'tmp' is invalid, it needs to be an absolute path")
        var inputs = resolved()
        inputs.user = User(uid: 33, gid: 33, additionalGids: [10])
        XCTAssertEqual(try build(inputs: inputs).process?.user, User(uid: 33, gid: 33, additionalGids: [10]))
        XCTAssertEqual(SpecBuilder.userSpec(image: image(), options: RunOptions()), "")
    }

    func testCapabilities() throws {
        let defaults = try build().process?.capabilities
        XCTAssertEqual(defaults?.bounding, SpecBuilder.defaultCapabilities)
        XCTAssertEqual(defaults?.effective, SpecBuilder.defaultCapabilities)
        XCTAssertEqual(defaults?.permitted, SpecBuilder.defaultCapabilities)
        XCTAssertNil(defaults?.inheritable)
        XCTAssertNil(defaults?.ambient)

        let tweaked = try SpecBuilder.capabilitySet(add: ["sys_admin", "CAP_NET_ADMIN"], drop: ["chown", "CAP_KILL"], privileged: false)
        XCTAssertFalse(tweaked.contains("CAP_CHOWN"))
        XCTAssertFalse(tweaked.contains("CAP_KILL"))
        XCTAssertTrue(tweaked.contains("CAP_SYS_ADMIN"))
        XCTAssertTrue(tweaked.contains("CAP_NET_ADMIN"))
        XCTAssertEqual(tweaked.count, SpecBuilder.defaultCapabilities.count)

        XCTAssertEqual(try SpecBuilder.capabilitySet(add: ["net_bind_service"], drop: ["all"], privileged: false),
                       ["CAP_NET_BIND_SERVICE"])
        XCTAssertEqual(try SpecBuilder.capabilitySet(add: ["ALL"], drop: ["sys_admin"], privileged: false),
                       CapabilityName.all.filter { $0 != "CAP_SYS_ADMIN" })
        XCTAssertEqual(try SpecBuilder.capabilitySet(add: [], drop: [], privileged: true), CapabilityName.all)
        XCTAssertEqual(try SpecBuilder.capabilitySet(add: ["kill"], drop: [], privileged: false),
                       SpecBuilder.defaultCapabilities)
        XCTAssertEqual(errorMessage { _ = try self.build { $0.capAdd = ["foo"] } }, "unknown capability: \"CAP_FOO\"")
    }

    func testDefaultsAndPrivileged() throws {
        let spec = try build()
        XCTAssertEqual(spec.linux?.maskedPaths, SpecBuilder.maskedPaths)
        XCTAssertEqual(spec.linux?.readonlyPaths, SpecBuilder.readonlyPaths)
        XCTAssertEqual(spec.linux?.namespaces?.map(\.type), [.pid, .ipc, .uts, .mount, .network])
        XCTAssertEqual(spec.linux?.cgroupsPath, "/berth/abc")
        XCTAssertEqual(spec.linux?.resources?.devices?.first, DeviceRule(allow: false, access: "rwm"))
        XCTAssertNotNil(spec.linux?.seccomp)
        XCTAssertEqual(spec.process?.noNewPrivileges, false)
        XCTAssertEqual(spec.root, Root(path: "/var/lib/berth/c/abc/rootfs", readonly: false))
        XCTAssertEqual(spec.mounts?.first { $0.destination == "/sys" }?.options?.last, "ro")

        let privileged = try build { $0.privileged = true }
        XCTAssertEqual(privileged.process?.capabilities?.bounding, CapabilityName.all)
        XCTAssertNil(privileged.linux?.maskedPaths)
        XCTAssertNil(privileged.linux?.readonlyPaths)
        XCTAssertNil(privileged.linux?.seccomp)
        XCTAssertEqual(privileged.linux?.resources?.devices, [DeviceRule(allow: true, access: "rwm")])
        XCTAssertEqual(privileged.mounts?.first { $0.destination == "/sys" }?.options, ["nosuid", "noexec", "nodev"])
        XCTAssertFalse(privileged.mounts?.first { $0.destination == "/sys/fs/cgroup" }?.options?.contains("ro") ?? true)

        let host = try build { $0.network = "host" }
        XCTAssertEqual(host.linux?.namespaces?.map(\.type), [.pid, .ipc, .uts, .mount])
    }

    func testReadOnlyLabelsSecurity() throws {
        let spec = try build {
            $0.readOnly = true
            $0.labels = ["a=1", "b"]
            $0.securityOpts = ["no-new-privileges", "seccomp=unconfined"]
        }
        XCTAssertEqual(spec.root?.readonly, true)
        XCTAssertEqual(spec.annotations, ["a": "1", "b": ""])
        XCTAssertEqual(spec.process?.noNewPrivileges, true)
        XCTAssertNil(spec.linux?.seccomp)
        XCTAssertEqual(spec.mounts?.first { $0.destination == "/etc/hosts" }?.options, ["rbind", "rprivate", "ro"])

        var inputs = resolved()
        inputs.seccompProfile = Array(#"{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mount"],"action":"SCMP_ACT_ERRNO"}]}"#.utf8)
        let custom = try build(nil, { $0.securityOpts = ["seccomp=/p.json"]; $0.privileged = true }, inputs: inputs)
        XCTAssertEqual(custom.linux?.seccomp?.defaultAction, "SCMP_ACT_ALLOW")
        XCTAssertEqual(custom.linux?.seccomp?.syscalls?.first?.names, ["mount"])
        inputs.seccompProfile = Array("{".utf8)
        XCTAssertNotNil(errorMessage { _ = try self.build(nil, { $0.securityOpts = ["seccomp=/p.json"] }, inputs: inputs) }?
            .hasPrefix("seccomp profile /p.json: "))
    }

    func testDefaultSeccompProfileDecodes() {
        let profile = DefaultSeccompProfile.profile
        XCTAssertEqual(profile.defaultAction, "SCMP_ACT_ERRNO")
        XCTAssertEqual(profile.defaultErrnoRet, 38)
        XCTAssertEqual(profile.architectures?.first, "SCMP_ARCH_X86_64")
        let allowed = profile.syscalls?.filter { $0.action == "SCMP_ACT_ALLOW" }.flatMap(\.names) ?? []
        XCTAssertGreaterThan(allowed.count, 300)
        for name in ["read", "write", "execve", "clone", "openat", "exit_group"] {
            XCTAssertTrue(allowed.contains(name), name)
        }
        XCTAssertTrue(profile.syscalls?.contains { $0.args?.isEmpty == false } ?? false)
    }

    func testResourcesAndRlimits() throws {
        let spec = try build {
            $0.memory = "512m"
            $0.cpus = "1.5"
            $0.cpuShares = 512
            $0.cpusetCpus = "0-1"
            $0.pidsLimit = 100
            $0.ulimits = ["nofile=100:200", "nproc=50"]
        }
        let resources = spec.linux?.resources
        XCTAssertEqual(resources?.memory?.limit, 512 << 20)
        XCTAssertEqual(resources?.memory?.swap, 1024 << 20)
        XCTAssertEqual(resources?.cpu, CPUResources(shares: 512, quota: 150_000, period: 100_000, cpus: "0-1"))
        XCTAssertEqual(resources?.pids, PidsResources(limit: 100))
        XCTAssertEqual(spec.process?.rlimits, [RLimit(type: "RLIMIT_NOFILE", hard: 200, soft: 100),
                                               RLimit(type: "RLIMIT_NPROC", hard: 50, soft: 50)])
        XCTAssertEqual(try build().process?.rlimits, [RLimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 1024)])
        var inputs = resolved()
        inputs.raiseNofileLimit = true
        XCTAssertEqual(try build(inputs: inputs).process?.rlimits, [RLimit(type: "RLIMIT_NOFILE", hard: 1_048_576, soft: 1_048_576)])
        XCTAssertEqual(try build { $0.memory = "1g"; $0.memorySwap = "-1" }.linux?.resources?.memory?.swap, -1)
        XCTAssertEqual(try build { $0.memory = "1g"; $0.memorySwap = "3g" }.linux?.resources?.memory?.swap, 3 << 30)

        XCTAssertEqual(errorMessage { _ = try self.build { $0.memory = "12q" } },
                       "invalid argument \"12q\" for \"-m, --memory\" flag: invalid size: '12q'")
        XCTAssertEqual(errorMessage { _ = try self.build { $0.memory = "1m" } }, "minimum memory limit allowed is 6mb")
        XCTAssertEqual(errorMessage { _ = try self.build { $0.memory = "1g"; $0.memorySwap = "512m" } },
                       "minimum memoryswap limit should be larger than memory limit, see usage")
        XCTAssertEqual(errorMessage { _ = try self.build { $0.memorySwap = "1g" } },
                       "you should always set the memory limit when using memoryswap limit, see usage")
        XCTAssertEqual(errorMessage { _ = try self.build { $0.cpus = "-1" } },
                       "invalid argument \"-1\" for \"--cpus\" flag: cpus must be a positive number")
    }

    func testMountOrder() throws {
        var inputs = resolved()
        inputs.volumePaths = ["data": "/var/lib/berth/volumes/data/_data", "/anon": "/var/lib/berth/volumes/x/_data"]
        inputs.initPath = "/usr/libexec/berth/init"
        let spec = try build(nil, {
            $0.initProcess = true
            $0.volumes = ["/host/a/b:/mnt/a/b:ro", "data:/mnt", "/anon"]
            $0.mounts = ["type=tmpfs,target=/dev/shm,tmpfs-size=128m"]
            $0.tmpfs = ["/run:size=64m"]
        }, inputs: inputs)
        XCTAssertEqual(spec.mounts?.map(\.destination), [
            "/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue",
            "/etc/resolv.conf", "/etc/hostname", "/etc/hosts", "/sbin/init-berth",
            "/mnt", "/anon", "/run", "/dev/shm", "/mnt/a/b",
        ])
        let byDestination = Dictionary(uniqueKeysWithValues: (spec.mounts ?? []).map { ($0.destination, $0) })
        XCTAssertEqual(byDestination["/mnt/a/b"], Mount(destination: "/mnt/a/b", type: "bind", source: "/host/a/b", options: ["rbind", "ro", "rprivate"]))
        XCTAssertEqual(byDestination["/mnt"]?.source, "/var/lib/berth/volumes/data/_data")
        XCTAssertEqual(byDestination["/anon"]?.source, "/var/lib/berth/volumes/x/_data")
        XCTAssertEqual(byDestination["/dev/shm"]?.options, ["nosuid", "nodev", "size=134217728", "rw"])
        XCTAssertEqual(byDestination["/run"]?.options, ["noexec", "nosuid", "nodev", "size=64m", "rw"])
        XCTAssertEqual(byDestination["/sbin/init-berth"]?.source, "/usr/libexec/berth/init")
        XCTAssertEqual(spec.process?.args, ["/sbin/init-berth", "--", "sh"])

        XCTAssertEqual(errorMessage { _ = try self.build { $0.volumes = ["/a:/x", "/b:/x"] } }, "duplicate mount point: /x")
        XCTAssertEqual(errorMessage { _ = try self.build { $0.volumes = ["/host:"] } },
                       "invalid spec: /host:: empty section between colons")
    }

    func testBusyboxSpecRoundTripsAndValidates() throws {
        let busybox = ImageConfiguration(
            architecture: "amd64", os: "linux",
            config: ContainerConfig(env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"], cmd: ["sh"]),
            rootfs: .init(diffIDs: []))
        var inputs = resolved()
        inputs.volumePaths = ["data": "/var/lib/berth/volumes/data/_data"]
        let spec = try build(busybox, {
            $0.tty = true
            $0.interactive = true
            $0.env = ["A=1"]
            $0.memory = "64m"
            $0.cpus = "0.5"
            $0.pidsLimit = 64
            $0.ulimits = ["nofile=512:1024"]
            $0.volumes = ["data:/data", "/tmp:/host-tmp:ro"]
            $0.labels = ["app=demo"]
            $0.capDrop = ["NET_RAW"]
            $0.securityOpts = ["no-new-privileges"]
            $0.command = ["echo", "hello"]
        }, inputs: inputs)
        let bytes = try spec.encode()
        let decoded = try Spec.decode(bytes)
        XCTAssertEqual(decoded, spec)
        XCTAssertNoThrow(try decoded.validate())
        XCTAssertNoThrow(try build { $0.privileged = true; $0.network = "host" }.validate())
    }
}
