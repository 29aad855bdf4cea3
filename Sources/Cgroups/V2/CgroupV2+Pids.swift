import OCIRuntimeSpec

extension CgroupV2 {
    /// The v2 pids controller: pids.max.
    public enum Pids {
        /// Writes `pids.limit` into `directory`; a limit of 0 or less means "max".
        /// - Throws: `BerthError` naming the file.
        public static func apply(_ pids: PidsResources, directory: String,
                                 files: any CgroupFiles = HostCgroupFiles()) throws {
            try files.write(directory, "pids.max", CgroupV1.Pids.pidsMax(pids.limit))
        }
    }
}
