import Diagnostics
import OCIRuntimeSpec

extension CgroupV2 {
    /// Writes `resources` into `directory`, controller by controller, `unified` last so its
    /// values win (runc's fs2 order).
    ///
    /// Device rules need an eBPF program on v2, which Berth does not load yet: they are not
    /// written here. net_cls and net_prio have no v2 files and are ignored, as runc does.
    /// - Throws: `BerthError` naming the file that failed.
    public static func apply(_ resources: Resources, directory: String,
                             files: any CgroupFiles = HostCgroupFiles()) throws {
        if let cpu = resources.cpu {
            try Cpuset.apply(cpu, directory: directory, files: files)
        }
        if let memory = resources.memory {
            try Memory.apply(memory, directory: directory, files: files)
        }
        if let cpu = resources.cpu, cpu.hasCPUControllerValues {
            try CPU.apply(cpu, directory: directory, files: files)
        }
        if let pids = resources.pids {
            try Pids.apply(pids, directory: directory, files: files)
        }
        if let blockIO = resources.blockIO {
            try IO.apply(blockIO, directory: directory, files: files)
        }
        if let limits = resources.hugepageLimits, !limits.isEmpty {
            try Hugetlb.apply(limits, directory: directory, files: files)
        }
        if let rdma = resources.rdma, !rdma.isEmpty {
            try CgroupV1.Rdma.apply(rdma, directory: directory, files: files)
        }
        if let unified = resources.unified, !unified.isEmpty {
            try Unified.apply(unified, directory: directory, files: files)
        }
    }
}
