import Diagnostics

/// The cgroup v2 controllers, one file each, and runc's conversions from the v1-shaped OCI
/// values. Every writer takes the cgroup directory and the `CgroupFiles` to write through.
/// runc's `libcontainer/cgroups/fs2` is the behavioural reference.
public enum CgroupV2 {
    /// cpu.weight (1–10000) for v1 cpu.shares (2–262144), runc's linear mapping:
    /// 1 + ((shares - 2) * 9999) / 262142; 0 stays 0 ("unset").
    public static func cpuWeight(fromShares shares: UInt64) -> UInt64 {
        guard shares != 0 else { return 0 }
        let clamped = min(max(shares, 2), 262_144)
        return 1 + ((clamped - 2) * 9999) / 262_142
    }

    /// io.weight (1–10000) for a v1 blkio weight (10–1000): 1 + (weight - 10) * 9999 / 990;
    /// 0 stays 0 ("unset").
    public static func ioWeight(fromBlkioWeight weight: UInt16) -> UInt64 {
        guard weight != 0 else { return 0 }
        let clamped = UInt64(min(max(weight, 10), 1000))
        return 1 + (clamped - 10) * 9999 / 990
    }

    /// memory.swap.max for the OCI `swap` (memory plus swap) and `limit`: v2 limits swap alone,
    /// so it is swap - limit. 0 means unset and -1 unlimited; an unlimited memory with no swap
    /// given makes swap unlimited too (runc's ConvertMemorySwapToCgroupV2Value).
    /// - Throws: `BerthError` `.invalidArgument` for a swap without a memory limit or below it.
    public static func swapMax(swap: Int64, limit: Int64) throws -> Int64 {
        if limit == -1 && swap == 0 { return -1 }
        if swap == -1 || swap == 0 { return swap }
        guard limit != 0 && limit != -1 else {
            throw BerthError.invalid("linux.resources.memory.swap: unable to set swap limit without memory limit")
        }
        guard limit > 0 else { throw BerthError.invalid("linux.resources.memory.limit: invalid value \(limit)") }
        guard swap >= limit else {
            throw BerthError.invalid("linux.resources.memory.swap: memory+swap limit \(swap) should be >= memory limit \(limit)")
        }
        return swap - limit
    }

    /// A v2 file value for an OCI number: -1 is "max", 0 is nil (leave it alone).
    static func value(_ number: Int64) -> String? {
        switch number {
        case 0: return nil
        case -1: return "max"
        default: return String(number)
        }
    }
}
