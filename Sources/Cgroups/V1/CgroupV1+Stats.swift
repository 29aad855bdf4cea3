import Diagnostics

extension CgroupV1 {
    /// Usage counters from the v1 controllers (runc's `fs` GetStats, controller by controller).
    public enum Stats {
        /// USER_HZ: cpuacct.stat counts in clock ticks, which Linux fixes at 100 per second
        /// for user space (runc assumes the same).
        static let clockTicksPerSecond: UInt64 = 100
        static let nanosecondsPerSecond: UInt64 = 1_000_000_000

        /// Reads every counter of the mounted controllers.
        /// - Parameters:
        ///   - directory: the container's directory for a controller, nil when it is not mounted.
        ///   - hugePageSizes: the page sizes to report; the host's by default.
        /// - Throws: `BerthError` naming a control file that exists but cannot be read.
        public static func read(directory: (String) -> String?, files: any CgroupFiles = HostCgroupFiles(),
                                hugePageSizes: [String] = CgroupStats.hugePageSizes()) throws -> CgroupStats {
            var stats = CgroupStats()
            if let path = directory("cpuacct") { stats.cpu.usage = try cpuUsage(path, files) }
            if let path = directory("cpu") { stats.cpu.throttling = try throttling(path, files) }
            if let path = directory("memory") { stats.memory = try memory(path, files) }
            if let path = directory("pids") {
                stats.pids.current = try files.optionalNumber(path, "pids.current")
                stats.pids.limit = try files.optionalNumber(path, "pids.max")
            }
            if let path = directory("blkio") { stats.blkio = try blkio(path, files) }
            if let path = directory("hugetlb") {
                for size in hugePageSizes {
                    let prefix = "hugetlb.\(size)"
                    guard files.exists(path, "\(prefix).usage_in_bytes") else { continue }
                    stats.hugetlb[size] = CgroupStats.Hugetlb(
                        usage: try files.readNumber(path, "\(prefix).usage_in_bytes").nonZero,
                        max: try files.optionalNumber(path, "\(prefix).max_usage_in_bytes")?.nonZero,
                        failcnt: try files.optionalNumber(path, "\(prefix).failcnt") ?? 0)
                }
            }
            return stats
        }

        /// cpuacct.usage, .usage_percpu, .usage_all (per-cpu user/system) and .stat (ticks).
        static func cpuUsage(_ path: String, _ files: any CgroupFiles) throws -> CgroupStats.CPU.Usage {
            var usage = CgroupStats.CPU.Usage()
            usage.total = try files.optionalNumber(path, "cpuacct.usage")?.nonZero
            if let text = try files.optionalText(path, "cpuacct.usage_percpu") {
                usage.percpu = CgroupStats.numbers(text).nonEmpty
            }
            if let text = try files.optionalText(path, "cpuacct.usage_all") {
                // "cpu user system" then one "<cpu> <user ns> <system ns>" line per cpu.
                var user: [UInt64] = []
                var kernel: [UInt64] = []
                for line in text.split(separator: "\n").dropFirst() {
                    let fields = line.split(separator: " ").compactMap { UInt64($0) }
                    guard fields.count == 3 else { continue }
                    user.append(fields[1])
                    kernel.append(fields[2])
                }
                usage.percpuUser = user.nonEmpty
                usage.percpuKernel = kernel.nonEmpty
            }
            if let text = try files.optionalText(path, "cpuacct.stat") {
                let ticks = CgroupStats.keyValues(text)
                let scale = nanosecondsPerSecond / clockTicksPerSecond
                usage.user = (ticks["user"] ?? 0) * scale
                usage.kernel = (ticks["system"] ?? 0) * scale
            }
            return usage
        }

        /// cpu.stat: nr_periods, nr_throttled, throttled_time (ns).
        static func throttling(_ path: String, _ files: any CgroupFiles) throws -> CgroupStats.CPU.Throttling {
            guard let text = try files.optionalText(path, "cpu.stat") else { return .init() }
            let values = CgroupStats.keyValues(text)
            return .init(periods: values["nr_periods"]?.nonZero, throttledPeriods: values["nr_throttled"]?.nonZero,
                         throttledTime: values["throttled_time"]?.nonZero)
        }

        /// memory.stat and the usage/limit/max/failcnt quadruples of memory, memory+swap,
        /// kernel and kernel TCP memory.
        static func memory(_ path: String, _ files: any CgroupFiles) throws -> CgroupStats.Memory {
            var memory = CgroupStats.Memory()
            if let text = try files.optionalText(path, "memory.stat") {
                let raw = CgroupStats.keyValues(text)
                memory.raw = raw.isEmpty ? nil : raw
                memory.cache = raw["cache"]?.nonZero
            }
            memory.usage = try entry(path, "memory", files)
            memory.swap = try entry(path, "memory.memsw", files)
            memory.kernel = try entry(path, "memory.kmem", files)
            memory.kernelTCP = try entry(path, "memory.kmem.tcp", files)
            return memory
        }

        static func entry(_ path: String, _ prefix: String, _ files: any CgroupFiles) throws -> CgroupStats.MemoryEntry {
            CgroupStats.MemoryEntry(
                limit: try files.optionalNumber(path, "\(prefix).limit_in_bytes") ?? 0,
                usage: try files.optionalNumber(path, "\(prefix).usage_in_bytes")?.nonZero,
                max: try files.optionalNumber(path, "\(prefix).max_usage_in_bytes")?.nonZero,
                failcnt: try files.optionalNumber(path, "\(prefix).failcnt") ?? 0)
        }

        /// The CFQ files when the kernel has them, else BFQ's, else the throttling layer's
        /// (which counts every request, whatever the scheduler): runc's order.
        static func blkio(_ path: String, _ files: any CgroupFiles) throws -> CgroupStats.Blkio {
            var blkio = CgroupStats.Blkio()
            func entries(_ file: String) throws -> [CgroupStats.BlkioEntry]? {
                guard let text = try files.optionalText(path, file) else { return nil }
                return parseBlkio(text).nonEmpty
            }
            if let bytes = try entries("blkio.io_service_bytes_recursive") {
                blkio.ioServiceBytesRecursive = bytes
                blkio.ioServicedRecursive = try entries("blkio.io_serviced_recursive")
                blkio.ioQueueRecursive = try entries("blkio.io_queued_recursive")
                blkio.ioServiceTimeRecursive = try entries("blkio.io_service_time_recursive")
                blkio.ioWaitTimeRecursive = try entries("blkio.io_wait_time_recursive")
                blkio.ioMergedRecursive = try entries("blkio.io_merged_recursive")
                blkio.ioTimeRecursive = try entries("blkio.time_recursive")
                blkio.sectorsRecursive = try entries("blkio.sectors_recursive")
            } else if let bytes = try entries("blkio.bfq.io_service_bytes_recursive") {
                blkio.ioServiceBytesRecursive = bytes
                blkio.ioServicedRecursive = try entries("blkio.bfq.io_serviced_recursive")
            } else {
                blkio.ioServiceBytesRecursive = try entries("blkio.throttle.io_service_bytes_recursive")
                blkio.ioServicedRecursive = try entries("blkio.throttle.io_serviced_recursive")
            }
            return blkio
        }

        /// "8:0 Read 4096" (or "8:0 4096" for the time and sector files); "Total N" is skipped.
        static func parseBlkio(_ text: String) -> [CgroupStats.BlkioEntry] {
            text.split(separator: "\n").compactMap { line in
                let fields = line.split(separator: " ")
                guard fields.count == 2 || fields.count == 3 else { return nil }
                let device = fields[0].split(separator: ":")
                guard device.count == 2, let major = UInt64(device[0]), let minor = UInt64(device[1]),
                      let value = UInt64(fields[fields.count - 1]) else { return nil }
                return CgroupStats.BlkioEntry(major: major, minor: minor,
                                              op: fields.count == 3 ? String(fields[1]) : "", value: value)
            }
        }
    }
}

extension UInt64 {
    /// nil for 0: runc's `omitempty`.
    var nonZero: UInt64? { self == 0 ? nil : self }
}

extension Array {
    /// nil for an empty array: runc's `omitempty`.
    var nonEmpty: [Element]? { isEmpty ? nil : self }
}
