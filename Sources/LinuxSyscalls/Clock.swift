#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock time without Foundation (the runtime stays lean).
public struct Timestamp: Sendable, Equatable {
    public var seconds: Int64
    public var nanoseconds: Int64

    public init(seconds: Int64, nanoseconds: Int64) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func now() -> Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(seconds: Int64(ts.tv_sec), nanoseconds: Int64(ts.tv_nsec))
    }

    /// RFC 3339 in UTC; with `fraction`, the nanoseconds as Go's RFC3339Nano writes them (runc,
    /// docker, skopeo): trailing zeros dropped, no fraction at all for a whole second
    /// ("2026-11-29T12:47:48.12345678Z"). Go programs that re-encode a time this way give back
    /// the same text, so a digest over a config holding it survives them.
    /// With `fixed`, always nine digits (docker's RFC3339NanoFixed, which `docker logs -t` prints).
    public func rfc3339(fraction: Bool = true, fixed: Bool = false) -> String {
        let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
        let secondOfDay = seconds - days * 86400
        // Civil-from-days (Howard Hinnant's algorithm).
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var result = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T"
        result += "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if fraction, nanoseconds != 0 || fixed {
            var digits = pad(nanoseconds, 9)
            while !fixed && digits.hasSuffix("0") { digits.removeLast() }
            result += "." + digits
        }
        return result + "Z"
    }
}
