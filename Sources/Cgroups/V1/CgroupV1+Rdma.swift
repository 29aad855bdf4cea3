import OCIRuntimeSpec

extension CgroupV1 {
    /// The rdma controller: rdma.max, the same file on v1 and v2.
    public enum Rdma {
        /// Writes one line per device, in device-name order: "mlx4_0 hca_handle=2 hca_object=2000"
        /// (a limit left out stays as it is).
        /// - Throws: `BerthError` naming the file.
        public static func apply(_ limits: [String: RdmaResource], directory: String,
                                 files: any CgroupFiles = HostCgroupFiles()) throws {
            for (device, limit) in limits.sorted(by: { $0.key < $1.key }) {
                var line = device
                if let handles = limit.hcaHandles { line += " hca_handle=\(handles)" }
                if let objects = limit.hcaObjects { line += " hca_object=\(objects)" }
                try files.write(directory, "rdma.max", line)
            }
        }
    }
}
