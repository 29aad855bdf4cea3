import Diagnostics
import OCIRuntimeSpec
import Testing
@testable import Cgroups

#if canImport(Glibc)
import Glibc
#endif

@Suite struct V1CPUTests {
    func cgroup() throws -> (TemporaryDirectory, String) {
        let temp = try TemporaryDirectory()
        let names = ["cpu.shares", "cpu.cfs_period_us", "cpu.cfs_quota_us", "cpu.cfs_burst_us", "cpu.idle",
                     "cpu.rt_period_us", "cpu.rt_runtime_us", "cpuset.cpus", "cpuset.mems"]
        return (temp, try temp.makeCgroup("cpu/c1", Dictionary(uniqueKeysWithValues: names.map { ($0, "") })))
    }

    @Test func sharesThenPeriodThenQuota() throws {
        let (temp, dir) = try cgroup()
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        try CgroupV1.CPU.apply(CPUResources(shares: 512, quota: 50000, period: 100_000), directory: dir, files: files)
        #expect(files.log == ["cpu.shares=512", "cpu.cfs_period_us=100000", "cpu.cfs_quota_us=50000"])
        #expect(try temp.read("cpu/c1/cpu.cfs_quota_us") == "50000")
    }

    @Test func refusedPeriodIsWrittenAgainAfterTheQuota() throws {
        let (temp, dir) = try cgroup()
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        files.failures["cpu.cfs_period_us"] = [EINVAL]
        try CgroupV1.CPU.apply(CPUResources(quota: 20000, period: 50000), directory: dir, files: files)
        #expect(files.log == ["cpu.cfs_period_us=!50000", "cpu.cfs_quota_us=20000", "cpu.cfs_period_us=50000"])
    }

    @Test func refusedPeriodWithoutQuotaFails() throws {
        let (temp, dir) = try cgroup()
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        files.failures["cpu.cfs_period_us"] = [EINVAL]
        let error = #expect(throws: BerthError.self) {
            try CgroupV1.CPU.apply(CPUResources(period: 50000), directory: dir, files: files)
        }
        #expect(error?.message == "set cgroup cpu.cfs_period_us \(dir): invalid argument")
        #expect(error?.errno == EINVAL)
    }

    @Test func clampedSharesAreRefused() throws {
        let (temp, dir) = try cgroup()
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        files.readBack["cpu.shares"] = "262144\n"
        let error = #expect(throws: BerthError.self) {
            try CgroupV1.CPU.apply(CPUResources(shares: 1_000_000), directory: dir, files: files)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "set cgroup cpu.shares \(dir): the maximum allowed cpu-shares is 262144")
    }

    @Test func burstIdleAndRealtime() throws {
        let (temp, dir) = try cgroup()
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        var cpu = CPUResources(quota: -1)
        cpu.burst = 1000
        cpu.idle = 1
        cpu.realtimePeriod = 1_000_000
        cpu.realtimeRuntime = 950_000
        try CgroupV1.CPU.apply(cpu, directory: dir, files: files)
        #expect(files.log == ["cpu.cfs_burst_us=1000", "cpu.cfs_quota_us=-1", "cpu.idle=1",
                              "cpu.rt_period_us=1000000", "cpu.rt_runtime_us=950000"])
    }

    @Test func refusedRealtimePeriodIsRetried() throws {
        let (temp, dir) = try cgroup()
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        files.failures["cpu.rt_period_us"] = [EINVAL]
        var cpu = CPUResources()
        cpu.realtimePeriod = 500_000
        cpu.realtimeRuntime = 100_000
        try CgroupV1.CPU.apply(cpu, directory: dir, files: files)
        #expect(files.log == ["cpu.rt_period_us=!500000", "cpu.rt_runtime_us=100000", "cpu.rt_period_us=500000"])
    }

    @Test func cpusetCopiesParentsDownThenApplies() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let root = try temp.makeCgroup("cpuset", ["cpuset.cpus": "0-3\n", "cpuset.mems": "0\n"])
        try temp.makeCgroup("cpuset/a", ["cpuset.cpus": "0-1\n", "cpuset.mems": "0\n"])
        try temp.makeCgroup("cpuset/a/b", ["cpuset.cpus": "\n", "cpuset.mems": "\n"])
        let leaf = try temp.makeCgroup("cpuset/a/b/c", ["cpuset.cpus": "", "cpuset.mems": ""])
        let files = RecordingCgroupFiles()
        try CgroupV1.Cpuset.inheritParents(directory: leaf, hierarchyRoot: root, files: files)
        #expect(files.log == ["cpuset.cpus=0-1", "cpuset.mems=0", "cpuset.cpus=0-1", "cpuset.mems=0"])
        #expect(try temp.read("cpuset/a/b/c/cpuset.cpus") == "0-1")
        try CgroupV1.Cpuset.apply(CPUResources(cpus: "1", mems: "0"), directory: leaf, files: files)
        #expect(files.log.suffix(2) == ["cpuset.cpus=1", "cpuset.mems=0"])
        try CgroupV1.Cpuset.apply(CPUResources(cpus: "", mems: nil), directory: leaf, files: files)
        #expect(files.log.count == 6)
    }
}
