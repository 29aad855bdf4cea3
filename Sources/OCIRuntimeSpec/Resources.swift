/// `linux.resources`: what the container's cgroup limits.
public struct Resources: Codable, Sendable, Equatable {
    public var devices: [DeviceRule]?
    public var memory: MemoryResources?
    public var cpu: CPUResources?
    public var pids: PidsResources?
    public var blockIO: BlockIOResources?
    public var hugepageLimits: [HugepageLimit]?
    public var network: NetworkResources?
    public var rdma: [String: RdmaResource]?
    /// cgroup v2 files written as they are ("memory.high": "1G").
    public var unified: [String: String]?

    public init(devices: [DeviceRule]? = nil, memory: MemoryResources? = nil, cpu: CPUResources? = nil,
                pids: PidsResources? = nil, blockIO: BlockIOResources? = nil) {
        self.devices = devices
        self.memory = memory
        self.cpu = cpu
        self.pids = pids
        self.blockIO = blockIO
    }
}

/// A device-cgroup rule: `{"allow": false, "access": "rwm"}` denies everything.
public struct DeviceRule: Codable, Sendable, Equatable {
    public var allow: Bool
    /// "a" (all), "c" or "b"; nil means all.
    public var type: String?
    public var major: Int64?
    public var minor: Int64?
    public var access: String?

    public init(allow: Bool, type: String? = nil, major: Int64? = nil, minor: Int64? = nil, access: String? = nil) {
        self.allow = allow
        self.type = type
        self.major = major
        self.minor = minor
        self.access = access
    }
}

public struct MemoryResources: Codable, Sendable, Equatable {
    public var limit: Int64?
    public var reservation: Int64?
    /// Memory plus swap (v1 `memory.memsw.limit_in_bytes`).
    public var swap: Int64?
    public var kernel: Int64?
    public var kernelTCP: Int64?
    public var swappiness: UInt64?
    public var disableOOMKiller: Bool?
    public var useHierarchy: Bool?
    public var checkBeforeUpdate: Bool?

    public init(limit: Int64? = nil, reservation: Int64? = nil, swap: Int64? = nil,
                swappiness: UInt64? = nil, disableOOMKiller: Bool? = nil) {
        self.limit = limit
        self.reservation = reservation
        self.swap = swap
        self.swappiness = swappiness
        self.disableOOMKiller = disableOOMKiller
    }
}

public struct CPUResources: Codable, Sendable, Equatable {
    public var shares: UInt64?
    public var quota: Int64?
    public var burst: UInt64?
    public var period: UInt64?
    public var realtimeRuntime: Int64?
    public var realtimePeriod: UInt64?
    public var cpus: String?
    public var mems: String?
    public var idle: Int64?

    public init(shares: UInt64? = nil, quota: Int64? = nil, period: UInt64? = nil,
                cpus: String? = nil, mems: String? = nil) {
        self.shares = shares
        self.quota = quota
        self.period = period
        self.cpus = cpus
        self.mems = mems
    }
}

public struct PidsResources: Codable, Sendable, Equatable {
    public var limit: Int64

    public init(limit: Int64) { self.limit = limit }
}

public struct BlockIOResources: Codable, Sendable, Equatable {
    public var weight: UInt16?
    public var leafWeight: UInt16?
    public var weightDevice: [WeightDevice]?
    public var throttleReadBpsDevice: [ThrottleDevice]?
    public var throttleWriteBpsDevice: [ThrottleDevice]?
    public var throttleReadIOPSDevice: [ThrottleDevice]?
    public var throttleWriteIOPSDevice: [ThrottleDevice]?

    public init(weight: UInt16? = nil) { self.weight = weight }
}

public struct WeightDevice: Codable, Sendable, Equatable {
    public var major: Int64
    public var minor: Int64
    public var weight: UInt16?
    public var leafWeight: UInt16?
}

public struct ThrottleDevice: Codable, Sendable, Equatable {
    public var major: Int64
    public var minor: Int64
    public var rate: UInt64
}

public struct HugepageLimit: Codable, Sendable, Equatable {
    public var pageSize: String
    public var limit: UInt64
}
