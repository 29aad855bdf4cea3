import Diagnostics
import Testing
@testable import Cgroups

@Suite struct CgroupPathTests {
    let hybrid: CgroupHost
    let v1: CgroupHost

    init() throws {
        hybrid = try CgroupHost(mountInfo: Samples.hybridMountInfo, procCgroup: Samples.hybridProcCgroup)
        v1 = try CgroupHost(mountInfo: Samples.v1MountInfo, procCgroup: Samples.v1ProcCgroup)
    }

    func directory(_ host: CgroupHost, _ controller: String, _ path: String) throws -> String {
        try host.directory(in: #require(host.hierarchy(for: controller)), cgroupsPath: path)
    }

    @Test func defaultPathHasOurOwnParent() {
        #expect(CgroupHost.containerPath(nil, containerID: "web1") == "/berth/web1")
        #expect(CgroupHost.containerPath("", containerID: "web1") == "/berth/web1")
        #expect(CgroupHost.containerPath("/x/y", containerID: "web1") == "/x/y")
    }

    @Test(arguments: [
        ("memory", "/berth/web1", "/sys/fs/cgroup/memory/berth/web1"),
        ("name=systemd", "/berth/web1", "/sys/fs/cgroup/systemd/berth/web1"),
        ("", "/berth/web1", "/sys/fs/cgroup/unified/berth/web1"),
        ("memory", "/a/../../b/./c/", "/sys/fs/cgroup/memory/b/c"),
        ("memory", "/", "/sys/fs/cgroup/memory"),
    ])
    func absolutePathsAreUnderTheHierarchyRoot(controller: String, path: String, expected: String) throws {
        #expect(try directory(hybrid, controller, path) == expected)
    }

    @Test(arguments: [
        ("memory", "web1", "/sys/fs/cgroup/memory/process_api/46a15285a0961e61c19bc04ce5e778e4/web1"),
        ("cpu", "web1", "/sys/fs/cgroup/cpu/web1"),
        ("", "a/b", "/sys/fs/cgroup/unified/a/b"),
        // ".." never climbs out of our own cgroup.
        ("memory", "../../../x", "/sys/fs/cgroup/memory/process_api/46a15285a0961e61c19bc04ce5e778e4/x"),
    ])
    func relativePathsAreUnderOurOwnCgroup(controller: String, path: String, expected: String) throws {
        #expect(try directory(hybrid, controller, path) == expected)
    }

    @Test func relativePathInASharedHierarchy() throws {
        #expect(try directory(v1, "cpuacct", "c1") == "/sys/fs/cgroup/cpu,cpuacct/user.slice/c1")
        #expect(try directory(v1, "name=systemd", "c1")
            == "/sys/fs/cgroup/systemd/user.slice/user-0.slice/session-1.scope/c1")
    }

    @Test func relativePathAgainstAMountOfASubtree() throws {
        let host = try CgroupHost(
            mountInfo: "35 31 0:32 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n",
            procCgroup: "4:memory:/docker/abc/inner\n")
        #expect(try directory(host, "memory", "c1") == "/sys/fs/cgroup/memory/inner/c1")
        #expect(try directory(host, "memory", "/c1") == "/sys/fs/cgroup/memory/c1")
    }

    @Test func relativePathWithoutOwnCgroupIsNotFound() throws {
        let host = try CgroupHost(mountInfo: Samples.hybridMountInfo, procCgroup: "4:memory:/\n")
        let error = #expect(throws: BerthError.self) { try directory(host, "pids", "c1") }
        #expect(error?.code == .notFound)
        #expect(error?.message == "resolve cgroup path c1: no pids entry in /proc/self/cgroup")
    }

    @Test func ownCgroupOutsideTheMountIsNotFound() throws {
        let host = try CgroupHost(
            mountInfo: "35 31 0:32 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n",
            procCgroup: "4:memory:/docker/abcdef\n")
        let error = #expect(throws: BerthError.self) { try directory(host, "memory", "c1") }
        #expect(error?.code == .notFound)
    }

    @Test func rootPrefixIsPrepended() throws {
        let host = try CgroupHost(mountInfo: Samples.hybridMountInfo, procCgroup: Samples.hybridProcCgroup,
                                  rootPrefix: "/tmp/fake")
        #expect(try directory(host, "pids", "/c") == "/tmp/fake/sys/fs/cgroup/pids/c")
    }
}
