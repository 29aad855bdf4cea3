/// Conversions from a number's literal text to Swift numeric types, with exact range checks.
public enum JSONNumber {
    /// The outcome of reading an integer literal as `T`.
    public struct Conversion<T: FixedWidthInteger> {
        /// The value, when the literal is an integer that fits in `T`.
        public var value: T?
        /// Why there is no value: "1.5 is not an integer", "-1 is out of range for UInt32".
        public var problem: String?
    }

    /// Reads `text` (a JSON number literal) as an integer of type `T`.
    ///
    /// Fractions and exponents are refused even when the value is whole (`1.0`, `1e3`), as Go's
    /// encoding/json does, so a config is never silently truncated.
    public static func integer<T: FixedWidthInteger>(_ text: String, as type: T.Type) -> Conversion<T> {
        var negative = false
        var magnitude: UInt64 = 0
        var overflow = false
        var digits = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "-") where digits == 0 && !negative:
                negative = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, o2) = times10.addingReportingOverflow(UInt64(byte &- UInt8(ascii: "0")))
                overflow = overflow || o1 || o2
                magnitude = sum
            default:
                return Conversion(value: nil, problem: "\(text) is not an integer")
            }
        }
        guard digits > 0 else { return Conversion(value: nil, problem: "\(text) is not an integer") }
        let outOfRange = Conversion<T>(value: nil, problem: "\(text) is out of range for \(T.self)")
        if overflow { return outOfRange }
        if negative && magnitude != 0 {
            guard T.isSigned, magnitude <= UInt64(Int64.max) + 1 else { return outOfRange }
            let signed = magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
            guard let value = T(exactly: signed) else { return outOfRange }
            return Conversion(value: value, problem: nil)
        }
        guard let value = T(exactly: magnitude) else { return outOfRange }
        return Conversion(value: value, problem: nil)
    }

    /// Reads `text` as a `Double`; nil only when it does not parse (the parser already checked it).
    public static func double(_ text: String) -> Double? { Double(text) }

    /// Reads `text` as a `Float`, refusing finite literals too large for a `Float`.
    public static func float(_ text: String) -> Float? {
        guard let value = Float(text), value.isFinite else { return nil }
        return value
    }
}
