import Diagnostics

/// Docker's memory sizes (`RAMInBytes`): a decimal number with an optional binary unit
/// b, k, m, g, t or p (case-insensitive, optionally followed by "i" and/or "b": "512m", "1.5GiB").
public enum MemoryBytes {
    /// - Parameters:
    ///   - text: the flag's value.
    ///   - flag: the flag named in the error.
    /// - Throws: `BerthError(.invalidArgument)`:
    ///   `invalid argument "12q" for "-m, --memory" flag: invalid size: '12q'`.
    public static func parse(_ text: String, flag: String = "-m, --memory") throws(BerthError) -> Int64 {
        guard let bytes = bytes(text) else { throw flagError(text, flag, "invalid size: '\(text)'") }
        return bytes
    }

    /// `--memory-swap`: a size, or -1 for unlimited swap.
    public static func parseSwap(_ text: String) throws(BerthError) -> Int64 {
        if text == "-1" { return -1 }
        return try parse(text, flag: "--memory-swap")
    }

    private static func bytes(_ text: String) -> Int64? {
        var rest = Substring(text.lowercased())
        let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        rest = rest.dropFirst(number.count)
        guard !number.isEmpty, number.first != ".", number.last != ".", let value = Double(number) else {
            return nil
        }
        if rest.first == " " { rest = rest.dropFirst() }
        var shift = 0
        if let unit = rest.first, let index = "kmgtp".firstIndex(of: unit) {
            shift = 10 * ("kmgtp".distance(from: "kmgtp".startIndex, to: index) + 1)
            rest = rest.dropFirst()
            if rest.first == "i" { rest = rest.dropFirst() }
        }
        if rest.first == "b" { rest = rest.dropFirst() }
        guard rest.isEmpty else { return nil }
        let result = value * Double(Int64(1) << shift)
        guard result < 9.2e18 else { return nil }
        return Int64(result)
    }
}
