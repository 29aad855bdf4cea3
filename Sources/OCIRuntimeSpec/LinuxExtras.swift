/// `linux.intelRdt`: Intel Resource Director Technology (resctrl) settings.
public struct IntelRdt: Codable, Sendable, Equatable {
    public var closID: String?
    public var l3CacheSchema: String?
    public var memBwSchema: String?
    public var enableCMT: Bool?
    public var enableMBM: Bool?

    public init(closID: String? = nil) { self.closID = closID }
}

/// `linux.resources.network`: net_cls class id and net_prio priorities.
public struct NetworkResources: Codable, Sendable, Equatable {
    public var classID: UInt32?
    public var priorities: [InterfacePriority]?

    public init(classID: UInt32? = nil, priorities: [InterfacePriority]? = nil) {
        self.classID = classID
        self.priorities = priorities
    }
}

public struct InterfacePriority: Codable, Sendable, Equatable {
    public var name: String
    public var priority: UInt32

    public init(name: String, priority: UInt32) {
        self.name = name
        self.priority = priority
    }
}

/// One entry of `linux.resources.rdma`, keyed by device name.
public struct RdmaResource: Codable, Sendable, Equatable {
    public var hcaHandles: UInt32?
    public var hcaObjects: UInt32?

    public init(hcaHandles: UInt32? = nil, hcaObjects: UInt32? = nil) {
        self.hcaHandles = hcaHandles
        self.hcaObjects = hcaObjects
    }
}
