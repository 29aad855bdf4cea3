import OCIRuntimeSpec

extension CgroupV2 {
    /// The v2 hugetlb controller: hugetlb.<size>.max.
    public enum Hugetlb {
        /// Writes each limit into `directory` ("2MB" → hugetlb.2MB.max).
        /// - Throws: `BerthError` naming the file.
        public static func apply(_ limits: [HugepageLimit], directory: String,
                                 files: any CgroupFiles = HostCgroupFiles()) throws {
            for limit in limits {
                try files.write(directory, "hugetlb.\(limit.pageSize).max", String(limit.limit))
            }
        }
    }
}
