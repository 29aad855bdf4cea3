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
        let chars = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= chars.count else { return nil }
            var value = 0
            for c in chars[from..<from + count] {
                guard c >= 48, c <= 57 else { return nil }
                value = value * 10 + Int(c - 48)
            }
            return value
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2) else { return nil }
        var fraction = 0.0
        var at = 19
        if at < chars.count, chars[at] == UInt8(ascii: ".") {
            at += 1
            var scale = 0.1
            while at < chars.count, chars[at] >= 48, chars[at] <= 57 {
                fraction += Double(chars[at] - 48) * scale
                scale /= 10
                at += 1
            }
        }
        var offset = 0
        if at < chars.count, chars[at] == UInt8(ascii: "+") || chars[at] == UInt8(ascii: "-") {
            guard let h = number(at + 1, 2), let m = number(at + 4, 2) else { return nil }
            offset = (h * 3600 + m * 60) * (chars[at] == UInt8(ascii: "+") ? 1 : -1)
        }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        return Double(timegm(&parts) - offset) + fraction
    }

    /// docker's `CreatedAt`: `2024-07-18 17:21:01 +0000 UTC`.
    static func dockerDate(_ text: String?) -> String {
        guard let text, let epoch = epochSeconds(text) else { return "" }
        var seconds = time_t(epoch)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        strftime(&buffer, 64, "%Y-%m-%d %H:%M:%S +0000 UTC", &parts)
        return String(cString: buffer)
    }
}
