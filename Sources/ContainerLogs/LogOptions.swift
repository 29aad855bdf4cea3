import Diagnostics

/// The json-file driver's `--log-opt` values, checked as docker's `jsonfilelog.New` checks them.
public struct LogOptions: Sendable, Equatable {
    /// `max-size` in bytes; nil means the log file grows without limit (docker's -1).
    public var maxSize: Int64?
    /// `max-file`: how many files, the live one included, rotation keeps.
    public var maxFiles: Int

    public init(maxSize: Int64? = nil, maxFiles: Int = 1) {
        self.maxSize = maxSize
        self.maxFiles = maxFiles
    }

    /// Parses `key=value` strings such as `["max-size=10m", "max-file=3"]`.
    /// Keys docker's json-file driver accepts but Berth ignores (`labels`, `env`, `tag`, …) are
    /// accepted; any other key fails as docker does. Like docker, `max-file` without `max-size` is
    /// accepted and rotation stays off.
    public static func parse(_ options: [String]) throws -> LogOptions {
        var result = LogOptions()
        for option in options {
            guard let equals = option.firstIndex(of: "=") else {
                throw BerthError.invalid("invalid log opt '\(option)': expected key=value")
            }
            let key = String(option[..<equals])
            let value = String(option[option.index(after: equals)...])
            switch key {
            case "max-size":
                guard let size = parseSize(value) else {
                    throw BerthError.invalid("invalid max-size: invalid size: '\(value)'")
                }
                guard size > 0 else { throw BerthError.invalid("invalid max-size: max-size must be a positive number") }
                result.maxSize = size
            case "max-file":
                guard let count = Int(value) else {
                    throw BerthError.invalid("invalid max-file: strconv.Atoi: parsing \"\(value)\": invalid syntax")
                }
                guard count >= 1 else { throw BerthError.invalid("invalid max-file: max-file cannot be less than 1") }
                result.maxFiles = count
            case "compress":
                guard value == "false" || value == "0" else {
                    throw BerthError.invalid("invalid log opt 'compress': compressed log files are not supported")
                }
            case "labels", "labels-regex", "env", "env-regex", "tag":
                continue
            default:
                throw BerthError.invalid("unknown log opt '\(key)' for json-file log driver")
            }
        }
        return result
    }

    /// docker/go-units `FromHumanSize`, which docker's json-file driver uses: decimal multiples
    /// (`k` = 1000, `m` = 1000², … `p`), an optional `i` and `b`, case-insensitive, fractions
    /// allowed ("1.5m"), an optional space before the unit. nil when malformed.
    public static func parseSize(_ text: String) -> Int64? {
        var chars = Array(text.utf8)
        // Unit suffix: [kmgtp]?i?b?
        var multiplier: Double = 1
        func lower(_ c: UInt8) -> UInt8 { c | 0x20 }
        if let last = chars.last, lower(last) == UInt8(ascii: "b") { chars.removeLast() }
        if let last = chars.last, lower(last) == UInt8(ascii: "i") { chars.removeLast() }
        if let last = chars.last {
            let units: [UInt8: Double] = [
                UInt8(ascii: "k"): 1e3, UInt8(ascii: "m"): 1e6, UInt8(ascii: "g"): 1e9,
                UInt8(ascii: "t"): 1e12, UInt8(ascii: "p"): 1e15,
            ]
            if let unit = units[lower(last)] {
                multiplier = unit
                chars.removeLast()
            }
        }
        if chars.last == UInt8(ascii: " ") { chars.removeLast() }
        guard let first = chars.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9"),
              let last = chars.last, last != UInt8(ascii: "."),
              chars.allSatisfy({ ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".") }),
              chars.filter({ $0 == UInt8(ascii: ".") }).count <= 1,
              let number = Double(String(decoding: chars, as: UTF8.self))
        else { return nil }
        let bytes = number * multiplier
        guard bytes < 9.2e18 else { return nil }
        return Int64(bytes)
    }
}
