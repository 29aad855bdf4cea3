import CBerthShim
import Cgroups
import Diagnostics
import LinuxSyscalls
import OCIRuntimeSpec
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The cgroup managers against this machine's real cgroup v1 (hybrid) tree.
@Suite(.serialized) struct CgroupPrivilegedTestsSerial {
    static let host = try? CgroupHost.detect()
    static let hasV1 = host.map { $0.layout != .v2 } ?? false

    @Test(.enabled(if: getuid() == 0, "needs root"), .enabled(if: hasV1, "needs cgroup v1 or hybrid"))
    func v1ManagerLifecycle() throws {
        let host = try #require(Self.host)
        let parent = "/berth-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let mountPoints = host.v1Hierarchies.map(\.mountPoint) + (host.unified.map { [$0.mountPoint] } ?? [])
        let manager = try CgroupFactory.makeManager(host: host, path: "\(parent)/c1", containerID: "c1")
        var child: Int32 = -1
        defer {
            if child > 0 { kill(child, SIGKILL); _ = try? Processes.wait(child) }
            try? manager.thaw()
            try? manager.destroy()
            // Whatever is left of our own tree, in every hierarchy.
            for mount in mountPoints {
                rmdir("\(mount)\(parent)/c1")
                rmdir("\(mount)\(parent)")
            }
        }

        let resources = Resources(
            devices: [DeviceRule(allow: false, access: "rwm")],
            memory: MemoryResources(limit: 64 << 20),
            cpu: CPUResources(shares: 512, quota: 50000, period: 100_000, cpus: "0"),
            pids: PidsResources(limit: 100))
        try manager.create(resources: resources)

        let paths = manager.paths
        func read(_ controller: String, _ file: String) throws -> String {
            let text = try Files.readString("\(try #require(paths[controller]))/\(file)")
            return String(text.split(separator: "\n").joined(separator: "\n"))
        }
        #expect(try read("memory", "memory.limit_in_bytes") == "67108864")
        #expect(try read("cpu", "cpu.shares") == "512")
        #expect(try read("cpu", "cpu.cfs_period_us") == "100000")
        #expect(try read("cpu", "cpu.cfs_quota_us") == "50000")
        #expect(try read("pids", "pids.max") == "100")
        #expect(try read("cpuset", "cpuset.cpus") == "0")
        #expect(try read("cpuset", "cpuset.mems") != "")
        let deviceList = try read("devices", "devices.list").split(separator: "\n").map(String.init)
        #expect(!deviceList.contains("a *:* rwm"))
        #expect(deviceList.contains("c 1:3 rwm"))
        #expect(deviceList.contains("c 136:* rwm"))
        #expect(deviceList.contains("b *:* m"))

        // The weight file lives in non-root blkio cgroups only, and only with CFQ or BFQ.
        if let blkio = paths["blkio"] {
            for file in ["blkio.weight", "blkio.bfq.weight"] where Files.exists("\(blkio)/\(file)") {
                try manager.apply(Resources(blockIO: BlockIOResources(weight: 500)))
                #expect(try read("blkio", file) == "500")
                break
            }
        }

        child = try spawnSleep()
        try manager.add(pid: child)
        for (controller, directory) in paths {
            let procs = try Files.readString("\(directory)/cgroup.procs").split(separator: "\n")
            #expect(procs.contains(Substring(String(child))), "pid \(child) in \(controller): \(directory)")
        }
        if host.layout == .hybrid, let unified = host.unified {
            #expect(paths[""] == "\(unified.mountPoint)\(parent)/c1")
        }
        #expect(try manager.pids() == [child])

        try manager.freeze()
        #expect(manager.isFrozen())
        #expect(try read("freezer", "freezer.state") == "FROZEN")
        try manager.thaw()
        #expect(!manager.isFrozen())

        try manager.killAll(signal: SIGKILL)
        let status = try Processes.wait(child)
        child = -1
        #expect(Processes.exitCode(fromWaitStatus: status) == 128 + SIGKILL)

        let directories = Set(paths.values)
        let mountSources = manager.mountSources()
        #expect(mountSources.contains { $0.name == "systemd" && $0.options == "name=systemd" })
        try manager.destroy()
        for directory in directories { #expect(!Files.exists(directory), "\(directory) removed") }
        // The manager made /berth-test-... itself, so it removed it too.
        for mount in mountPoints { #expect(!Files.exists("\(mount)\(parent)")) }
    }

    /// `/bin/sleep 30` through the shim's fork+exec (the test process has threads).
    func spawnSleep() throws -> Int32 {
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sleep"), strdup("30"), nil]
        let envp: [UnsafeMutablePointer<CChar>?] = [nil]
        defer { for pointer in argv { free(pointer) } }
        let pid = bt_fork_exec("/bin/sleep", argv, envp, -1, -1)
        guard pid > 0 else { throw BerthError.system("fork_exec", path: "/bin/sleep") }
        return pid
    }
}
