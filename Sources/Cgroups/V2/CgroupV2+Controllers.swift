import Diagnostics

extension CgroupV2 {
    /// cgroup.subtree_control: a v2 cgroup only gets the controllers its parent enables.
    public enum Controllers {
        /// Enables, in each directory of `chain` (top down, the new cgroup's ancestors), every
        /// controller its cgroup.controllers lists. Like runc, all at once first, then one by
        /// one ignoring refusals: a controller that cannot be delegated fails later, when its
        /// file is written, with a clearer error.
        public static func enableAll(in chain: [String], files: any CgroupFiles = HostCgroupFiles()) {
            for directory in chain {
                guard let available = try? files.read(directory, "cgroup.controllers") else { continue }
                let controllers = available.split(whereSeparator: { $0 == " " || $0 == "\n" })
                guard !controllers.isEmpty else { continue }
                let all = controllers.map { "+\($0)" }.joined(separator: " ")
                if (try? files.write(directory, "cgroup.subtree_control", all)) == nil {
                    for controller in controllers {
                        try? files.write(directory, "cgroup.subtree_control", "+\(controller)")
                    }
                }
            }
        }
    }
}
