import Diagnostics
import OCIRuntimeSpec

extension CgroupV1 {
    /// Writes `resources` into the container's directories, one controller after another in
    /// runc's order (cpuset first: the others may depend on where the tasks run).
    /// - Parameters:
    ///   - directory: the container's directory for a controller, nil when it is not mounted.
    ///   - includeDevices: rewrite the device rules even when `resources.devices` is nil.
    /// - Throws: `BerthError` naming the file, or `.notFound` for a limit on a controller the
    ///   host has not mounted.
    static func apply(_ resources: Resources, includeDevices: Bool, files: any CgroupFiles,
                      directory: (String) -> String?) throws {
        func place(_ controller: String) throws -> String {
            guard let path = directory(controller) else {
                throw BerthError(.notFound, "set cgroup \(controller) limits: the \(controller) controller is not mounted")
            }
            return path
        }
        if let cpu = resources.cpu, (cpu.cpus ?? "") != "" || (cpu.mems ?? "") != "" {
            try Cpuset.apply(cpu, directory: place("cpuset"), files: files)
        }
        if includeDevices || resources.devices != nil {
            try Devices.apply(resources.devices ?? [], directory: place("devices"), files: files)
        }
        if let memory = resources.memory {
            try Memory.apply(memory, directory: place("memory"), files: files)
        }
        if let cpu = resources.cpu, cpu.hasCPUControllerValues {
            try CPU.apply(cpu, directory: place("cpu"), files: files)
        }
        if let pids = resources.pids {
            try Pids.apply(pids, directory: place("pids"), files: files)
        }
        if let blockIO = resources.blockIO {
            try Blkio.apply(blockIO, directory: place("blkio"), files: files)
        }
        if let limits = resources.hugepageLimits, !limits.isEmpty {
            try Hugetlb.apply(limits, directory: place("hugetlb"), files: files)
        }
        if let network = resources.network {
            if (network.classID ?? 0) != 0 {
                try Network.applyClass(network, directory: place("net_cls"), files: files)
            }
            if let priorities = network.priorities, !priorities.isEmpty {
                try Network.applyPriorities(network, directory: place("net_prio"), files: files)
            }
        }
        if let rdma = resources.rdma, !rdma.isEmpty {
            try Rdma.apply(rdma, directory: place("rdma"), files: files)
        }
        if let unified = resources.unified, !unified.isEmpty {
            throw BerthError.invalid("linux.resources.unified: cgroup v2 files need a cgroup v2 host")
        }
    }
}

extension CPUResources {
    /// Whether anything here is for the cpu controller (not cpuset).
    var hasCPUControllerValues: Bool {
        (shares ?? 0) != 0 || (quota ?? 0) != 0 || (period ?? 0) != 0 || burst != nil || idle != nil
            || (realtimeRuntime ?? 0) != 0 || (realtimePeriod ?? 0) != 0
    }
}
