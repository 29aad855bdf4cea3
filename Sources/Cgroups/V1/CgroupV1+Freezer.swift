import Diagnostics

#if canImport(Glibc)
import Glibc
#endif

extension CgroupV1 {
    /// The v1 freezer controller: freezer.state (THAWED, FREEZING, FROZEN).
    public enum Freezer {
        /// Writes FROZEN until the state reads FROZEN. A v1 cgroup can stay FREEZING while new
        /// processes appear in it; like runc, retry, with an occasional thaw and short sleep,
        /// and give up thawed rather than leave it half frozen.
        /// - Throws: `BerthError` naming freezer.state, or `.system` when it never settles.
        public static func freeze(directory: String, files: any CgroupFiles = HostCgroupFiles()) throws {
            for attempt in 0..<1000 {
                if attempt % 50 == 49 {
                    try? files.write(directory, "freezer.state", "THAWED")
                    usleep(10_000)
                }
                try files.write(directory, "freezer.state", "FROZEN")
                if attempt % 25 == 24 { usleep(10) }
                switch try state(directory: directory, files: files) {
                case "FROZEN": return
                case "FREEZING": continue
                case let other:
                    throw BerthError(.system, "freeze cgroup \(directory): unexpected state \(other)")
                }
            }
            try? files.write(directory, "freezer.state", "THAWED")
            throw BerthError(.system, "freeze cgroup \(directory): still freezing after 1000 attempts")
        }

        /// Writes THAWED.
        /// - Throws: `BerthError` naming freezer.state.
        public static func thaw(directory: String, files: any CgroupFiles = HostCgroupFiles()) throws {
            try files.write(directory, "freezer.state", "THAWED")
        }

        /// freezer.state without the newline.
        public static func state(directory: String, files: any CgroupFiles = HostCgroupFiles()) throws -> String {
            try files.read(directory, "freezer.state").trimmingWhitespace()
        }
    }
}
