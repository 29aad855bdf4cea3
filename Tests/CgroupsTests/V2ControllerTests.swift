import Diagnostics
import OCIRuntimeSpec
import Testing
@testable import Cgroups

#if canImport(Glibc)
import Glibc
#endif

@Suite struct V2ControllerTests {
    @Test(arguments: [(UInt64(0), UInt64(0)), (2, 1), (512, 20), (1024, 39), (262_144, 10000), (1, 1), (1 << 40, 10000)])
    func cpuWeightFromShares(shares: UInt64, weight: UInt64) {
        #expect(CgroupV2.cpuWeight(fromShares: shares) == weight)
    }

    @Test(arguments: [(UInt16(0), UInt64(0)), (10, 1), (500, 4950), (1000, 10000), (5, 1)])
    func ioWeightFromBlkioWeight(blkio: UInt16, weight: UInt64) {
        #expect(CgroupV2.ioWeight(fromBlkioWeight: blkio) == weight)
    }

    @Test(arguments: [
        (Int64(0), Int64(0), Int64(0)), (0, -1, -1), (-1, 0, -1), (-1, 100, -1), (0, 100, 0),
        (300, 100, 200), (100, 100, 0),
    ])
    func swapMaxIsSwapMinusLimit(swap: Int64, limit: Int64, expected: Int64) throws {
        #expect(try CgroupV2.swapMax(swap: swap, limit: limit) == expected)
    }

    @Test(arguments: [(Int64(100), Int64(0)), (100, -1), (50, 100)])
    func impossibleSwapIsRefused(swap: Int64, limit: Int64) {
        let error = #expect(throws: BerthError.self) { try CgroupV2.swapMax(swap: swap, limit: limit) }
        #expect(error?.code == .invalidArgument)
    }

    func cgroup(_ names: [String]) throws -> (TemporaryDirectory, String) {
        let temp = try TemporaryDirectory()
        return (temp, try temp.makeCgroup("c1", Dictionary(uniqueKeysWithValues: names.map { ($0, "") })))
    }

    @Test func memorySwapThenMaxThenLow() throws {
        let (temp, dir) = try cgroup(["memory.swap.max", "memory.max", "memory.low"])
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        try CgroupV2.Memory.apply(MemoryResources(limit: 64 << 20, reservation: 32 << 20, swap: 96 << 20),
                                  directory: dir, files: files)
        #expect(files.log == ["memory.swap.max=33554432", "memory.max=67108864", "memory.low=33554432"])
        #expect(try temp.read("c1/memory.max") == "67108864")
    }

    @Test func memoryEqualToSwapDisablesSwapAndMinusOneIsMax() throws {
        let (temp, dir) = try cgroup(["memory.swap.max", "memory.max", "memory.low"])
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        try CgroupV2.Memory.apply(MemoryResources(limit: 1 << 20, swap: 1 << 20), directory: dir, files: files)
        try CgroupV2.Memory.apply(MemoryResources(limit: -1), directory: dir, files: files)
        #expect(files.log == ["memory.swap.max=0", "memory.max=1048576", "memory.swap.max=max", "memory.max=max"])
    }

    @Test func missingSwapFileIsFineForMaxOnly() throws {
        let (temp, dir) = try cgroup(["memory.max"])
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        try CgroupV2.Memory.apply(MemoryResources(limit: -1), directory: dir, files: files)
        #expect(files.log == ["memory.max=max"])
        let error = #expect(throws: BerthError.self) {
            try CgroupV2.Memory.apply(MemoryResources(limit: 1 << 20, swap: 2 << 20), directory: dir, files: files)
        }
        #expect(error?.message == "set cgroup memory.swap.max \(dir): no such file or directory")
    }

    @Test(arguments: [
        (Int64(50000), UInt64(100_000), "50000 100000"), (-1, 100_000, "max 100000"), (50000, 0, "50000"),
        (0, 250_000, "max 250000"),
    ])
    func cpuMax(quota: Int64, period: UInt64, expected: String) throws {
        let (temp, dir) = try cgroup(["cpu.max", "cpu.weight"])
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        try CgroupV2.CPU.apply(CPUResources(shares: 1024, quota: quota, period: period), directory: dir, files: files)
        #expect(files.log == ["cpu.weight=39", "cpu.max=\(expected)"])
    }

    @Test func realtimeIsRefusedOnV2() throws {
        let (temp, dir) = try cgroup(["cpu.max"])
        defer { temp.remove() }
        var cpu = CPUResources()
        cpu.realtimeRuntime = 1000
        let error = #expect(throws: BerthError.self) { try CgroupV2.CPU.apply(cpu, directory: dir, files: RecordingCgroupFiles()) }
        #expect(error?.code == .invalidArgument)
    }

    @Test func cpusetAndPids() throws {
        let (temp, dir) = try cgroup(["cpuset.cpus", "cpuset.mems", "pids.max"])
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        try CgroupV2.apply(Resources(cpu: CPUResources(cpus: "0", mems: "0"), pids: PidsResources(limit: 0)),
                           directory: dir, files: files)
        #expect(files.log == ["cpuset.cpus=0", "cpuset.mems=0", "pids.max=max"])
        #expect(try temp.read("c1/pids.max") == "max")
    }

    @Test func ioWeightIsConvertedWithoutBFQ() throws {
        let (temp, dir) = try cgroup(["io.weight", "io.max"])
        defer { temp.remove() }
        var blockIO = BlockIOResources(weight: 500)
        blockIO.weightDevice = [try spec(WeightDevice.self, #"{"major": 8, "minor": 0, "weight": 1000}"#)]
        blockIO.throttleReadBpsDevice = [try spec(ThrottleDevice.self, #"{"major": 8, "minor": 0, "rate": 100}"#)]
        blockIO.throttleWriteIOPSDevice = [try spec(ThrottleDevice.self, #"{"major": 8, "minor": 0, "rate": 7}"#)]
        let files = RecordingCgroupFiles()
        try CgroupV2.IO.apply(blockIO, directory: dir, files: files)
        #expect(files.log == ["io.weight=4950", "io.weight=8:0 10000", "io.max=8:0 rbps=100", "io.max=8:0 wiops=7"])
    }

    @Test func ioBFQWeightTakesTheValueAsIs() throws {
        let (temp, dir) = try cgroup(["io.bfq.weight", "io.weight"])
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        try CgroupV2.IO.apply(BlockIOResources(weight: 500), directory: dir, files: files)
        #expect(files.log == ["io.bfq.weight=500"])
    }

    @Test func unifiedIsWrittenAsIsInNameOrderAndLast() throws {
        let (temp, dir) = try cgroup(["memory.high", "memory.max", "pids.max"])
        defer { temp.remove() }
        var resources = Resources(memory: MemoryResources(limit: 1 << 20))
        resources.unified = ["pids.max": "10", "memory.high": "512K"]
        let files = RecordingCgroupFiles()
        try CgroupV2.apply(resources, directory: dir, files: files)
        #expect(files.log == ["memory.max=1048576", "memory.high=512K", "pids.max=10"])
    }

    @Test func unifiedErrors() throws {
        let (temp, dir) = try cgroup([])
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        let bad = #expect(throws: BerthError.self) { try CgroupV2.Unified.apply(["../x": "1"], directory: dir, files: files) }
        #expect(bad?.code == .invalidArgument)
        let missing = #expect(throws: BerthError.self) { try CgroupV2.Unified.apply(["rdma.max": "1"], directory: dir, files: files) }
        #expect(missing?.message == "set cgroup rdma.max \(dir): no such file or directory (is the rdma controller enabled?)")
    }

    @Test func freezeWaitsForTheEvents() throws {
        let (temp, dir) = try cgroup(["cgroup.freeze", "cgroup.events"])
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        files.readBack["cgroup.events"] = "populated 1\nfrozen 1\n"
        try CgroupV2.Freezer.set(frozen: true, directory: dir, files: files)
        #expect(files.log == ["cgroup.freeze=1"])
        files.readBack["cgroup.events"] = "populated 1\nfrozen 1\n"
        let error = #expect(throws: BerthError.self) { try CgroupV2.Freezer.set(frozen: false, directory: dir, files: files) }
        #expect(error?.message == "thaw cgroup \(dir): timed out waiting for cgroup.events")
    }

    @Test func controllersAreEnabledTopDown() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let root = try temp.makeCgroup("", ["cgroup.controllers": "cpu memory pids\n", "cgroup.subtree_control": ""])
        let child = try temp.makeCgroup("berth", ["cgroup.controllers": "memory pids\n", "cgroup.subtree_control": ""])
        let files = RecordingCgroupFiles()
        files.failures["cgroup.subtree_control"] = [0, EBUSY]
        CgroupV2.Controllers.enableAll(in: [root, child], files: files)
        // The first write succeeds; in "berth" the all-at-once write fails and each is tried.
        #expect(files.log == ["cgroup.subtree_control=+cpu +memory +pids", "cgroup.subtree_control=!+memory +pids",
                              "cgroup.subtree_control=+memory", "cgroup.subtree_control=+pids"])
    }
}
