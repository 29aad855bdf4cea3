import Diagnostics
import EngineState
import LiteJSON

extension Engine {
    /// The host pids of the container's processes.
    public func processes(_ id: String) throws -> [Int32] {
        try runtime(for: id).processes(id: id)
    }

    /// The container's cgroup statistics (runc's `events --stats` data).
    public func statistics(_ id: String) throws -> JSONValue {
        try runtime(for: id).stats(id: id)
    }
}
