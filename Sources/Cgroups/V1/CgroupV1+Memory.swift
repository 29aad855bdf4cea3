import Diagnostics
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

extension CgroupV1 {
    /// The v1 memory controller: memory.limit_in_bytes, memory.memsw.limit_in_bytes,
    /// memory.soft_limit_in_bytes, memory.oom_control, memory.swappiness.
    public enum Memory {
        static let limitFile = "memory.limit_in_bytes"
        static let swapFile = "memory.memsw.limit_in_bytes"

        /// Writes `memory` into `directory`. 0 or nil leaves a value alone, -1 means unlimited;
        /// `swap` is memory plus swap, as v1 counts it.
        /// - Throws: `BerthError` naming the file; `.invalidArgument` when swap is asked for on a
        ///   kernel without swap accounting or swappiness is over 100.
        public static func apply(_ memory: MemoryResources, directory: String,
                                 files: any CgroupFiles = HostCgroupFiles()) throws {
            try setLimitAndSwap(limit: memory.limit ?? 0, swap: memory.swap ?? 0, directory: directory, files: files)
            // kernel and kernelTCP are ignored, as runc does: the kernel deprecated them.
            if let reservation = memory.reservation, reservation != 0 {
                try files.write(directory, "memory.soft_limit_in_bytes", String(reservation))
            }
            if memory.disableOOMKiller == true {
                try files.write(directory, "memory.oom_control", "1")
            }
            // -1 arrives as UInt64.max through the spec's unsigned type: "leave it alone".
            if let swappiness = memory.swappiness, swappiness != UInt64.max {
                guard swappiness <= 100 else {
                    throw CgroupError.invalid("memory.swappiness", directory,
                                              "invalid value \(swappiness) (valid range is 0-100)")
                }
                try files.write(directory, "memory.swappiness", String(swappiness))
            }
        }

        /// The kernel keeps memory.memsw.limit_in_bytes >= memory.limit_in_bytes at every
        /// step, so the order of the two writes depends on the current limit (runc's
        /// setMemoryAndSwap).
        static func setLimitAndSwap(limit: Int64, swap requestedSwap: Int64, directory: String,
                                    files: any CgroupFiles) throws {
            var swap = requestedSwap
            // An unlimited memory with no swap given means unlimited swap too, where the kernel
            // accounts swap at all.
            if limit == -1 && swap == 0 && files.exists(directory, swapFile) { swap = -1 }
            if limit != 0 && swap != 0 {
                let current = try files.readNumber(directory, limitFile)
                if swap == -1 || current < UInt64(swap) {
                    try setSwap(swap, directory: directory, files: files)
                    try setLimit(limit, directory: directory, files: files)
                    return
                }
            }
            try setLimit(limit, directory: directory, files: files)
            try setSwap(swap, directory: directory, files: files)
        }

        static func setLimit(_ limit: Int64, directory: String, files: any CgroupFiles) throws {
            guard limit != 0 else { return }
            do {
                try files.write(directory, limitFile, String(limit))
            } catch let error as BerthError where error.errno == EBUSY {
                // The kernel refuses a limit below what the cgroup uses already: say so.
                let usage = (try? files.read(directory, "memory.usage_in_bytes").trimmingWhitespace()) ?? "?"
                let peak = (try? files.read(directory, "memory.max_usage_in_bytes").trimmingWhitespace()) ?? "?"
                throw BerthError(.invalidArgument,
                                 "\(error.message) (limit \(limit) is below the current usage \(usage), peak \(peak))",
                                 errno: EBUSY)
            }
        }

        static func setSwap(_ swap: Int64, directory: String, files: any CgroupFiles) throws {
            guard swap != 0 else { return }
            guard files.exists(directory, swapFile) else {
                throw CgroupError.invalid(swapFile, directory,
                                          "swap limit not supported: the kernel does not account swap (swapaccount=1)")
            }
            try files.write(directory, swapFile, String(swap))
        }
    }
}
