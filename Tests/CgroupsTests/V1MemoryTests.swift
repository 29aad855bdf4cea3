import Diagnostics
import OCIRuntimeSpec
import Testing
@testable import Cgroups

#if canImport(Glibc)
import Glibc
#endif

@Suite struct V1MemoryTests {
    static let unlimited = "9223372036854771712\n"

    func cgroup(limit: String = unlimited, swapFile: Bool = true) throws -> (TemporaryDirectory, String) {
        let temp = try TemporaryDirectory()
        var files = ["memory.limit_in_bytes": limit, "memory.soft_limit_in_bytes": "", "memory.oom_control": "",
                     "memory.swappiness": "60\n", "memory.usage_in_bytes": "4096\n", "memory.max_usage_in_bytes": "8192\n"]
        if swapFile { files["memory.memsw.limit_in_bytes"] = limit }
        return (temp, try temp.makeCgroup("memory/c1", files))
    }

    @Test func everyFieldInOrder() throws {
        let (temp, dir) = try cgroup()
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        let memory = MemoryResources(limit: 64 << 20, reservation: 32 << 20, swappiness: 10, disableOOMKiller: true)
        try CgroupV1.Memory.apply(memory, directory: dir, files: files)
        #expect(files.log == ["memory.limit_in_bytes=67108864", "memory.soft_limit_in_bytes=33554432",
                              "memory.oom_control=1", "memory.swappiness=10"])
        #expect(try temp.read("memory/c1/memory.limit_in_bytes") == "67108864")
    }

    @Test func raisingWritesSwapFirst() throws {
        let (temp, dir) = try cgroup(limit: "67108864\n")
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        try CgroupV1.Memory.apply(MemoryResources(limit: 128 << 20, swap: 256 << 20), directory: dir, files: files)
        #expect(files.log == ["memory.memsw.limit_in_bytes=268435456", "memory.limit_in_bytes=134217728"])
    }

    @Test func loweringWritesLimitFirst() throws {
        let (temp, dir) = try cgroup(limit: "536870912\n")
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        try CgroupV1.Memory.apply(MemoryResources(limit: 128 << 20, swap: 256 << 20), directory: dir, files: files)
        #expect(files.log == ["memory.limit_in_bytes=134217728", "memory.memsw.limit_in_bytes=268435456"])
    }

    @Test func unlimitedMemoryMakesSwapUnlimited() throws {
        let (temp, dir) = try cgroup(limit: "67108864\n")
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        try CgroupV1.Memory.apply(MemoryResources(limit: -1), directory: dir, files: files)
        #expect(files.log == ["memory.memsw.limit_in_bytes=-1", "memory.limit_in_bytes=-1"])
    }

    @Test func unlimitedMemoryWithoutSwapAccounting() throws {
        let (temp, dir) = try cgroup(swapFile: false)
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        try CgroupV1.Memory.apply(MemoryResources(limit: -1), directory: dir, files: files)
        #expect(files.log == ["memory.limit_in_bytes=-1"])
    }

    @Test func swapWithoutSwapAccountingIsAClearError() throws {
        let (temp, dir) = try cgroup(swapFile: false)
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        let error = #expect(throws: BerthError.self) {
            try CgroupV1.Memory.apply(MemoryResources(limit: 64 << 20, swap: 128 << 20), directory: dir, files: files)
        }
        #expect(error?.code == .invalidArgument)
        #expect(error?.message == "set cgroup memory.memsw.limit_in_bytes \(dir): swap limit not supported: the kernel does not account swap (swapaccount=1)")
        #expect(files.log == ["memory.limit_in_bytes=67108864"])
    }

    @Test func swappinessOver100IsRejectedAndMinusOneSkipped() throws {
        let (temp, dir) = try cgroup()
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        let error = #expect(throws: BerthError.self) {
            try CgroupV1.Memory.apply(MemoryResources(swappiness: 101), directory: dir, files: files)
        }
        #expect(error?.message == "set cgroup memory.swappiness \(dir): invalid value 101 (valid range is 0-100)")
        try CgroupV1.Memory.apply(MemoryResources(swappiness: UInt64.max), directory: dir, files: files)
        #expect(files.log.isEmpty)
    }

    @Test func limitBelowUsageNamesTheUsage() throws {
        let (temp, dir) = try cgroup()
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        files.failures["memory.limit_in_bytes"] = [EBUSY]
        let error = #expect(throws: BerthError.self) {
            try CgroupV1.Memory.apply(MemoryResources(limit: 1024), directory: dir, files: files)
        }
        #expect(error?.errno == EBUSY)
        #expect(error?.message == "set cgroup memory.limit_in_bytes \(dir): device or resource busy (limit 1024 is below the current usage 4096, peak 8192)")
    }

    @Test func zeroAndNilChangeNothing() throws {
        let (temp, dir) = try cgroup()
        defer { temp.remove() }
        let files = RecordingCgroupFiles()
        try CgroupV1.Memory.apply(MemoryResources(limit: 0, reservation: 0, swap: 0, disableOOMKiller: false),
                                  directory: dir, files: files)
        #expect(files.log.isEmpty)
    }
}
