import Diagnostics
import OCIRuntimeSpec

/// `--ulimit name=soft[:hard]` (docker's `units.ParseUlimit`).
public enum Ulimit {
    /// Docker's names, without the `RLIMIT_` prefix.
    static let names = ["as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice",
                        "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack"]

    /// - Returns: the rlimit; a single value sets both soft and hard.
    /// - Throws: `BerthError(.invalidArgument)`:
    ///   `invalid argument "nofile=2048:1024" for "--ulimit" flag: ulimit soft limit must be less than or equal to hard limit: 2048 > 1024`.
    public static func parse(_ text: String) throws(BerthError) -> RLimit {
        let fail = { (reason: String) in flagError(text, "--ulimit", reason) }
        let pair = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard pair.count == 2 else { throw fail("invalid ulimit argument: \(text)") }
        let name = String(pair[0])
        guard names.contains(name) else { throw fail("invalid ulimit type: \(name)") }
        let limits = pair[1].split(separator: ":", omittingEmptySubsequences: false)
        guard limits.count <= 2 else { throw fail("too many limit value arguments - \(pair[1]), can only have up to two, `soft[:hard]`") }
        guard let soft = Int64(limits[0]) else { throw fail("invalid ulimit soft value \(limits[0])") }
        var hard = soft
        if limits.count == 2 {
            guard let value = Int64(limits[1]) else { throw fail("invalid ulimit hard value \(limits[1])") }
            hard = value
        }
        guard soft <= hard else {
            throw fail("ulimit soft limit must be less than or equal to hard limit: \(soft) > \(hard)")
        }
        // -1 is unlimited (RLIM_INFINITY).
        func raw(_ value: Int64) -> UInt64 { value < 0 ? UInt64.max : UInt64(value) }
        return RLimit(type: "RLIMIT_" + name.uppercased(), hard: raw(hard), soft: raw(soft))
    }
}
