import OCIRuntimeSpec

extension CgroupV1 {
    /// The v1 blkio controller: weights (CFQ's blkio.weight or BFQ's blkio.bfq.weight, whichever
    /// the kernel has) and throttles.
    public enum Blkio {
        /// Writes `blockIO` into `directory` (0 or nil leaves a value alone), one line per device.
        /// - Throws: `BerthError` naming the file.
        public static func apply(_ blockIO: BlockIOResources, directory: String,
                                 files: any CgroupFiles = HostCgroupFiles()) throws {
            // CFQ is gone from recent kernels; BFQ's files carry the same values.
            let cfq = files.exists(directory, "blkio.weight")
            let weightFile = cfq ? "blkio.weight" : "blkio.bfq.weight"
            let weightDeviceFile = cfq ? "blkio.weight_device" : "blkio.bfq.weight_device"
            if let weight = blockIO.weight, weight != 0 {
                try files.write(directory, weightFile, String(weight))
            }
            if let leafWeight = blockIO.leafWeight, leafWeight != 0 {
                try files.write(directory, "blkio.leaf_weight", String(leafWeight))
            }
            for device in blockIO.weightDevice ?? [] {
                if let weight = device.weight, weight != 0 {
                    try files.write(directory, weightDeviceFile, "\(device.major):\(device.minor) \(weight)")
                }
                if let leafWeight = device.leafWeight, leafWeight != 0 {
                    try files.write(directory, "blkio.leaf_weight_device", "\(device.major):\(device.minor) \(leafWeight)")
                }
            }
            let throttles: [(String, [ThrottleDevice]?)] = [
                ("blkio.throttle.read_bps_device", blockIO.throttleReadBpsDevice),
                ("blkio.throttle.write_bps_device", blockIO.throttleWriteBpsDevice),
                ("blkio.throttle.read_iops_device", blockIO.throttleReadIOPSDevice),
                ("blkio.throttle.write_iops_device", blockIO.throttleWriteIOPSDevice),
            ]
            for (file, devices) in throttles {
                for device in devices ?? [] {
                    try files.write(directory, file, "\(device.major):\(device.minor) \(device.rate)")
                }
            }
        }
    }
}
