import Diagnostics
import OCIRuntimeSpec
import Testing

/// One broken config: a change to a valid spec and the exact error it must give.
struct ValidationCase: Sendable, CustomTestStringConvertible {
    let message: String
    let change: @Sendable (inout Spec) -> Void

    init(_ message: String, _ change: @escaping @Sendable (inout Spec) -> Void) {
        self.message = message
        self.change = change
    }

    var testDescription: String { message }
}

private func namespaces(_ types: NamespaceType...) -> [Namespace] { types.map { Namespace(type: $0) } }

@Suite struct ValidationTests {
    static let cases: [ValidationCase] = [
        .init("config.json: ociVersion: missing") { $0.ociVersion = "" },
        .init(#"config.json: ociVersion: unsupported version "2.0.0", want 1.x"#) { $0.ociVersion = "2.0.0" },
        .init(#"config.json: ociVersion: unsupported version "10.1", want 1.x"#) { $0.ociVersion = "10.1" },
        .init("config.json: root: missing") { $0.root = nil },
        .init("config.json: root.path: must not be empty") { $0.root?.path = "" },
        .init("config.json: process: missing") { $0.process = nil },
        .init("config.json: process.args: must not be empty") { $0.process?.args = [] },
        .init("config.json: process.args: must not be empty") { $0.process?.args = nil },
        .init(#"config.json: process.cwd: "tmp" is not an absolute path"#) { $0.process?.cwd = "tmp" },
        .init(#"config.json: process.cwd: "" is not an absolute path"#) { $0.process?.cwd = "" },
        .init(#"config.json: process.rlimits[1].type: unknown rlimit "RLIMIT_FOO""#) {
            $0.process?.rlimits?.append(RLimit(type: "RLIMIT_FOO", hard: 1, soft: 1))
        },
        .init(#"config.json: process.rlimits[1].type: duplicate rlimit "RLIMIT_NOFILE""#) {
            $0.process?.rlimits?.append(RLimit(type: "RLIMIT_NOFILE", hard: 1, soft: 1))
        },
        .init("config.json: process.rlimits[0]: soft limit 2048 is above the hard limit 1024") {
            $0.process?.rlimits = [RLimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 2048)]
        },
        .init(#"config.json: process.capabilities.bounding[3]: unknown capability "CAP_FOO""#) {
            $0.process?.capabilities?.bounding?.append("CAP_FOO")
        },
        .init(#"config.json: process.capabilities.inheritable[0]: unknown capability "cap_kill""#) {
            $0.process?.capabilities?.inheritable = ["cap_kill"]
        },
        .init(#"config.json: process.capabilities.ambient[0]: unknown capability "CAP_CHECKPOINT_RESTORE2""#) {
            $0.process?.capabilities?.ambient = ["CAP_CHECKPOINT_RESTORE2"]
        },
        .init("config.json: mounts[2].destination: must not be empty") { $0.mounts?[2].destination = "" },
        .init(#"config.json: linux.namespaces[5].type: duplicate namespace "pid""#) {
            $0.linux?.namespaces?.append(Namespace(type: .pid, path: "/proc/1/ns/pid"))
        },
        .init("config.json: linux.namespaces: a mount namespace is required") {
            $0.linux?.namespaces = namespaces(.pid, .uts)
        },
        .init("config.json: linux.namespaces: a mount namespace is required") { $0.linux = nil },
        .init("config.json: linux.uidMappings: given without a user namespace") {
            $0.linux?.uidMappings = [IDMapping(containerID: 0, hostID: 1000, size: 1)]
        },
        .init("config.json: linux.gidMappings: given without a user namespace") {
            $0.linux?.gidMappings = [IDMapping(containerID: 0, hostID: 1000, size: 1)]
        },
        .init("config.json: linux.uidMappings: missing, a new user namespace needs them") {
            $0.linux?.namespaces?.append(Namespace(type: .user))
        },
        .init("config.json: linux.gidMappings: missing, a new user namespace needs them") {
            $0.linux?.namespaces?.append(Namespace(type: .user))
            $0.linux?.uidMappings = [IDMapping(containerID: 0, hostID: 1000, size: 1)]
        },
        .init("config.json: linux.timeOffsets: given without a time namespace") {
            $0.linux?.timeOffsets = ["monotonic": TimeOffset(secs: 1)]
        },
        .init(#"config.json: linux.timeOffsets.realtime: unknown clock, want "monotonic" or "boottime""#) {
            $0.linux?.namespaces?.append(Namespace(type: .time))
            $0.linux?.timeOffsets = ["boottime": TimeOffset(secs: 1), "realtime": TimeOffset(secs: 1)]
        },
        .init("config.json: hostname: needs a uts namespace") {
            $0.linux?.namespaces = namespaces(.pid, .mount)
        },
        .init("config.json: domainname: needs a uts namespace") {
            $0.hostname = nil
            $0.domainname = "example.org"
            $0.linux?.namespaces = namespaces(.mount)
        },
        .init(#"config.json: linux.rootfsPropagation: unknown propagation "recursive", want one of shared, slave, private, unbindable, rshared, rslave, rprivate, runbindable"#) {
            $0.linux?.rootfsPropagation = "recursive"
        },
        .init(#"config.json: linux.devices[0].type: unknown device type "x", want c, b, u or p"#) {
            $0.linux?.devices = [Device(type: "x", path: "/dev/x", major: 1, minor: 1)]
        },
        .init(#"config.json: linux.devices[1]: type "c" needs major and minor"#) {
            $0.linux?.devices = [Device(type: "p", path: "/dev/fifo"), Device(type: "c", path: "/dev/null", major: 1)]
        },
        .init(#"config.json: linux.devices[0]: type "b" needs major and minor"#) {
            $0.linux?.devices = [Device(type: "b", path: "/dev/sda", minor: 0)]
        },
        .init("config.json: linux.devices[0].path: must not be empty") {
            $0.linux?.devices = [Device(type: "u", path: "", major: 1, minor: 3)]
        },
        .init(#"config.json: linux.sysctl["kernel.shmmax"]: needs an ipc namespace"#) {
            $0.linux?.namespaces = namespaces(.mount, .uts, .network)
            $0.linux?.sysctl = ["kernel.shmmax": "1"]
        },
        .init(#"config.json: linux.sysctl["fs.mqueue.msg_max"]: needs an ipc namespace"#) {
            $0.linux?.namespaces = namespaces(.mount, .uts)
            $0.linux?.sysctl = ["fs.mqueue.msg_max": "10"]
        },
        .init(#"config.json: linux.sysctl["kernel.msgmax"]: needs an ipc namespace"#) {
            $0.linux?.namespaces = namespaces(.mount, .uts)
            $0.linux?.sysctl = ["kernel.msgmax": "10"]
        },
        .init(#"config.json: linux.sysctl["kernel.sem"]: needs an ipc namespace"#) {
            $0.linux?.namespaces = namespaces(.mount, .uts)
            $0.linux?.sysctl = ["kernel.sem": "1 2 3 4"]
        },
        .init(#"config.json: linux.sysctl["net.ipv4.ip_forward"]: needs a network namespace"#) {
            $0.linux?.namespaces = namespaces(.mount, .uts, .ipc)
            $0.linux?.sysctl = ["net.ipv4.ip_forward": "1", "kernel.shmmni": "1"]
        },
        .init(#"config.json: linux.sysctl["kernel.domainname"]: needs a uts namespace"#) {
            $0.hostname = nil
            $0.linux?.namespaces = namespaces(.mount)
            $0.linux?.sysctl = ["kernel.domainname": "example.org"]
        },
        .init(#"config.json: linux.sysctl["kernel.hostname"]: needs a uts namespace"#) {
            $0.hostname = nil
            $0.linux?.namespaces = namespaces(.mount)
            $0.linux?.sysctl = ["kernel.hostname": "h"]
        },
        .init(#"config.json: linux.sysctl["vm.overcommit_memory"]: not in a namespace of the container's own"#) {
            $0.linux?.sysctl = ["vm.overcommit_memory": "1"]
        },
        .init(#"config.json: linux.sysctl["kernel.pid_max"]: not in a namespace of the container's own"#) {
            $0.linux?.sysctl = ["kernel.pid_max": "100"]
        },
    ]

    @Test(arguments: cases)
    func rejects(_ broken: ValidationCase) {
        var spec = Spec.runcDefault(rootless: false)
        broken.change(&spec)
        #expect(throws: BerthError(.invalidArgument, broken.message)) { try spec.validate() }
    }

    @Test func refusesNetSysctlsInTheHostNetworkNamespace() throws {
        var spec = Spec.runcDefault(rootless: false)
        spec.linux?.namespaces = [Namespace(type: .mount), Namespace(type: .uts), Namespace(type: .network, path: "/proc/1/ns/net")]
        spec.linux?.sysctl = ["net.core.somaxconn": "1024"]
        try spec.validate()
        #expect(throws: BerthError(.invalidArgument,
                                   #"config.json: linux.sysctl["net.core.somaxconn"]: not allowed in the host's network namespace /proc/1/ns/net"#)) {
            try spec.validate(isHostNetworkNamespace: { $0 == "/proc/1/ns/net" })
        }
    }

    @Test func acceptsWhatRuncAccepts() throws {
        var spec = Spec.runcDefault(rootless: false)
        spec.mounts?.append(Mount(destination: "relative/dir", type: "tmpfs", source: "tmpfs"))
        spec.linux?.rootfsPropagation = "rslave"
        spec.linux?.namespaces?.append(contentsOf: [Namespace(type: .time), Namespace(type: .user, path: "/proc/1/ns/user")])
        spec.linux?.timeOffsets = ["monotonic": TimeOffset(secs: 5), "boottime": TimeOffset(nanosecs: 1)]
        spec.linux?.uidMappings = [IDMapping(containerID: 0, hostID: 1000, size: 1)]
        spec.linux?.gidMappings = [IDMapping(containerID: 0, hostID: 1000, size: 1)]
        spec.linux?.devices = [Device(type: "p", path: "/dev/fifo"), Device(type: "c", path: "/dev/null", major: 1, minor: 3)]
        spec.linux?.sysctl = [
            "kernel.shmmax": "1", "kernel.msgmnb": "1", "fs.mqueue.queues_max": "1", "net.ipv4.ip_forward": "1",
            "kernel.domainname": "example.org", "kernel.hostname": "h",
        ]
        spec.process?.capabilities?.bounding = CapabilityName.all
        spec.process?.rlimits = RLimitName.all.map { RLimit(type: $0, hard: 10, soft: 10) }
        try spec.validate()
        // Joining a user namespace needs no mappings.
        spec.linux?.uidMappings = nil
        spec.linux?.gidMappings = nil
        try spec.validate()
    }

    @Test func processRulesOnlyApplyForCreate() throws {
        var spec = Spec.runcDefault(rootless: false)
        spec.process = nil
        try spec.validate(forCreate: false)
        spec.process = OCIRuntimeSpec.Process(args: [], cwd: "relative")
        try spec.validate(forCreate: false)
        spec.process?.rlimits = [RLimit(type: "RLIMIT_NOPE", hard: 1, soft: 1)]
        #expect(throws: BerthError(.invalidArgument, #"config.json: process.rlimits[0].type: unknown rlimit "RLIMIT_NOPE""#)) {
            try spec.validate(forCreate: false)
        }
    }

    @Test func capabilityAndRLimitNumbers() {
        #expect(CapabilityName.all.count == 41)
        #expect(CapabilityName.number("CAP_CHOWN") == 0)
        #expect(CapabilityName.number("CAP_KILL") == 5)
        #expect(CapabilityName.number("CAP_SYS_ADMIN") == 21)
        #expect(CapabilityName.number("CAP_CHECKPOINT_RESTORE") == 40)
        #expect(CapabilityName.number("CAP_NOPE") == nil)
        #expect(RLimitName.number("RLIMIT_CPU") == 0)
        #expect(RLimitName.number("RLIMIT_NOFILE") == 7)
        #expect(RLimitName.number("RLIMIT_RTTIME") == 15)
        #expect(RLimitName.number("RLIMIT_NOPE") == nil)
    }
}
