import Diagnostics
import OCIRuntimeSpec

extension CgroupV1 {
    /// The v1 cpuset controller: cpuset.cpus and cpuset.mems.
    public enum Cpuset {
        /// A new v1 cpuset cgroup starts with empty cpus and mems, and the kernel refuses to
        /// move a process into it (ENOSPC). Copies the parent's values into every level from
        /// below `hierarchyRoot` down to `directory` that is still empty, top down (runc's
        /// ensureParent).
        /// - Throws: `BerthError` naming the file that could not be read or written.
        public static func inheritParents(directory: String, hierarchyRoot: String,
                                          files: any CgroupFiles = HostCgroupFiles()) throws {
            guard directory.count > hierarchyRoot.count, directory.hasPrefix(hierarchyRoot) else { return }
            var parent = hierarchyRoot
            for component in directory.dropFirst(hierarchyRoot.count).split(separator: "/") {
                let current = "\(parent)/\(component)"
                for file in ["cpuset.cpus", "cpuset.mems"] {
                    if try files.read(current, file).trimmingWhitespace().isEmpty {
                        let inherited = try files.read(parent, file).trimmingWhitespace()
                        try files.write(current, file, inherited)
                    }
                }
                parent = current
            }
        }

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
