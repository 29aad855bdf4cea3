import Cgroups
import Diagnostics
import LinuxSyscalls
import OCIRuntimeSpec
import Testing

@testable import RootFilesystem

/// The mounts and Linux paths of `/work/shared/clients/examples/podman-create-config.json`.
enum Examples {
    static let podmanMounts: [Mount] = [
        Mount(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
        Mount(destination: "/dev", type: "tmpfs", source: "tmpfs",
              options: ["nosuid", "noexec", "strictatime", "mode=755", "size=65536k"]),
        Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]),
        Mount(destination: "/dev/pts", type: "devpts", source: "devpts",
              options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
        Mount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
        Mount(destination: "/etc/hosts", type: "bind", source: "/u/hosts", options: ["bind", "rprivate"]),
        Mount(destination: "/dev/shm", type: "bind", source: "/u/shm",
              options: ["bind", "rprivate", "nosuid", "noexec", "nodev"]),
        Mount(destination: "/run/.containerenv", type: "bind", source: "/u/.containerenv", options: ["bind", "rprivate"]),
        Mount(destination: "/etc/hostname", type: "bind", source: "/u/hostname", options: ["bind", "rprivate"]),
        Mount(destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
              options: ["rprivate", "nosuid", "noexec", "nodev", "relatime", "ro"]),
    ]
    static let podmanMasked = ["/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                               "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
                               "/sys/fs/selinux", "/sys/dev/block"]
    static let podmanReadonly = ["/proc/asound", "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]

    /// `containerd-create-config.json`.
    static let containerdMounts: [Mount] = [
        Mount(destination: "/proc", type: "proc", source: "proc", options: ["nosuid", "noexec", "nodev"]),
        Mount(destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
        Mount(destination: "/dev/pts", type: "devpts", source: "devpts",
              options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
        Mount(destination: "/dev/shm", type: "tmpfs", source: "shm", options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
        Mount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue", options: ["nosuid", "noexec", "nodev"]),
        Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"]),
        Mount(destination: "/run", type: "tmpfs", source: "tmpfs", options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
    ]

    static func spec(_ mounts: [Mount], namespaces: [NamespaceType] = [.pid, .network, .ipc, .uts, .mount],
                     masked: [String] = [], readonly: [String] = []) -> Spec {
        var linux = Linux(namespaces: namespaces.map { Namespace(type: $0) })
        linux.maskedPaths = masked
        linux.readonlyPaths = readonly
        return Spec(root: Root(path: "rootfs"), mounts: mounts, linux: linux)
    }

    static let v1Cgroups = [
        CgroupMountSource(name: "memory", hostPath: "/sys/fs/cgroup/memory/berth/c1", fsType: "cgroup", options: "memory"),
        CgroupMountSource(name: "cpu,cpuacct", hostPath: "/sys/fs/cgroup/cpu,cpuacct/berth/c1", fsType: "cgroup",
                          options: "cpu,cpuacct"),
        CgroupMountSource(name: "systemd", hostPath: "/sys/fs/cgroup/systemd/berth/c1", fsType: "cgroup",
                          options: "name=systemd"),
        CgroupMountSource(name: "unified", hostPath: "/sys/fs/cgroup/unified/berth/c1", fsType: "cgroup2", options: ""),
    ]
}

@Suite struct MountPlanTests {
    func operations(_ plan: MountPlan) -> [MountOperation] {
        plan.steps.compactMap { if case .mount(let operation) = $0 { operation } else { nil } }
    }

    @Test func podmanConfig() throws {
        let spec = Examples.spec(Examples.podmanMounts, masked: Examples.podmanMasked, readonly: Examples.podmanReadonly)
        let plan = try MountPlan(RootfsConfig(rootfs: "/r", spec: spec, cgroupMounts: Examples.v1Cgroups))
        #expect(plan.rootPropagation == [.slave, .recursive])
        #expect(!plan.privatizeRootfsParent)
        #expect(plan.setsUpDev)
        #expect(plan.mountsProc)
        let ops = operations(plan)

        let proc = try #require(ops.first)
        #expect(proc == MountOperation(source: "proc", destination: "/proc", fsType: "proc",
                                       flags: [.noSetUID, .noExec, .noDevices], target: .directoryNoFollow))
        let dev = ops[1]
        #expect(dev.fsType == "tmpfs" && dev.destination == "/dev")
        #expect(dev.flags == [.noSetUID, .noExec, .strictAccessTime])
        #expect(dev.data == "mode=755,size=65536k")
        #expect(!dev.keepsDirectoryMode)
        let sys = ops[2]
        #expect(sys.flags == [.noSetUID, .noExec, .noDevices, .readOnly] && sys.target == .directoryNoFollow)
        #expect(sys.fallback.isEmpty)
        #expect(ops[3].data == "newinstance,ptmxmode=0666,mode=0620,gid=5")

        let hosts = ops[5]
        #expect(hosts == MountOperation(source: "/u/hosts", destination: "/etc/hosts", fsType: nil, flags: .bind,
                                        target: .likeSource, propagation: [[.private, .recursive]]))
        let shm = ops[6]
        #expect(shm.flags == .bind)
        #expect(shm.bindRemount == [.bind, .remount, .noSetUID, .noExec, .noDevices])
        #expect(shm.propagation == [[.private, .recursive]])

        // cgroup v1: tmpfs, one bind per hierarchy, links for cpu,cpuacct, read-only remount.
        let cgroupSteps = Array(plan.steps.drop { step in
            if case .mount(let op) = step { return op.destination != "/sys/fs/cgroup" } else { return true }
        })
        guard case .mount(let tmpfs) = cgroupSteps[0] else { Issue.record("no cgroup tmpfs"); return }
        #expect(tmpfs.fsType == "tmpfs" && tmpfs.data == "mode=755" && tmpfs.flags == [.noSetUID, .noDevices, .noExec])
        guard case .mount(let memory) = cgroupSteps[1] else { Issue.record("no memory bind"); return }
        #expect(memory.source == "/sys/fs/cgroup/memory/berth/c1" && memory.destination == "/sys/fs/cgroup/memory")
        #expect(memory.flags == [.bind, .recursive] && memory.target == .directory)
        #expect(memory.bindRemount == [.bind, .remount, .noSetUID, .noExec, .noDevices, .relativeAccessTime, .readOnly])
        #expect(cgroupSteps.contains(.symlink(target: "cpu,cpuacct", path: "/sys/fs/cgroup/cpu")))
        #expect(cgroupSteps.contains(.symlink(target: "cpu,cpuacct", path: "/sys/fs/cgroup/cpuacct")))
        #expect(cgroupSteps.last == .remount(destination: "/sys/fs/cgroup",
                                             flags: [.bind, .remount, .readOnly, .noSetUID, .noDevices, .noExec]))

        #expect(plan.devices.map(\.path) == ["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"])
        #expect(plan.finalization.maskedPaths == Examples.podmanMasked)
        #expect(plan.finalization.readonlyPaths == Examples.podmanReadonly)
        #expect(plan.finalization.readOnlyRemounts.isEmpty)
        #expect(plan.finalization.rootPropagation == nil)
        #expect(!plan.finalization.readOnlyRoot)
    }

    @Test func containerdConfig() throws {
        let plan = try MountPlan(RootfsConfig(rootfs: "/r", spec: Examples.spec(Examples.containerdMounts)))
        let ops = operations(plan)
        #expect(ops.map(\.destination) == ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/run"])
        #expect(ops.map { $0.fsType ?? "bind" } == ["proc", "tmpfs", "devpts", "tmpfs", "mqueue", "sysfs", "tmpfs"])
        #expect(ops[3].source == "shm" && ops[3].data == "mode=1777,size=65536k")
        #expect(ops.allSatisfy { $0.bindRemount == nil && $0.propagation.isEmpty })
        #expect(plan.setsUpDev)
    }

    @Test func tmpfsWithoutModeKeepsTheDirectoryMode() throws {
        let spec = Examples.spec([Mount(destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["size=1m"])])
        let plan = try MountPlan(RootfsConfig(rootfs: "/r", spec: spec))
        #expect(operations(plan).first?.keepsDirectoryMode == true)
    }

    @Test func readOnlyTmpfsIsRemountedAfterPivot() throws {
        var spec = Examples.spec([
            Mount(destination: "/dev", type: "tmpfs", source: "tmpfs", options: ["nosuid", "ro", "mode=755"]),
            Mount(destination: "/data", type: "tmpfs", source: "tmpfs", options: ["ro"]),
            Mount(destination: "/proc", type: "proc", source: "proc", options: ["ro"]),
        ])
        spec.root?.readonly = true
        let plan = try MountPlan(RootfsConfig(rootfs: "/r", spec: spec))
        let ops = operations(plan)
        #expect(!ops[0].flags.contains(.readOnly) && !ops[1].flags.contains(.readOnly))
        #expect(ops[2].flags == .readOnly)
        #expect(plan.finalization.readOnlyRemounts == [
            .init(destination: "/dev", flags: [.noSetUID, .readOnly, .remount]),
            .init(destination: "/data", flags: [.readOnly, .remount]),
        ])
        #expect(plan.finalization.readOnlyRoot)
    }

    @Test func bindOfHostDevSkipsDeviceSetup() throws {
        let spec = Examples.spec([Mount(destination: "/dev", type: "bind", source: "/dev", options: ["rbind"])])
        let plan = try MountPlan(RootfsConfig(rootfs: "/r", spec: spec))
        #expect(!plan.setsUpDev)
        #expect(plan.devices.isEmpty)
        #expect(operations(plan).first?.flags == [.bind, .recursive])
    }

    @Test(arguments: [
        ("rslave", false), ("rprivate", false), ("rshared", true), ("shared", true), ("private", true),
    ])
    func rootfsPropagation(_ name: String, _ privatizes: Bool) throws {
        let flags = try MountOptions.propagation(name)
        var spec = Examples.spec([])
        spec.linux?.rootfsPropagation = name
        let plan = try MountPlan(RootfsConfig(rootfs: "/r", spec: spec))
        #expect(plan.rootPropagation == flags)
        #expect(plan.finalization.rootPropagation == flags)
        #expect(plan.privatizeRootfsParent == privatizes)
    }

    @Test func destinationsAreNormalized() throws {
        let spec = Examples.spec([Mount(destination: "/a/../../b//c/", type: "tmpfs", source: "tmpfs", options: ["mode=1777"]),
                                  Mount(destination: "relative/x", type: "tmpfs", source: "tmpfs", options: ["mode=1777"])])
        let plan = try MountPlan(RootfsConfig(rootfs: "/r", spec: spec))
        #expect(operations(plan).map(\.destination) == ["/b/c", "/relative/x"])
    }

    @Test(arguments: [
        Mount(destination: "/proc", type: "tmpfs", source: "tmpfs"),
        Mount(destination: "/proc", type: "bind", source: "/etc", options: ["bind"]),
        Mount(destination: "/proc/self", type: "bind", source: "/etc", options: ["bind"]),
        Mount(destination: "/proc/../proc/sys", type: "tmpfs", source: "tmpfs"),
    ])
    func mountsOverProcAreRefused(_ mount: Mount) {
        expectError("/proc") { _ = try MountPlan(RootfsConfig(rootfs: "/r", spec: Examples.spec([mount]))) }
    }

    @Test func lxcfsFilesMayBeBoundInsideProc() throws {
        let spec = Examples.spec([Mount(destination: "/proc/meminfo", type: "bind", source: "/var/lib/lxcfs/proc/meminfo",
                                        options: ["bind"])])
        let plan = try MountPlan(RootfsConfig(rootfs: "/r", spec: spec))
        #expect(operations(plan).first?.target == .likeSource)
    }

    @Test func unsupportedOptionNamesTheMount() {
        let spec = Examples.spec([Mount(destination: "/tmp", type: "tmpfs", source: "tmpfs", options: ["rro"])])
        expectError("mount /tmp: unsupported mount option \"rro\"") {
            _ = try MountPlan(RootfsConfig(rootfs: "/r", spec: spec))
        }
    }

    /// podman's --read-only: tmpfs mounts that start with a copy of what they cover.
    @Test func tmpcopyupMarksTheTmpfsOperation() throws {
        let spec = Examples.spec([Mount(destination: "/run", type: "tmpfs", source: "tmpfs",
                                        options: ["rw", "rprivate", "nosuid", "nodev", "tmpcopyup"])])
        let plan = try MountPlan(RootfsConfig(rootfs: "/r", spec: spec))
        let run = operations(plan).first { $0.destination == "/run" }
        #expect(run?.copyUp == true)
        #expect(run?.data.contains("tmpcopyup") == false)
    }
}

@Suite struct SysfsAndCgroupPlanTests {
    let sysfs = Mount(destination: "/sys", type: "sysfs", source: "sysfs", options: ["nosuid", "noexec", "nodev", "ro"])
    let cgroup = Mount(destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup", options: ["nosuid", "ro"])

    @Test func userNamespaceWithoutNetworkNamespaceBindsHostSys() throws {
        let spec = Examples.spec([sysfs], namespaces: [.user, .mount, .pid])
        let plan = try MountPlan(RootfsConfig(rootfs: "/r", spec: spec, inUserNamespace: true))
        guard case .mount(let op) = plan.steps.first else { Issue.record("no step"); return }
        #expect(op.source == "/sys" && op.fsType == nil && op.flags == [.bind, .recursive])
        #expect(op.target == .directoryNoFollow)
        #expect(op.recursiveReadOnly)
        #expect(op.bindRemount == [.bind, .remount, .noSetUID, .noExec, .noDevices, .readOnly])
    }

    @Test func userNamespaceWithNetworkNamespaceFallsBackOnEPERM() throws {
        let spec = Examples.spec([sysfs], namespaces: [.user, .mount, .network])
        let plan = try MountPlan(RootfsConfig(rootfs: "/r", spec: spec, inUserNamespace: true))
        guard case .mount(let op) = plan.steps.first else { Issue.record("no step"); return }
        #expect(op.fsType == "sysfs")
        #expect(op.fallback.first?.source == "/sys")
    }

    @Test func cgroupNamespaceMountsFresh() throws {
        let plan = try MountPlan(RootfsConfig(rootfs: "/r", spec: Examples.spec([cgroup]), cgroupMounts: Examples.v1Cgroups,
                                              cgroupNamespace: true))
        let ops = plan.steps.compactMap { if case .mount(let op) = $0 { op } else { nil } }
        #expect(ops.map(\.fsType) == ["tmpfs", "cgroup", "cgroup", "cgroup", "cgroup2"])
        #expect(ops.map(\.data) == ["mode=755", "memory", "cpu,cpuacct", "name=systemd", ""])
        #expect(ops.map(\.destination) == ["/sys/fs/cgroup", "/sys/fs/cgroup/memory", "/sys/fs/cgroup/cpu,cpuacct",
                                           "/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified"])
        #expect(ops[1].flags == [.noSetUID, .readOnly])
    }

    @Test func pureV2BindsTheContainerCgroup() throws {
        let sources = [CgroupMountSource(name: "", hostPath: "/sys/fs/cgroup/berth/c1", fsType: "cgroup2", options: "")]
        let plan = try MountPlan(RootfsConfig(rootfs: "/r", spec: Examples.spec([cgroup]), cgroupMounts: sources))
        guard case .mount(let op) = plan.steps.first, plan.steps.count == 1 else { Issue.record("steps"); return }
        #expect(op.source == "/sys/fs/cgroup/berth/c1" && op.destination == "/sys/fs/cgroup")
        #expect(op.bindRemount == [.bind, .remount, .noSetUID, .readOnly])

        let fresh = try MountPlan(RootfsConfig(rootfs: "/r", spec: Examples.spec([cgroup]), cgroupMounts: sources,
                                               cgroupNamespace: true))
        guard case .mount(let freshOp) = fresh.steps.first else { Issue.record("steps"); return }
        #expect(freshOp.fsType == "cgroup2" && freshOp.source == "cgroup2" && freshOp.flags == [.noSetUID, .readOnly])
    }
}

@Suite struct DevicePlanTests {
    @Test func specDevicesReplaceDefaults() throws {
        let devices = [
            Device(type: "c", path: "/dev/null", major: 1, minor: 3, fileMode: 0o20600, uid: 5, gid: 6),
            Device(type: "b", path: "/dev/sda", major: 8, minor: 0),
            Device(type: "p", path: "/dev/fifo"),
        ]
        let nodes = try DeviceNode.plan(devices)
        #expect(nodes.count == 8)
        #expect(nodes[0] == DeviceNode(path: "/dev/null", kind: .character, major: 1, minor: 3, mode: 0o600, uid: 5, gid: 6))
        #expect(nodes[1].kind == .block && nodes[1].mode == 0o666)
        #expect(nodes[2].kind == .fifo)
        #expect(nodes.filter { $0.path == "/dev/null" }.count == 1)
        #expect(nodes.last?.path == "/dev/tty")
    }

    @Test(arguments: [
        Device(type: "x", path: "/dev/x", major: 1, minor: 1),
        Device(type: "c", path: "dev/x", major: 1, minor: 1),
        Device(type: "c", path: "/dev/x"),
        Device(type: "c", path: "/dev/x", major: -1, minor: 1),
    ])
    func invalidDevices(_ device: Device) {
        expectError("linux.devices") { _ = try DeviceNode(device) }
    }

    @Test func symlinks() {
        #expect(DevSymlinks.plan(kcore: false).map(\.path) == ["/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr"])
        #expect(DevSymlinks.plan(kcore: true).last! == (path: "/dev/core", target: "/proc/kcore"))
        #expect(DevSymlinks.ptmx == (path: "/dev/ptmx", target: "pts/ptmx"))
    }

    @Test func deviceNumbers() {
        // makedev(136, 300) in glibc's encoding.
        let dev: UInt64 = (UInt64(136 & 0xfff) << 8) | UInt64(300 & 0xff) | (UInt64(300 & ~0xff) << 12)
        #expect(DeviceNode.split(dev) == (136, 300))
    }
}
