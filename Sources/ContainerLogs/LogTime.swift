import LinuxSyscalls

/// Time formats docker uses for logs.
public enum LogTime {
    /// Go's `time.RFC3339Nano` as docker writes the `time` field: UTC, trailing zeros of the
    /// fraction dropped ("2024-01-02T03:04:05.1234Z", "2024-01-02T03:04:05Z").
    public static func fileFormat(_ time: Timestamp) -> String {
        time.rfc3339(fraction: true)  // trailing zeros dropped, as RFC3339Nano does
    }

    /// docker's `RFC3339NanoFixed`, which `docker logs -t` prints: always nine fraction digits.
    public static func displayFormat(_ time: Timestamp) -> String { time.rfc3339(fraction: true, fixed: true) }

    /// Orders two timestamps.
    public static func isBefore(_ a: Timestamp, _ b: Timestamp) -> Bool {
        (a.seconds, a.nanoseconds) < (b.seconds, b.nanoseconds)
    }

    /// RFC 3339 (`2024-01-02T03:04:05.123456789Z`, `…+01:00`); see `Timestamp(rfc3339:)`.
    public static func parseRFC3339(_ text: String) -> Timestamp? { Timestamp(rfc3339: text) }

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

}
