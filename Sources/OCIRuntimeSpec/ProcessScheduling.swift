/// `process.scheduler` (runtime-spec 1.2): the sched_setattr(2) policy of the process.
public struct Scheduler: Codable, Sendable, Equatable {
    /// `SCHED_OTHER`, `SCHED_FIFO`, `SCHED_RR`, `SCHED_BATCH`, `SCHED_ISO`, `SCHED_IDLE` or `SCHED_DEADLINE`.
    public var policy: String
    public var nice: Int32?
    public var priority: Int32?
    /// `SCHED_FLAG_RESET_ON_FORK`, `SCHED_FLAG_RECLAIM`, ...
    public var flags: [String]?
    /// Nanoseconds, for `SCHED_DEADLINE`.
    public var runtime: UInt64?
    public var deadline: UInt64?
    public var period: UInt64?

    public init(policy: String) { self.policy = policy }
}

/// `process.ioPriority` (runtime-spec 1.2): the ioprio_set(2) class and level.
public struct IOPriority: Codable, Sendable, Equatable {
    /// `IOPRIO_CLASS_RT`, `IOPRIO_CLASS_BE` or `IOPRIO_CLASS_IDLE`.
    public var `class`: String
    public var priority: Int?

    public init(class: String, priority: Int? = nil) {
        self.class = `class`
        self.priority = priority
    }
}

/// `process.execCPUAffinity` (runtime-spec 1.2): CPU lists ("0-3,7") for the runtime's exec
/// process before and after it joins the container's cgroup.
public struct CPUAffinity: Codable, Sendable, Equatable {
    public var initial: String?
    public var final: String?

    public init(initial: String? = nil, final: String? = nil) {
        self.initial = initial
        self.final = final
    }
}
