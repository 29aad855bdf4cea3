import OCIRuntimeSpec

extension CgroupV1 {
    /// The v1 net_cls and net_prio controllers (often one "net_cls,net_prio" hierarchy).
    public enum Network {
        /// Writes the class id to net_cls.classid when it is not 0.
        /// - Throws: `BerthError` naming the file.
        public static func applyClass(_ network: NetworkResources, directory: String,
                                      files: any CgroupFiles = HostCgroupFiles()) throws {
            if let classID = network.classID, classID != 0 {
                try files.write(directory, "net_cls.classid", String(classID))
            }
        }

        /// Writes each interface priority to net_prio.ifpriomap as "name priority".
        /// - Throws: `BerthError` naming the file.
        public static func applyPriorities(_ network: NetworkResources, directory: String,
                                           files: any CgroupFiles = HostCgroupFiles()) throws {
            for priority in network.priorities ?? [] {
                try files.write(directory, "net_prio.ifpriomap", "\(priority.name) \(priority.priority)")
            }
        }
    }
}
