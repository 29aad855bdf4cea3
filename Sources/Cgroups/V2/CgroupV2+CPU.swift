import Diagnostics
import OCIRuntimeSpec

extension CgroupV2 {
    /// The v2 cpu controller: cpu.weight, cpu.idle, cpu.max, cpu.max.burst.
    public enum CPU {
        /// Writes `cpu` into `directory`: the weight from the shares, then cpu.idle, then
        /// cpu.max as "quota period" ("max period" for no quota; the period only when set),
        /// then the burst. cpus and mems belong to `CgroupV2.Cpuset`.
        /// - Throws: `BerthError` naming the file; `.invalidArgument` for real-time values,
        ///   which v2 has no files for.
        public static func apply(_ cpu: CPUResources, directory: String,
                                 files: any CgroupFiles = HostCgroupFiles()) throws {
            if (cpu.realtimeRuntime ?? 0) != 0 || (cpu.realtimePeriod ?? 0) != 0 {
                throw CgroupError.invalid("cpu.rt_runtime_us", directory, "real-time scheduling is not supported on cgroup v2")
            }
            let weight = CgroupV2.cpuWeight(fromShares: cpu.shares ?? 0)
            if weight != 0 {
                try files.write(directory, "cpu.weight", String(weight))
            }
            if let idle = cpu.idle {
                try files.write(directory, "cpu.idle", String(idle))
            }
            let quota = cpu.quota ?? 0
            let period = cpu.period ?? 0
            if quota != 0 || period != 0 {
                var value = quota > 0 ? String(quota) : "max"
                if period != 0 { value += " \(period)" }
                try files.write(directory, "cpu.max", value)
            }
            if let burst = cpu.burst {
                try files.write(directory, "cpu.max.burst", String(burst))
            }
        }
    }
}
