import OCIRuntimeSpec

extension CgroupV1 {
    /// The v1 hugetlb controller: hugetlb.<size>.limit_in_bytes.
    public enum Hugetlb {
        /// Writes each limit into `directory` ("2MB" → hugetlb.2MB.limit_in_bytes).
        /// - Throws: `BerthError` naming the file (a page size the kernel lacks is "not found").
        public static func apply(_ limits: [HugepageLimit], directory: String,
                                 files: any CgroupFiles = HostCgroupFiles()) throws {
            for limit in limits {
                try files.write(directory, "hugetlb.\(limit.pageSize).limit_in_bytes", String(limit.limit))
            }
        }
    }
}
