import Diagnostics
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

extension CgroupV2 {
    /// The v2 memory controller: memory.swap.max, memory.max, memory.low.
    public enum Memory {
        /// Writes `memory` into `directory`: swap first (converted by `CgroupV2.swapMax`),
        /// then memory.max, then memory.low for the reservation. Swappiness, kernel memory
        /// and the OOM-killer switch have no v2 file and are ignored, as runc does.
        /// - Throws: `BerthError` naming the file, or `.invalidArgument` for an impossible swap.
        public static func apply(_ memory: MemoryResources, directory: String,
                                 files: any CgroupFiles = HostCgroupFiles()) throws {
            let limit = memory.limit ?? 0
            let requestedSwap = memory.swap ?? 0
            let swap = try CgroupV2.swapMax(swap: requestedSwap, limit: limit)
            var swapValue = CgroupV2.value(swap)
            // memory and swap set to the same value: no swap at all.
            if swapValue == nil && swap == 0 && requestedSwap > 0 { swapValue = "0" }
            if let swapValue {
                do {
                    try files.write(directory, "memory.swap.max", swapValue)
                } catch let error as BerthError where error.errno == ENOENT && (swapValue == "max" || swapValue == "0") {
                    // No swap accounting: "unlimited" and "none" are what the kernel does anyway.
                }
            }
            if let value = CgroupV2.value(limit) {
                try files.write(directory, "memory.max", value)
            }
            if let value = CgroupV2.value(memory.reservation ?? 0) {
                try files.write(directory, "memory.low", value)
            }
        }
    }
}
