/// Writes `JSONValue`s as JSON text.
///
/// Pretty output follows Go's `json.MarshalIndent(v, "", indent)`: one member or element per
/// line, `"key": value`, and `{}`/`[]` for empty containers, so `runc spec` output can be matched
/// byte for byte. Numbers are written from their literal text.
public enum JSONSerializer {
    /// How to lay out the text.
    public struct Options: Sendable {
        /// One member or element per line, indented by `indent` per level.
        public var pretty: Bool
        /// The indentation of one level when `pretty` (two spaces by default; runc uses a tab).
        public var indent: String
        /// Sort every object's members by the bytes of their names.
        public var sortedKeys: Bool

        public init(pretty: Bool = false, indent: String = "  ", sortedKeys: Bool = false) {
            self.pretty = pretty
            self.indent = indent
            self.sortedKeys = sortedKeys
        }
    }

    /// The JSON text of `value`, UTF-8 encoded, with no trailing newline.
    public static func serialize(_ value: JSONValue, options: Options = Options()) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(4096)
        let writer = Writer(options: options, indent: Array(options.indent.utf8))
        writer.write(value, level: 0, into: &output)
        return output
    }

    /// Appends `string` as a quoted JSON string: `"` and `\` escaped, `\n` `\r` `\t` in short form,
    /// other control characters as `\u00XX`.
    public static func writeString(_ string: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            // Copy runs of plain bytes in one go; only the bytes that need an escape stop the run.
            var runStart = 0
            for offset in 0..<bytes.count {
                let byte = bytes[offset]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<offset]))
                runStart = offset + 1
                switch byte {
                case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                default:
                    output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"),
                                               UInt8(ascii: "0"), hexDigit(byte >> 4), hexDigit(byte & 0xF)])
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    @inline(__always)
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    private struct Writer {
        let options: Options
        let indent: [UInt8]

        func write(_ value: JSONValue, level: Int, into output: inout [UInt8]) {
            switch value {
            case .null: output.append(contentsOf: "null".utf8)
            case .bool(true): output.append(contentsOf: "true".utf8)
            case .bool(false): output.append(contentsOf: "false".utf8)
            case let .number(text): output.append(contentsOf: text.utf8)
            case let .string(string): JSONSerializer.writeString(string, into: &output)
            case let .array(elements):
                guard !elements.isEmpty else { return output.append(contentsOf: "[]".utf8) }
                output.append(UInt8(ascii: "["))
                for (offset, element) in elements.enumerated() {
                    if offset > 0 { output.append(UInt8(ascii: ",")) }
                    newline(level + 1, into: &output)
                    write(element, level: level + 1, into: &output)
                }
                newline(level, into: &output)
                output.append(UInt8(ascii: "]"))
            case let .object(members):
                guard !members.isEmpty else { return output.append(contentsOf: "{}".utf8) }
                let ordered = options.sortedKeys
                    ? members.sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) } : members
                output.append(UInt8(ascii: "{"))
                for (offset, member) in ordered.enumerated() {
                    if offset > 0 { output.append(UInt8(ascii: ",")) }
                    newline(level + 1, into: &output)
                    JSONSerializer.writeString(member.0, into: &output)
                    output.append(UInt8(ascii: ":"))
                    if options.pretty { output.append(UInt8(ascii: " ")) }
                    write(member.1, level: level + 1, into: &output)
                }
                newline(level, into: &output)
                output.append(UInt8(ascii: "}"))
            }
        }

        @inline(__always)
        private func newline(_ level: Int, into output: inout [UInt8]) {
            guard options.pretty else { return }
            output.append(0x0A)
            for _ in 0..<level { output.append(contentsOf: indent) }
        }
    }
}

extension JSONValue {
    /// The JSON text of this value; see `JSONSerializer.Options`.
    public func serialized(pretty: Bool = false, indent: String = "  ", sortedKeys: Bool = false) -> [UInt8] {
        JSONSerializer.serialize(self, options: .init(pretty: pretty, indent: indent, sortedKeys: sortedKeys))
    }
}
