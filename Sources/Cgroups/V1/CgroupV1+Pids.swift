import OCIRuntimeSpec

extension CgroupV1 {
    /// The v1 pids controller: pids.max.
    public enum Pids {
        /// Writes `pids.limit` into `directory`; a limit of 0 or less means "max".
        /// - Throws: `BerthError` naming the file.
        public static func apply(_ pids: PidsResources, directory: String,
                                 files: any CgroupFiles = HostCgroupFiles()) throws {
            try files.write(directory, "pids.max", pidsMax(pids.limit))
        }

        /// The pids.max value for an OCI limit (shared with v2).
        static func pidsMax(_ limit: Int64) -> String { limit > 0 ? String(limit) : "max" }
    }
}
