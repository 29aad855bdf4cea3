import OCIRuntimeSpec

extension CgroupV2 {
    /// The v2 cpuset controller: cpuset.cpus and cpuset.mems (an empty v2 cpuset means "the
    /// parent's", so nothing needs copying down as on v1).
    public enum Cpuset {
        /// Writes `cpu.cpus` then `cpu.mems` into `directory` when they are not empty.
        /// - Throws: `BerthError` naming the file.
        public static func apply(_ cpu: CPUResources, directory: String,
                                 files: any CgroupFiles = HostCgroupFiles()) throws {
            if let cpus = cpu.cpus, !cpus.isEmpty {
                try files.write(directory, "cpuset.cpus", cpus)
            }
            if let mems = cpu.mems, !mems.isEmpty {
                try files.write(directory, "cpuset.mems", mems)
            }
        }
    }
}
