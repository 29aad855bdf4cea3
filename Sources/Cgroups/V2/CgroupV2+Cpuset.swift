import OCIRuntimeSpec

extension CgroupV2 {
    /// The v2 cpuset controller: cpuset.cpus and cpuset.mems (an empty v2 cpuset means "the
    /// parent's", so nothing needs copying down as on v1).
    public enum Cpuset {
        /// Writes `cpu.cpus` then `cpu.mems` into `directory` when they are not empty: the same
        /// files as v1's.
        /// - Throws: `BerthError` naming the file.
        public static func apply(_ cpu: CPUResources, directory: String,
                                 files: any CgroupFiles = HostCgroupFiles()) throws {
            try CgroupV1.Cpuset.apply(cpu, directory: directory, files: files)
        }
    }
}
