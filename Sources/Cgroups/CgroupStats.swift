import LinuxSyscalls

/// A container's resource usage, as `events --stats` prints it: the field names and units of
/// runc's `types.Stats` (`runc/types/events.go`), so tools that parse runc's output parse ours.
/// Optional fields are runc's `omitempty` ones: nil when zero or unknown.
public struct CgroupStats: Codable, Sendable, Equatable {
    public var cpu = CPU()
    public var memory = Memory()
    public var pids = Pids()
    public var blkio = Blkio()
    /// Page size ("2MB", "1GB") → usage.
    public var hugetlb: [String: Hugetlb] = [:]

    public init() {}

    /// cpuacct (v1) or cpu.stat (v2). Times are in nanoseconds.
    public struct CPU: Codable, Sendable, Equatable {
        public var usage = Usage()
        public var throttling = Throttling()

        public struct Usage: Codable, Sendable, Equatable {
            public var total: UInt64?
            public var percpu: [UInt64]?
            public var percpuKernel: [UInt64]?
            public var percpuUser: [UInt64]?
            public var kernel: UInt64 = 0
            public var user: UInt64 = 0

            enum CodingKeys: String, CodingKey {
                case total, percpu, percpuKernel = "percpu_kernel", percpuUser = "percpu_user", kernel, user
            }
        }

        public struct Throttling: Codable, Sendable, Equatable {
            public var periods: UInt64?
            public var throttledPeriods: UInt64?
            public var throttledTime: UInt64?

            public init(periods: UInt64? = nil, throttledPeriods: UInt64? = nil, throttledTime: UInt64? = nil) {
                self.periods = periods
                self.throttledPeriods = throttledPeriods
                self.throttledTime = throttledTime
            }
        }
    }

    /// One memory counter set: memory, memory+swap, kernel or kernel TCP memory.
    public struct MemoryEntry: Codable, Sendable, Equatable {
        public var limit: UInt64 = 0
        public var usage: UInt64?
        public var max: UInt64?
        public var failcnt: UInt64 = 0

        public init(limit: UInt64 = 0, usage: UInt64? = nil, max: UInt64? = nil, failcnt: UInt64 = 0) {
            self.limit = limit
            self.usage = usage
            self.max = max
            self.failcnt = failcnt
        }
    }

    public struct Memory: Codable, Sendable, Equatable {
        /// Page cache bytes (v1 `cache`, v2 `file`).
        public var cache: UInt64?
        public var usage = MemoryEntry()
        public var swap = MemoryEntry()
        public var kernel = MemoryEntry()
        public var kernelTCP = MemoryEntry()
        /// memory.stat as it is.
        public var raw: [String: UInt64]?
    }

    public struct Pids: Codable, Sendable, Equatable {
        public var current: UInt64?
        /// nil when unlimited.
        public var limit: UInt64?
    }

    /// One line of a blkio/io file: device, operation ("Read", "Write", "Sync", "Async",
    /// "Discard", "Total") and value.
    public struct BlkioEntry: Codable, Sendable, Equatable {
        public var major: UInt64?
        public var minor: UInt64?
        public var op: String?
        public var value: UInt64?

        public init(major: UInt64, minor: UInt64, op: String, value: UInt64) {
            self.major = major == 0 ? nil : major
            self.minor = minor == 0 ? nil : minor
            self.op = op.isEmpty ? nil : op
            self.value = value == 0 ? nil : value
        }
    }

    public struct Blkio: Codable, Sendable, Equatable {
        public var ioServiceBytesRecursive: [BlkioEntry]?
        public var ioServicedRecursive: [BlkioEntry]?
        public var ioQueueRecursive: [BlkioEntry]?
        public var ioServiceTimeRecursive: [BlkioEntry]?
        public var ioWaitTimeRecursive: [BlkioEntry]?
        public var ioMergedRecursive: [BlkioEntry]?
        public var ioTimeRecursive: [BlkioEntry]?
        public var sectorsRecursive: [BlkioEntry]?
    }

    public struct Hugetlb: Codable, Sendable, Equatable {
        public var usage: UInt64?
        public var max: UInt64?
        public var failcnt: UInt64 = 0

        public init(usage: UInt64? = nil, max: UInt64? = nil, failcnt: UInt64 = 0) {
            self.usage = usage
            self.max = max
            self.failcnt = failcnt
        }
    }
}

// MARK: - Reading

extension CgroupManager {
    /// The usage counters of the container's cgroups; controllers that are not mounted, or
    /// files an older kernel lacks, leave their fields empty.
    /// - Throws: `BerthError` when a control file exists but cannot be read or parsed.
    public func stats() throws -> CgroupStats {
        switch self {
        case let manager as V1CgroupManager:
            return try CgroupV1.Stats.read(directory: manager.directory(of:), files: manager.files)
        case let manager as V2CgroupManager:
            return try CgroupV2.Stats.read(directory: manager.directory, files: manager.files)
        default:
            return CgroupStats()
        }
    }
}

extension CgroupStats {
    /// The huge page sizes of this host, as the hugetlb files name them ("2MB", "1GB"), from
    /// /sys/kernel/mm/hugepages/hugepages-<n>kB (runc's `HugePageSizes`).
    public static func hugePageSizes(directory: String = "/sys/kernel/mm/hugepages") -> [String] {
        guard let names = try? Files.list(directory) else { return [] }
        return names.compactMap { name -> String? in
            guard name.hasPrefix("hugepages-"), name.hasSuffix("kB"),
                  var size = UInt64(name.dropFirst("hugepages-".count).dropLast(2)) else { return nil }
            var unit = 0
            let units = ["KB", "MB", "GB", "TB", "PB"]
            while size >= 1024 && size % 1024 == 0 && unit < units.count - 1 {
                size /= 1024
                unit += 1
            }
            return "\(size)\(units[unit])"
        }.sorted()
    }

    /// "key value" lines (memory.stat, cpu.stat, cpuacct.stat) → a dictionary; other lines are
    /// skipped.
    static func keyValues(_ text: String) -> [String: UInt64] {
        var result: [String: UInt64] = [:]
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if fields.count == 2, let value = UInt64(fields[1]) { result[String(fields[0])] = value }
        }
        return result
    }

    /// Space-separated numbers (cpuacct.usage_percpu).
    static func numbers(_ text: String) -> [UInt64] {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt64($0) }
    }
}

extension CgroupFiles {
    /// `file` as a number, or nil when the file is missing (an older kernel, no swap accounting)
    /// or holds "max".
    func optionalNumber(_ directory: String, _ file: String) throws -> UInt64? {
        guard exists(directory, file) else { return nil }
        let value = try readNumber(directory, file)
        return value == UInt64.max ? nil : value
    }

    /// `file`'s text, or nil when it does not exist.
    func optionalText(_ directory: String, _ file: String) throws -> String? {
        exists(directory, file) ? try read(directory, file) : nil
    }
}
