import LinuxSyscalls

/// Time formats docker uses for logs.
public enum LogTime {
    /// Go's `time.RFC3339Nano` as docker writes the `time` field: UTC, trailing zeros of the
    /// fraction dropped ("2024-01-02T03:04:05.1234Z", "2024-01-02T03:04:05Z").
    public static func fileFormat(_ time: Timestamp) -> String {
        var text = time.rfc3339(fraction: true)
        text.removeLast()  // "Z"
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text + "Z"
    }

    /// docker's `RFC3339NanoFixed`, which `docker logs -t` prints: always nine fraction digits.
    public static func displayFormat(_ time: Timestamp) -> String { time.rfc3339(fraction: true) }

    /// Orders two timestamps.
    public static func isBefore(_ a: Timestamp, _ b: Timestamp) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    /// Parses RFC 3339: "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)"; nil when malformed.
    public static func parseRFC3339(_ text: String) -> Timestamp? {
        let c = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= c.count else { return nil }
            var value: Int64 = 0
            for b in c[from..<(from + count)] {
                guard b >= 48 && b <= 57 else { return nil }
                value = value * 10 + Int64(b - 48)
            }
            return value
        }
        guard c.count >= 20, c[4] == UInt8(ascii: "-"), c[7] == UInt8(ascii: "-"),
              c[10] == UInt8(ascii: "T") || c[10] == UInt8(ascii: "t"),
              c[13] == UInt8(ascii: ":"), c[16] == UInt8(ascii: ":"),
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var nanos: Int64 = 0
        if c[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < c.count, c[i] >= 48, c[i] <= 57 {
                if digits < 9 { nanos = nanos * 10 + Int64(c[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in min(digits, 9)..<9 { nanos *= 10 }
        }
        guard i < c.count else { return nil }
        var offset: Int64 = 0
        if c[i] == UInt8(ascii: "Z") || c[i] == UInt8(ascii: "z") {
            i += 1
        } else if c[i] == UInt8(ascii: "+") || c[i] == UInt8(ascii: "-") {
            guard let oh = number(i + 1, 2), i + 3 < c.count, c[i + 3] == UInt8(ascii: ":"),
                  let om = number(i + 4, 2) else { return nil }
            offset = (oh * 3600 + om * 60) * (c[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == c.count else { return nil }
        let seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset
        return Timestamp(seconds: seconds, nanoseconds: nanos)
    }

    /// A `--since`/`--until` value as docker accepts it: RFC 3339 (also without seconds' fraction
    /// or zone, read as UTC), Unix seconds with an optional fraction ("1700000000.5"), or a Go
    /// duration before `now` ("10m", "1h30m", "45s"). nil when none of these.
    public static func parseSince(_ text: String, now: Timestamp = .now()) -> Timestamp? {
        if let time = parseRFC3339(text) { return time }
        if text.count == 19, let time = parseRFC3339(text + "Z") { return time }
        if text.count == 10, let time = parseRFC3339(text + "T00:00:00Z") { return time }
        if let duration = parseDuration(text) {
            var seconds = now.seconds - duration.seconds
            var nanos = now.nanoseconds - duration.nanoseconds
            if nanos < 0 { nanos += 1_000_000_000; seconds -= 1 }
            return Timestamp(seconds: seconds, nanoseconds: nanos)
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let seconds = Int64(parts[0]) else { return nil }
        var nanos: Int64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.count <= 9, let value = Int64(fraction) else { return nil }
            nanos = value
            for _ in fraction.count..<9 { nanos *= 10 }
        }
        return Timestamp(seconds: seconds, nanoseconds: nanos)
    }

    /// Go's `time.ParseDuration` for non-negative values with units h, m, s, ms, us, ns.
    static func parseDuration(_ text: String) -> Timestamp? {
        let c = Array(text.utf8)
        guard !c.isEmpty else { return nil }
        var totalNanos: Double = 0
        var i = 0
        while i < c.count {
            let start = i
            while i < c.count, (c[i] >= 48 && c[i] <= 57) || c[i] == UInt8(ascii: ".") { i += 1 }
            guard i > start, let value = Double(String(decoding: c[start..<i], as: UTF8.self)) else { return nil }
            let unitStart = i
            while i < c.count, !(c[i] >= 48 && c[i] <= 57), c[i] != UInt8(ascii: ".") { i += 1 }
            let units: [String: Double] = ["h": 3600e9, "m": 60e9, "s": 1e9, "ms": 1e6, "us": 1e3, "µs": 1e3, "ns": 1]
            guard let unit = units[String(decoding: c[unitStart..<i], as: UTF8.self)] else { return nil }
            totalNanos += value * unit
        }
        let whole = Int64(totalNanos)
        return Timestamp(seconds: whole / 1_000_000_000, nanoseconds: whole % 1_000_000_000)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
