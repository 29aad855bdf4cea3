import Diagnostics

/// `--cpus 1.5`: CFS quota and period, as docker turns NanoCPUs into them.
public struct CPUQuota: Sendable, Equatable {
    public var quota: Int64
    public var period: UInt64

    /// docker's CFS period: 100 ms.
    public static let period: UInt64 = 100_000

    public init(quota: Int64, period: UInt64 = CPUQuota.period) {
        self.quota = quota
        self.period = period
    }

    /// - Returns: nil for "0" (no limit).
    /// - Throws: `BerthError(.invalidArgument)`:
    ///   `invalid argument "-1" for "--cpus" flag: cpus must be a positive number`.
    public static func parse(_ text: String) throws(BerthError) -> CPUQuota? {
        if text.hasPrefix("-") { throw flagError(text, "--cpus", "cpus must be a positive number") }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0], fraction = parts.count > 1 ? parts[1] : ""
        guard !(whole.isEmpty && fraction.isEmpty), whole.allSatisfy(\.isASCII), whole.allSatisfy(\.isNumber),
              fraction.allSatisfy(\.isASCII), fraction.allSatisfy(\.isNumber), whole.count <= 9 else {
            throw flagError(text, "--cpus", "failed to parse \(text) as a rational number")
        }
        // quota = cpus × period: whole × 100000 + the first five fractional digits.
        let digits = String(fraction.prefix(5))
        let fractionDigits = digits + String(repeating: "0", count: 5 - digits.count)
        let quota = (Int64(whole) ?? 0) * 100_000 + (Int64(fractionDigits) ?? 0)
        if quota == 0 && fraction.allSatisfy({ $0 == "0" }) { return nil }
        guard quota >= 1_000 else {
            throw flagError(text, "--cpus", "range of cpus is from 0.01 upwards")
        }
        return CPUQuota(quota: quota)
    }
}
