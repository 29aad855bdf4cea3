import OCIRuntimeSpec

/// The manager for "no cgroups": every operation succeeds and does nothing. For tests, and
/// for hosts or callers that leave cgroups to someone else (crun's disabled manager).
public final class DisabledCgroupManager: CgroupManager {
    public init() {}

    public var paths: [String: String] { [:] }
    public var createdDirectories: [String] { [] }
    public func create(resources: Resources?) throws {}
    public func add(pid: Int32) throws {}
    public func apply(_ resources: Resources) throws {}
    public func pids() throws -> [Int32] { [] }
    public func destroy() throws {}
    public func freeze() throws {}
    public func thaw() throws {}
    public func isFrozen() -> Bool { false }
    public func killAll(signal: Int32) throws {}
    public func mountSources() -> [CgroupMountSource] { [] }
}
