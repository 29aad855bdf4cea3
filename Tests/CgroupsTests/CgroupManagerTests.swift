import Diagnostics
import LinuxSyscalls
import OCIRuntimeSpec
import Testing
@testable import Cgroups

#if canImport(Glibc)
import Glibc
#endif

/// The managers against a fake /sys/fs/cgroup in a temporary directory.
@Suite struct CgroupManagerTests {
    static let hybridMounts = ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "systemd", "unified"]

    /// A temp dir with this machine's hybrid mount points, the cpuset root filled in.
    func hybridHost() throws -> (TemporaryDirectory, CgroupHost, RecordingCgroupFiles) {
        let temp = try TemporaryDirectory()
        for name in Self.hybridMounts { try temp.makeCgroup("sys/fs/cgroup/\(name)") }
        try temp.makeCgroup("sys/fs/cgroup/cpuset", ["cpuset.cpus": "0-1\n", "cpuset.mems": "0\n"])
        let host = try CgroupHost(mountInfo: Samples.hybridMountInfo, procCgroup: Samples.hybridProcCgroup,
                                  rootPrefix: temp.path)
        let files = RecordingCgroupFiles()
        files.createMissingFiles = true
        return (temp, host, files)
    }

    static let resources = Resources(
        devices: [DeviceRule(allow: false, access: "rwm")],
        memory: MemoryResources(limit: 64 << 20),
        cpu: CPUResources(shares: 512, quota: 50000, period: 100_000, cpus: "0"),
        pids: PidsResources(limit: 100))

    @Test func hybridCreateAddAndDestroy() throws {
        let (temp, host, files) = try hybridHost()
        defer { temp.remove() }
        let manager = try CgroupFactory.makeManager(host: host, path: nil, containerID: "c1", files: files)
        #expect(manager is V1CgroupManager)
        try manager.create(resources: Self.resources)
        let root = "\(temp.path)/sys/fs/cgroup"
        for name in Self.hybridMounts { #expect(Files.isDirectory("\(root)/\(name)/berth/c1")) }
        #expect(try temp.read("sys/fs/cgroup/memory/berth/c1/memory.limit_in_bytes") == "67108864")
        #expect(try temp.read("sys/fs/cgroup/cpu/berth/c1/cpu.shares") == "512")
        #expect(try temp.read("sys/fs/cgroup/pids/berth/c1/pids.max") == "100")
        #expect(try temp.read("sys/fs/cgroup/cpuset/berth/cpuset.cpus") == "0-1")
        #expect(try temp.read("sys/fs/cgroup/cpuset/berth/c1/cpuset.cpus") == "0")
        #expect(files.log.first(where: { $0.hasPrefix("devices.") }) == "devices.deny=a")
        // cpuset comes first: the other controllers may depend on where tasks run.
        #expect(files.log.first?.hasPrefix("cpuset.") == true)

        #expect(manager.paths["memory"] == "\(root)/memory/berth/c1")
        #expect(manager.paths["name=systemd"] == "\(root)/systemd/berth/c1")
        #expect(manager.paths[""] == "\(root)/unified/berth/c1")
        #expect(manager.paths.count == 10)
        #expect(manager.createdDirectories.first == "\(root)/cpu/berth")
        #expect(manager.createdDirectories.count == 20)

        try manager.add(pid: 4242)
        for name in Self.hybridMounts {
            #expect(try temp.read("sys/fs/cgroup/\(name)/berth/c1/cgroup.procs") == "4242")
        }
        #expect(try manager.pids() == [4242])

        let sources = manager.mountSources()
        #expect(sources.count == 10)
        #expect(sources.first { $0.name == "systemd" }
            == CgroupMountSource(name: "systemd", hostPath: "\(root)/systemd/berth/c1", fsType: "cgroup", options: "name=systemd"))
        #expect(sources.first { $0.name == "unified" }
            == CgroupMountSource(name: "unified", hostPath: "\(root)/unified/berth/c1", fsType: "cgroup2", options: ""))
        #expect(sources.first { $0.name == "memory" }?.options == "memory")

        try manager.destroy()
        for name in Self.hybridMounts {
            #expect(!Files.exists("\(root)/\(name)/berth"))
            #expect(Files.isDirectory("\(root)/\(name)"))
        }
    }

    @Test func destroyKeepsParentsItDidNotCreateAndRemovesSubCgroups() throws {
        let (temp, host, files) = try hybridHost()
        defer { temp.remove() }
        for name in Self.hybridMounts { try temp.makeCgroup("sys/fs/cgroup/\(name)/berth") }
        let manager = try CgroupFactory.makeManager(host: host, path: "/berth/c2", containerID: "ignored", files: files)
        try manager.create(resources: nil)
        // The container made a cgroup of its own inside.
        try temp.makeCgroup("sys/fs/cgroup/memory/berth/c2/sub/deeper")
        try manager.destroy()
        let root = "\(temp.path)/sys/fs/cgroup"
        #expect(!Files.exists("\(root)/memory/berth/c2"))
        for name in Self.hybridMounts { #expect(Files.isDirectory("\(root)/\(name)/berth")) }
    }

    @Test func loadedManagerDestroysFromSavedPaths() throws {
        let (temp, host, files) = try hybridHost()
        defer { temp.remove() }
        let first = try CgroupFactory.makeManager(host: host, path: "/t/c3", containerID: "c3", files: files)
        try first.create(resources: nil)
        let loaded = try CgroupFactory.loadManager(host: host, paths: first.paths,
                                                   createdDirectories: first.createdDirectories, files: files)
        #expect(loaded.paths == first.paths)
        #expect(loaded.mountSources() == first.mountSources())
        try loaded.destroy()
        for name in Self.hybridMounts { #expect(!Files.exists("\(temp.path)/sys/fs/cgroup/\(name)/t")) }
    }

    @Test func failedCreateLeavesNothingBehind() throws {
        let (temp, host, files) = try hybridHost()
        defer { temp.remove() }
        files.failures["pids.max"] = [EINVAL]
        let manager = try CgroupFactory.makeManager(host: host, path: "/berth/c4", containerID: "c4", files: files)
        let error = #expect(throws: BerthError.self) { try manager.create(resources: Self.resources) }
        #expect(error?.message.hasPrefix("set cgroup pids.max \(temp.path)/sys/fs/cgroup/pids/berth/c4: invalid argument") == true)
        for name in Self.hybridMounts { #expect(!Files.exists("\(temp.path)/sys/fs/cgroup/\(name)/berth")) }
        #expect(manager.createdDirectories.isEmpty)
    }

    @Test func freezeThawAndKillThroughTheFreezer() throws {
        let (temp, host, files) = try hybridHost()
        defer { temp.remove() }
        let manager = try CgroupFactory.makeManager(host: host, path: "/berth/c5", containerID: "c5", files: files)
        try manager.create(resources: nil)
        defer { try? manager.destroy() }
        try manager.freeze()
        #expect(manager.isFrozen())
        #expect(try temp.read("sys/fs/cgroup/freezer/berth/c5/freezer.state") == "FROZEN")
        try manager.thaw()
        #expect(!manager.isFrozen())
        // No processes: killAll freezes, signals nobody, thaws.
        try manager.killAll(signal: SIGTERM)
        #expect(Array(files.log.suffix(2)) == ["freezer.state=FROZEN", "freezer.state=THAWED"])
    }

    @Test func v1WithoutDevicesControllerRefusesToCreate() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        try temp.makeCgroup("sys/fs/cgroup/memory")
        let host = try CgroupHost(mountInfo: "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n",
                                  procCgroup: "4:memory:/\n", rootPrefix: temp.path)
        let manager = try CgroupFactory.makeManager(host: host, path: "/x", containerID: "x", files: RecordingCgroupFiles())
        let error = #expect(throws: BerthError.self) { try manager.create(resources: nil) }
        #expect(error?.message == "create cgroup: the devices controller is not mounted")
        #expect(!Files.exists("\(temp.path)/sys/fs/cgroup/memory/x"))
    }

    @Test func limitOnAnUnmountedControllerIsNotFound() throws {
        let (temp, host, files) = try hybridHost()
        defer { temp.remove() }
        let manager = try CgroupFactory.makeManager(host: host, path: "/berth/c6", containerID: "c6", files: files)
        try manager.create(resources: nil)
        defer { try? manager.destroy() }
        var resources = Resources()
        resources.hugepageLimits = [try spec(HugepageLimit.self, #"{"pageSize": "2MB", "limit": 1}"#)]
        let error = #expect(throws: BerthError.self) { try manager.apply(resources) }
        #expect(error?.code == .notFound)
        #expect(error?.message == "set cgroup hugetlb limits: the hugetlb controller is not mounted")
        resources.hugepageLimits = nil
        resources.unified = ["memory.high": "1"]
        let unified = #expect(throws: BerthError.self) { try manager.apply(resources) }
        #expect(unified?.code == .invalidArgument)
    }

    @Test func applyLeavesDevicesAloneWithoutRules() throws {
        let (temp, host, files) = try hybridHost()
        defer { temp.remove() }
        let manager = try CgroupFactory.makeManager(host: host, path: "/berth/c7", containerID: "c7", files: files)
        try manager.create(resources: nil)
        defer { try? manager.destroy() }
        let before = files.writes.count
        try manager.apply(Resources(pids: PidsResources(limit: 5)))
        #expect(Array(files.log[before...]) == ["pids.max=5"])
    }

    // MARK: - v2

    @Test func v2CreateEnablesControllersAndDestroys() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        try temp.makeCgroup("sys/fs/cgroup", ["cgroup.controllers": "cpu memory pids\n", "cgroup.subtree_control": ""])
        try temp.makeCgroup("sys/fs/cgroup/user.slice", ["cgroup.controllers": "cpu memory pids\n", "cgroup.subtree_control": ""])
        let host = try CgroupHost(mountInfo: Samples.v2MountInfo, procCgroup: "0::/user.slice\n", rootPrefix: temp.path)
        let files = RecordingCgroupFiles()
        files.createMissingFiles = true
        let manager = try CgroupFactory.makeManager(host: host, path: "mine/c1", containerID: "c1", files: files)
        #expect(manager is V2CgroupManager)
        let dir = "\(temp.path)/sys/fs/cgroup/user.slice/mine/c1"
        #expect(manager.paths == ["": dir])
        try manager.create(resources: Resources(memory: MemoryResources(limit: 64 << 20), pids: PidsResources(limit: 100)))
        #expect(Array(files.log.prefix(2)) == ["cgroup.subtree_control=+cpu +memory +pids",
                                               "cgroup.subtree_control=+cpu +memory +pids"])
        #expect(try temp.read("sys/fs/cgroup/user.slice/mine/c1/memory.max") == "67108864")
        #expect(manager.createdDirectories == ["\(temp.path)/sys/fs/cgroup/user.slice/mine", dir])
        #expect(manager.mountSources() == [CgroupMountSource(name: "", hostPath: dir, fsType: "cgroup2", options: "")])
        try manager.add(pid: 77)
        #expect(try manager.pids() == [77])
        try manager.destroy()
        #expect(!Files.exists("\(temp.path)/sys/fs/cgroup/user.slice/mine"))
        #expect(Files.isDirectory("\(temp.path)/sys/fs/cgroup/user.slice"))
    }

    @Test func disabledManagerDoesNothing() throws {
        let manager = CgroupFactory.disabled()
        try manager.create(resources: Self.resources)
        try manager.add(pid: 1)
        try manager.freeze()
        try manager.killAll(signal: SIGKILL)
        try manager.destroy()
        #expect(manager.paths.isEmpty)
        #expect(try manager.pids().isEmpty)
        #expect(manager.mountSources().isEmpty)
        #expect(!manager.isFrozen())
    }
}
