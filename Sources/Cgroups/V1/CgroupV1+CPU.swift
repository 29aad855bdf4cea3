import Diagnostics
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

extension CgroupV1 {
    /// The v1 cpu controller: cpu.shares, cpu.cfs_period_us, cpu.cfs_quota_us, cpu.cfs_burst_us,
    /// cpu.idle, cpu.rt_period_us, cpu.rt_runtime_us.
    public enum CPU {
        /// Writes `cpu` into `directory` (0 or nil leaves a value alone). cpus and mems belong
        /// to `CgroupV1.Cpuset`.
        /// - Throws: `BerthError` naming the file; `.invalidArgument` when the kernel clamps the
        ///   shares to another value.
        public static func apply(_ cpu: CPUResources, directory: String,
                                 files: any CgroupFiles = HostCgroupFiles()) throws {
            if let shares = cpu.shares, shares != 0 {
                try files.write(directory, "cpu.shares", String(shares))
                // The kernel clamps shares into [2, 262144] silently: read back and refuse.
                let actual = try files.readNumber(directory, "cpu.shares")
                if shares > actual {
                    throw CgroupError.invalid("cpu.shares", directory, "the maximum allowed cpu-shares is \(actual)")
                } else if shares < actual {
                    throw CgroupError.invalid("cpu.shares", directory, "the minimum allowed cpu-shares is \(actual)")
                }
            }
            try setBandwidth(cpu, directory: directory, files: files)
            if let idle = cpu.idle {
                try files.write(directory, "cpu.idle", String(idle))
            }
            try setRealtime(cpu, directory: directory, files: files)
        }

        /// Period, then burst, then quota. A smaller period can be refused (EINVAL) while the old
        /// quota over the new period exceeds the parent's; when a quota follows, the period is
        /// written again after it (runc does the same).
        static func setBandwidth(_ cpu: CPUResources, directory: String, files: any CgroupFiles) throws {
            let quota = cpu.quota ?? 0
            var pendingPeriod: String?
            if let period = cpu.period, period != 0 {
                do {
                    try files.write(directory, "cpu.cfs_period_us", String(period))
                } catch let error as BerthError where error.errno == EINVAL && quota != 0 {
                    pendingPeriod = String(period)
                }
            }
            var pendingBurst: String?
            if let burst = cpu.burst {
                do {
                    try files.write(directory, "cpu.cfs_burst_us", String(burst))
                } catch let error as BerthError where error.errno == EINVAL && quota != 0 {
                    // A burst above the old quota is refused until the new quota is in.
                    pendingBurst = String(burst)
                }
            }
            if quota != 0 {
                try files.write(directory, "cpu.cfs_quota_us", String(quota))
                if let period = pendingPeriod {
                    try files.write(directory, "cpu.cfs_period_us", period)
                }
                if let burst = pendingBurst {
                    try files.write(directory, "cpu.cfs_burst_us", burst)
                }
            }
        }

        /// Real-time period then runtime, with the same retry as the CFS pair: they are checked
        /// against each other.
        static func setRealtime(_ cpu: CPUResources, directory: String, files: any CgroupFiles) throws {
            let runtime = cpu.realtimeRuntime ?? 0
            var pendingPeriod: String?
            if let period = cpu.realtimePeriod, period != 0 {
                do {
                    try files.write(directory, "cpu.rt_period_us", String(period))
                } catch let error as BerthError where error.errno == EINVAL && runtime != 0 {
                    pendingPeriod = String(period)
                }
            }
            if runtime != 0 {
                try files.write(directory, "cpu.rt_runtime_us", String(runtime))
                if let period = pendingPeriod {
                    try files.write(directory, "cpu.rt_period_us", period)
                }
            }
        }
    }
}
