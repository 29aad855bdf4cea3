import OCIRuntimeSpec

extension CgroupV2 {
    /// The v2 io controller: io.bfq.weight or io.weight, and io.max.
    public enum IO {
        /// Writes `blockIO` into `directory`. BFQ's io.bfq.weight takes the v1 weight as it is;
        /// without BFQ, io.weight gets the converted value (`CgroupV2.ioWeight`). Throttles go
        /// to io.max as "major:minor rbps=N" (wbps, riops, wiops).
        /// - Throws: `BerthError` naming the file.
        public static func apply(_ blockIO: BlockIOResources, directory: String,
                                 files: any CgroupFiles = HostCgroupFiles()) throws {
            let bfq = files.exists(directory, "io.bfq.weight")
            func weightValue(_ weight: UInt16) -> String {
                bfq ? String(weight) : String(CgroupV2.ioWeight(fromBlkioWeight: weight))
            }
            let weightFile = bfq ? "io.bfq.weight" : "io.weight"
            if let weight = blockIO.weight, weight != 0 {
                try files.write(directory, weightFile, weightValue(weight))
            }
            for device in blockIO.weightDevice ?? [] {
                if let weight = device.weight, weight != 0 {
                    try files.write(directory, weightFile, "\(device.major):\(device.minor) \(weightValue(weight))")
                }
            }
            let throttles: [(String, [ThrottleDevice]?)] = [
                ("rbps", blockIO.throttleReadBpsDevice),
                ("wbps", blockIO.throttleWriteBpsDevice),
                ("riops", blockIO.throttleReadIOPSDevice),
                ("wiops", blockIO.throttleWriteIOPSDevice),
            ]
            for (key, devices) in throttles {
                for device in devices ?? [] {
                    try files.write(directory, "io.max", "\(device.major):\(device.minor) \(key)=\(device.rate)")
                }
            }
        }
    }
}
