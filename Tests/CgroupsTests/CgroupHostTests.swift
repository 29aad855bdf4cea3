import LinuxSyscalls
import Diagnostics
import Testing
@testable import Cgroups

@Suite struct CgroupHostTests {
    @Test func hybridHostFromThisMachine() throws {
        let host = try CgroupHost(mountInfo: Samples.hybridMountInfo, procCgroup: Samples.hybridProcCgroup)
        #expect(host.layout == .hybrid)
        #expect(host.v1Hierarchies.map(\.mountOptions) == [
            "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "name=systemd",
        ])
        #expect(host.unified == CgroupHierarchy(mountPoint: "/sys/fs/cgroup/unified", root: "/", fsType: "cgroup2", controllers: []))
        #expect(host.hierarchy(for: "memory")?.mountPoint == "/sys/fs/cgroup/memory")
        #expect(host.hierarchy(for: "name=systemd")?.directoryName == "systemd")
        #expect(host.ownCgroups["memory"] == "/process_api/46a15285a0961e61c19bc04ce5e778e4")
        #expect(host.ownCgroups[""] == "/")
    }

    @Test func v1HostWithSharedHierarchiesAndBindMounts() throws {
        let host = try CgroupHost(mountInfo: Samples.v1MountInfo, procCgroup: Samples.v1ProcCgroup)
        #expect(host.layout == .v1)
        #expect(host.unified == nil)
        let cpu = try #require(host.hierarchy(for: "cpuacct"))
        #expect(cpu.controllers == ["cpu", "cpuacct"])
        #expect(cpu.directoryName == "cpu,cpuacct")
        // release_agent=, xattr and clone_children are options, not controllers.
        #expect(host.hierarchy(for: "name=systemd")?.controllers == ["name=systemd"])
        #expect(host.hierarchy(for: "cpuset")?.controllers == ["cpuset"])
        // The second mount of net_cls,net_prio (same device 0:31) is ignored.
        #expect(host.v1Hierarchies.filter { $0.controllers.contains("net_cls") }.count == 1)
        #expect(host.hierarchy(for: "net_prio")?.mountPoint == "/sys/fs/cgroup/net_cls,net_prio")
        #expect(host.ownCgroups["cpu"] == "/user.slice")
        #expect(host.ownCgroups["cpuacct"] == "/user.slice")
    }

    @Test func v2Host() throws {
        let host = try CgroupHost(mountInfo: Samples.v2MountInfo, procCgroup: Samples.v2ProcCgroup, rootPrefix: "/tmp/r")
        #expect(host.layout == .v2)
        #expect(host.v1Hierarchies.isEmpty)
        #expect(host.unified?.mountPoint == "/tmp/r/sys/fs/cgroup")
        #expect(host.ownCgroups == ["": "/user.slice/user-1000.slice/session-2.scope"])
    }

    @Test func noCgroupsIsNotFound() {
        let error = #expect(throws: BerthError.self) {
            try CgroupHost(mountInfo: "23 1 0:21 / / rw - ext4 /dev/sda1 rw\n", procCgroup: "")
        }
        #expect(error?.code == .notFound)
    }

    @Test func escapedMountPoints() {
        let line = "40 31 0:37 / /sys/fs/cgroup/with\\040space rw - cgroup cgroup rw,pids\n"
        let hierarchies = CgroupHost.parseMountInfo(line, rootPrefix: "")
        #expect(hierarchies.map(\.mountPoint) == ["/sys/fs/cgroup/with space"])
        #expect(MountInfo.unescape("a\\134b\\011") == "a\\b\t")
        #expect(MountInfo.unescape("trailing\\04") == "trailing\\04")
    }

    @Test func optionalFieldsBeforeTheSeparator() {
        let line = "30 25 0:28 / /sys/fs/cgroup/cpu,cpuacct rw shared:11 master:3 - cgroup cgroup rw,cpu,cpuacct\n"
        #expect(CgroupHost.parseMountInfo(line, rootPrefix: "").first?.controllers == ["cpu", "cpuacct"])
    }

    @Test func procCgroupParsing() {
        let parsed = CgroupHost.parseProcCgroup("3:cpu,cpuacct:/a:b\n1:name=systemd:/x\n0::/y\nbad line\n")
        #expect(parsed == ["cpu": "/a:b", "cpuacct": "/a:b", "name=systemd": "/x", "": "/y"])
    }
}
