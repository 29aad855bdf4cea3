extension CgroupV2 {
    /// Usage counters from one cgroup2 directory, in runc's v1-shaped fields (runc's `fs2`
    /// GetStats): microseconds become nanoseconds, memory+swap is reported as v1 counts it.
    public enum Stats {
        /// Reads every counter the directory has.
        /// - Parameter hugePageSizes: the page sizes to report; the host's by default.
        /// - Throws: `BerthError` naming a control file that exists but cannot be read.
        public static func read(directory: String, files: any CgroupFiles = HostCgroupFiles(),
                                hugePageSizes: [String] = CgroupStats.hugePageSizes()) throws -> CgroupStats {
            var stats = CgroupStats()
            if let text = try files.optionalText(directory, "cpu.stat") {
                let values = CgroupStats.keyValues(text)
                stats.cpu.usage.total = values["usage_usec"].map { $0 * 1000 }?.nonZero
                stats.cpu.usage.user = (values["user_usec"] ?? 0) * 1000
                stats.cpu.usage.kernel = (values["system_usec"] ?? 0) * 1000
                stats.cpu.throttling = .init(periods: values["nr_periods"]?.nonZero,
                                             throttledPeriods: values["nr_throttled"]?.nonZero,
                                             throttledTime: values["throttled_usec"].map { $0 * 1000 }?.nonZero)
            }
            stats.memory = try memory(directory, files)
            stats.pids.current = try files.optionalNumber(directory, "pids.current")
            stats.pids.limit = try files.optionalNumber(directory, "pids.max")
            if let text = try files.optionalText(directory, "io.stat") {
                let (bytes, ios) = parseIOStat(text)
                stats.blkio.ioServiceBytesRecursive = bytes.nonEmpty
                stats.blkio.ioServicedRecursive = ios.nonEmpty
            }
            for size in hugePageSizes where files.exists(directory, "hugetlb.\(size).current") {
                let events = try files.optionalText(directory, "hugetlb.\(size).events").map(CgroupStats.keyValues)
                stats.hugetlb[size] = CgroupStats.Hugetlb(
                    usage: try files.readNumber(directory, "hugetlb.\(size).current").nonZero,
                    max: nil, failcnt: events?["max"] ?? 0)
            }
            return stats
        }

        /// memory.stat, memory.current/max/peak, memory.swap.current/max, memory.events.
        static func memory(_ directory: String, _ files: any CgroupFiles) throws -> CgroupStats.Memory {
            var memory = CgroupStats.Memory()
            if let text = try files.optionalText(directory, "memory.stat") {
                let raw = CgroupStats.keyValues(text)
                memory.raw = raw.isEmpty ? nil : raw
                memory.cache = raw["file"]?.nonZero
            }
            guard files.exists(directory, "memory.current") else { return memory }
            let current = try files.readNumber(directory, "memory.current")
            // "max" reads as UInt64.max: runc reports an unlimited v2 limit the same way.
            let limit = files.exists(directory, "memory.max") ? try files.readNumber(directory, "memory.max") : UInt64.max
            let events = try files.optionalText(directory, "memory.events").map(CgroupStats.keyValues)
            memory.usage = CgroupStats.MemoryEntry(
                limit: limit, usage: current.nonZero,
                max: try files.optionalNumber(directory, "memory.peak")?.nonZero, failcnt: events?["max"] ?? 0)
            if files.exists(directory, "memory.swap.current") {
                // v1 counts memory+swap together; so do runc's v2 stats.
                let swap = try files.readNumber(directory, "memory.swap.current")
                let swapLimit = files.exists(directory, "memory.swap.max")
                    ? try files.readNumber(directory, "memory.swap.max") : UInt64.max
                let total = swapLimit.addingReportingOverflow(limit)
                memory.swap = CgroupStats.MemoryEntry(limit: total.overflow ? UInt64.max : total.partialValue,
                                                      usage: (swap + current).nonZero)
            }
            return memory
        }

        /// io.stat lines ("8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0") as runc's
        /// Read/Write entries of bytes and of operations.
        static func parseIOStat(_ text: String) -> (bytes: [CgroupStats.BlkioEntry], ios: [CgroupStats.BlkioEntry]) {
            var bytes: [CgroupStats.BlkioEntry] = []
            var ios: [CgroupStats.BlkioEntry] = []
            for line in text.split(separator: "\n") {
                let fields = line.split(separator: " ")
                guard let first = fields.first else { continue }
                let device = first.split(separator: ":")
                guard device.count == 2, let major = UInt64(device[0]), let minor = UInt64(device[1]) else { continue }
                for field in fields.dropFirst() {
                    let pair = field.split(separator: "=")
                    guard pair.count == 2, let value = UInt64(pair[1]) else { continue }
                    switch pair[0] {
                    case "rbytes": bytes.append(.init(major: major, minor: minor, op: "Read", value: value))
                    case "wbytes": bytes.append(.init(major: major, minor: minor, op: "Write", value: value))
                    case "rios": ios.append(.init(major: major, minor: minor, op: "Read", value: value))
                    case "wios": ios.append(.init(major: major, minor: minor, op: "Write", value: value))
                    default: continue
                    }
                }
            }
            return (bytes, ios)
        }
    }
}
