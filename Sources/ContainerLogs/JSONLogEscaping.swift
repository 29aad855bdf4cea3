/// JSON string escaping of arbitrary bytes, byte for byte as docker's json-file driver does it
/// (`ffjsonWriteJSONBytesAsString` in moby's `jsonlog/jsonlogbytes.go`): `"` and `\` get a
/// backslash, `\n` and `\r` their short forms, other control bytes and `<`, `>`, `&` become
/// `\u00XX`, each invalid UTF-8 byte becomes `\ufffd`, and U+2028/U+2029 are escaped.
enum JSONLogEscaping {
    private static let hex = Array("0123456789abcdef".utf8)

    static func appendQuoted(_ bytes: some Collection<UInt8>, to out: inout [UInt8]) {
        let s = Array(bytes)
        out.append(UInt8(ascii: "\""))
        var i = 0
        while i < s.count {
            let b = s[i]
            if b < 0x80 {
                if b >= 0x20 && b != UInt8(ascii: "\\") && b != UInt8(ascii: "\"")
                    && b != UInt8(ascii: "<") && b != UInt8(ascii: ">") && b != UInt8(ascii: "&") {
                    out.append(b)
                } else {
                    switch b {
                    case UInt8(ascii: "\\"), UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), b]
                    case UInt8(ascii: "\n"): out += Array("\\n".utf8)
                    case UInt8(ascii: "\r"): out += Array("\\r".utf8)
                    default: out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 0xF)]]
                    }
                }
                i += 1
                continue
            }
            let size = validUTF8Length(s, at: i)
            if size == 0 {
                out += Array("\\ufffd".utf8)
                i += 1
                continue
            }
            // U+2028 and U+2029 are E2 80 A8 / E2 80 A9.
            if size == 3, s[i] == 0xE2, s[i + 1] == 0x80, s[i + 2] == 0xA8 || s[i + 2] == 0xA9 {
                out += Array("\\u202".utf8)
                out.append(s[i + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
            } else {
                out.append(contentsOf: s[i..<(i + size)])
            }
            i += size
        }
        out.append(UInt8(ascii: "\""))
    }

    /// The length of the well-formed UTF-8 sequence starting at `i` (lead byte ≥ 0x80), or 0 when
    /// it is not one (Go's `utf8.DecodeRune` returning RuneError with size 1).
    static func validUTF8Length(_ s: [UInt8], at i: Int) -> Int {
        let b0 = s[i]
        let remaining = s.count - i
        func cont(_ k: Int) -> Bool { i + k < s.count && s[i + k] & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            return remaining >= 2 && cont(1) ? 2 : 0
        case 0xE0...0xEF:
            guard remaining >= 3, cont(1), cont(2) else { return 0 }
            let b1 = s[i + 1]
            if b0 == 0xE0 && b1 < 0xA0 { return 0 }   // overlong
            if b0 == 0xED && b1 > 0x9F { return 0 }   // surrogates
            return 3
        case 0xF0...0xF4:
            guard remaining >= 4, cont(1), cont(2), cont(3) else { return 0 }
            let b1 = s[i + 1]
            if b0 == 0xF0 && b1 < 0x90 { return 0 }   // overlong
            if b0 == 0xF4 && b1 > 0x8F { return 0 }   // above U+10FFFF
            return 4
        default:
            return 0
        }
    }
}
