import Foundation

/// A minimal ustar writer for the tests: members with any name (`../x` included), type and
/// link target, which real tar tools refuse or rewrite.
struct TestTar {
    enum Kind: UInt8 {
        case file = 0x30, hardlink = 0x31, symlink = 0x32, directory = 0x35, fifo = 0x36
    }

    private(set) var bytes: [UInt8] = []

    mutating func add(_ name: String, _ content: [UInt8] = [], kind: Kind = .file, link: String = "", mode: Int = 0o644) {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            for (i, byte) in text.utf8.prefix(width).enumerated() { header[offset + i] = byte }
        }
        func octal(_ value: Int, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: width - 1 - digits.count) + digits, at: offset, width: width - 1)
        }
        put(name, at: 0, width: 100)
        octal(kind == .directory ? 0o755 : mode, at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        octal(kind == .file ? content.count : 0, at: 124, width: 12)
        octal(1_700_000_000, at: 136, width: 12)
        header[156] = kind.rawValue
        put(link, at: 157, width: 100)
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        for i in 148..<156 { header[i] = 0x20 }
        let sum = header.reduce(0) { $0 + Int($1) }
        octal(sum, at: 148, width: 7)
        header[155] = 0x20
        bytes += header
        if kind == .file {
            bytes += content
            bytes += [UInt8](repeating: 0, count: (512 - content.count % 512) % 512)
        }
    }

    mutating func add(_ name: String, text: String) { add(name, Array(text.utf8)) }

    /// Appends already-encoded header and data blocks.
    mutating func append(raw blocks: [UInt8]) { bytes += blocks }

    /// The archive with its two end-of-archive blocks.
    var archive: [UInt8] { bytes + [UInt8](repeating: 0, count: 1024) }

    func write(to path: String) throws {
        try Data(archive).write(to: URL(fileURLWithPath: path))
    }
}
