import Diagnostics

#if canImport(Glibc)
import Glibc
#endif

extension CgroupV2 {
    /// The v2 freezer: cgroup.freeze, with cgroup.events reporting "frozen 1" once it is done.
    public enum Freezer {
        /// Writes 1 (freeze) or 0 (thaw) to cgroup.freeze and waits, up to about a second,
        /// until cgroup.events agrees.
        /// - Throws: `BerthError` naming the file, or `.system` when the state does not settle.
        public static func set(frozen: Bool, directory: String,
                               files: any CgroupFiles = HostCgroupFiles()) throws {
            try files.write(directory, "cgroup.freeze", frozen ? "1" : "0")
            let deadline = Deadline(milliseconds: 1000)
            var delay: UInt32 = 1000
            while try isFrozen(events: files.read(directory, "cgroup.events")) != frozen {
                guard !deadline.hasPassed else {
                    throw BerthError(.system, "\(frozen ? "freeze" : "thaw") cgroup \(directory): timed out waiting for cgroup.events")
                }
                usleep(delay)
                delay = min(delay * 2, 50_000)
            }
        }

        /// Whether cgroup.events text says "frozen 1".
        static func isFrozen(events: String) -> Bool {
            events.split(separator: "\n").contains { String($0).trimmingWhitespace() == "frozen 1" }
        }
    }
}
