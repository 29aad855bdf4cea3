import Cgroups
import LiteJSON
import Testing

@Suite struct CgroupStatsTests {
    @Test func v1CountersFromAFakeCgroup() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let cpuacct = try temp.makeCgroup("cpuacct/c1", [
            "cpuacct.usage": "3000\n",
            "cpuacct.usage_percpu": "1000 2000 \n",
            "cpuacct.usage_all": "cpu user system\n0 600 400\n1 1500 500\n",
            "cpuacct.stat": "user 3\nsystem 2\n",
        ])
        let cpu = try temp.makeCgroup("cpu/c1", ["cpu.stat": "nr_periods 10\nnr_throttled 4\nthrottled_time 99\n"])
        let memory = try temp.makeCgroup("memory/c1", [
            "memory.stat": "cache 4096\nrss 8192\ntotal_rss 8192\n",
            "memory.usage_in_bytes": "12288\n", "memory.max_usage_in_bytes": "20480\n",
            "memory.limit_in_bytes": "67108864\n", "memory.failcnt": "1\n",
            "memory.kmem.usage_in_bytes": "512\n", "memory.kmem.limit_in_bytes": "9223372036854771712\n",
        ])
        let pids = try temp.makeCgroup("pids/c1", ["pids.current": "2\n", "pids.max": "max\n"])
        let blkio = try temp.makeCgroup("blkio/c1", [
            "blkio.throttle.io_service_bytes_recursive": "8:0 Read 4096\n8:0 Write 0\nTotal 4096\n",
            "blkio.throttle.io_serviced_recursive": "8:0 Read 1\nTotal 1\n",
        ])
        let hugetlb = try temp.makeCgroup("hugetlb/c1", [
            "hugetlb.2MB.usage_in_bytes": "2097152\n", "hugetlb.2MB.max_usage_in_bytes": "4194304\n",
            "hugetlb.2MB.failcnt": "0\n",
        ])
        let directories = ["cpuacct": cpuacct, "cpu": cpu, "memory": memory, "pids": pids, "blkio": blkio,
                           "hugetlb": hugetlb]

        let stats = try CgroupV1.Stats.read(directory: { directories[$0] }, hugePageSizes: ["2MB", "1GB"])

        #expect(stats.cpu.usage.total == 3000)
        #expect(stats.cpu.usage.percpu == [1000, 2000])
        #expect(stats.cpu.usage.percpuUser == [600, 1500])
        #expect(stats.cpu.usage.percpuKernel == [400, 500])
        #expect(stats.cpu.usage.user == 30_000_000)  // 3 ticks of 10 ms
        #expect(stats.cpu.usage.kernel == 20_000_000)
        #expect(stats.cpu.throttling.periods == 10 && stats.cpu.throttling.throttledPeriods == 4)
        #expect(stats.cpu.throttling.throttledTime == 99)
        #expect(stats.memory.cache == 4096)
        #expect(stats.memory.raw?["total_rss"] == 8192)
        #expect(stats.memory.usage == .init(limit: 67_108_864, usage: 12288, max: 20480, failcnt: 1))
        #expect(stats.memory.kernel.usage == 512)
        // No swap accounting: the memsw files are missing, the entry stays empty.
        #expect(stats.memory.swap == .init())
        #expect(stats.pids.current == 2)
        #expect(stats.pids.limit == nil)
        #expect(stats.blkio.ioServiceBytesRecursive == [
            .init(major: 8, minor: 0, op: "Read", value: 4096), .init(major: 8, minor: 0, op: "Write", value: 0),
        ])
        #expect(stats.blkio.ioServicedRecursive?.count == 1)
        #expect(stats.hugetlb == ["2MB": .init(usage: 2_097_152, max: 4_194_304, failcnt: 0)])
    }

    @Test func v1UnmountedControllersLeaveEmptyFields() throws {
        let stats = try CgroupV1.Stats.read(directory: { _ in nil }, hugePageSizes: [])
        #expect(stats == CgroupStats())
    }

    @Test func v2CountersFromAFakeCgroup() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        let directory = try temp.makeCgroup("c1", [
            "cpu.stat": "usage_usec 5\nuser_usec 3\nsystem_usec 2\nnr_periods 7\nnr_throttled 1\nthrottled_usec 4\n",
            "memory.stat": "anon 100\nfile 200\n",
            "memory.current": "300\n", "memory.max": "max\n", "memory.events": "low 0\nhigh 0\nmax 3\noom 0\n",
            "memory.swap.current": "10\n", "memory.swap.max": "1000\n",
            "pids.current": "4\n", "pids.max": "64\n",
            "io.stat": "8:16 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n",
        ])

        let stats = try CgroupV2.Stats.read(directory: directory, hugePageSizes: [])

        #expect(stats.cpu.usage.total == 5000)
        #expect(stats.cpu.usage.user == 3000 && stats.cpu.usage.kernel == 2000)
        #expect(stats.cpu.throttling == .init(periods: 7, throttledPeriods: 1, throttledTime: 4000))
        #expect(stats.memory.cache == 200)
        #expect(stats.memory.usage == .init(limit: UInt64.max, usage: 300, max: nil, failcnt: 3))
        // v1's view: memory+swap, with an unlimited memory making the sum unlimited.
        #expect(stats.memory.swap == .init(limit: UInt64.max, usage: 310))
        #expect(stats.pids.current == 4 && stats.pids.limit == 64)
        #expect(stats.blkio.ioServiceBytesRecursive == [
            .init(major: 8, minor: 16, op: "Read", value: 4096), .init(major: 8, minor: 16, op: "Write", value: 8192),
        ])
        #expect(stats.blkio.ioServicedRecursive?.map(\.value) == [1, 2])
    }

    @Test func encodesRuncFieldNamesAndOmitsEmptyOnes() throws {
        var stats = CgroupStats()
        stats.cpu.usage.total = 10
        stats.cpu.usage.percpuKernel = [1]
        stats.pids.current = 1
        let json = String(decoding: try LiteJSONEncoder().encode(stats), as: UTF8.self)
        #expect(json.contains(#""usage":{"total":10,"percpu_kernel":[1],"kernel":0,"user":0}"#))
        #expect(json.contains(#""throttling":{}"#))
        #expect(json.contains(#""pids":{"current":1}"#))
        #expect(json.contains(#""usage":{"limit":0,"failcnt":0}"#))
    }

    @Test func hugePageSizesFromSysfsNames() throws {
        let temp = try TemporaryDirectory()
        defer { temp.remove() }
        try temp.makeCgroup("hugepages-2048kB")
        try temp.makeCgroup("hugepages-1048576kB")
        try temp.makeCgroup("hugepages-64kB")
        #expect(CgroupStats.hugePageSizes(directory: temp.path) == ["1GB", "2MB", "64KB"])
    }
}
