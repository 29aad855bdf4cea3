import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Sizes and durations the way docker prints them (github.com/docker/go-units).
enum HumanUnits {
    /// `4.26MB`: decimal units, three significant digits.
    static func size(_ bytes: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return significant(value, 3) + units[unit]
    }

    /// `%.Ng` without exponent notation for the values sizes produce.
    static func significant(_ value: Double, _ digits: Int) -> String {
        var buffer = [CChar](repeating: 0, count: 32)
        _ = withVaList([Int32(digits), value]) { vsnprintf(&buffer, 32, "%.*g", $0) }
        return String(cString: buffer)
    }

    /// `4 months`: docker's HumanDuration.
    static func duration(seconds: Double) -> String {
        let s = Int(seconds)
        if s < 1 { return "Less than a second" }
        if s == 1 { return "1 second" }
        if s < 60 { return "\(s) seconds" }
        let minutes = Int(seconds / 60)
        if minutes == 1 { return "About a minute" }
        if minutes < 60 { return "\(minutes) minutes" }
        let hours = Int(seconds / 3600 + 0.5)
        if hours == 1 { return "About an hour" }
        if hours < 48 { return "\(hours) hours" }
        if hours < 24 * 7 * 2 { return "\(hours / 24) days" }
        if hours < 24 * 30 * 2 { return "\(hours / 24 / 7) weeks" }
        if hours < 24 * 365 * 2 { return "\(hours / 24 / 30) months" }
        return "\(Int(seconds / 3600 / 24 / 365)) years"
    }

    /// `4 months ago`, from an RFC 3339 time; `N/A` when there is none.
    static func since(_ rfc3339: String?) -> String {
        guard let rfc3339, let epoch = RFC3339.epochSeconds(rfc3339) else { return "N/A" }
        return duration(seconds: max(0, now() - epoch)) + " ago"
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}

/// RFC 3339 times, as image configs and docker's API carry them.
enum RFC3339 {
    /// Seconds since the epoch of `2024-07-18T17:21:01.123456789Z` or `…+02:00`.
    static func epochSeconds(_ text: String) -> Double? {
        Timestamp(rfc3339: text).map { Double($0.seconds) + Double($0.nanoseconds) / 1e9 }
    }

    /// docker's `CreatedAt`: `2024-07-18 17:21:01 +0000 UTC`.
    static func dockerDate(_ text: String?) -> String {
        guard let text, let time = Timestamp(rfc3339: text) else { return "" }
        let utc = time.rfc3339(fraction: false)   // 2024-07-18T17:21:01Z
        return "\(utc.prefix(10)) \(utc.dropFirst(11).prefix(8)) +0000 UTC"
    }
}
