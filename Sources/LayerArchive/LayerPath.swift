/// A tar entry's path made relative to the layer root: "./a//b/" becomes "a/b".
///
/// Kept as NUL-terminated bytes (names in layers need not be UTF-8) in a buffer reused for
/// every entry.
struct LayerPath {
    /// The components joined by "/", then a NUL; just the NUL for the root itself.
    private(set) var bytes: [CChar] = [0]
    /// Where the last component starts in `bytes`.
    private(set) var nameStart = 0

    /// Replaces the path with `raw` normalised: leading "/" and "./", empty and "." components
    /// dropped. A ".." component could lead out of the layer: the path is refused.
    /// - Returns: false when `raw` has a ".." component.
    mutating func assign(_ raw: UnsafePointer<CChar>) -> Bool {
        bytes.removeAll(keepingCapacity: true)
        nameStart = 0
        var index = 0
        while true {
            while raw[index] == slash { index += 1 }
            if raw[index] == 0 { break }
            let start = index
            while raw[index] != 0 && raw[index] != slash { index += 1 }
            let length = index - start
            if length == 1 && raw[start] == dot { continue }
            if length == 2 && raw[start] == dot && raw[start + 1] == dot { return false }
            if !bytes.isEmpty { bytes.append(slash) }
            nameStart = bytes.count
            bytes.append(contentsOf: UnsafeBufferPointer(start: raw + start, count: length))
        }
        bytes.append(0)
        return true
    }

    /// True when nothing is left: the entry is the layer root ("./", "/").
    var isRoot: Bool { bytes.count == 1 }

    /// The length of the parent's path ("a/b" for "a/b/c"); 0 when the parent is the root.
    var parentLength: Int { nameStart == 0 ? 0 : nameStart - 1 }

    /// How many components the path has.
    var depth: Int { bytes.reduce(1) { $1 == slash ? $0 + 1 : $0 } }

    /// The last component's length.
    var nameLength: Int { bytes.count - 1 - nameStart }

    /// True when the last component starts with `prefix` (ASCII).
    func nameHasPrefix(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard nameLength >= count else { return false }
        let start = prefix.utf8Start
        for offset in 0..<count where bytes[nameStart + offset] != CChar(bitPattern: start[offset]) { return false }
        return true
    }

    /// Calls `body` with the last component (offset by `skip` bytes) as a C string.
    func withName<T>(skipping skip: Int = 0, _ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { try body($0.baseAddress! + nameStart + skip) }
    }

    /// Calls `body` with the whole path as a C string.
    func withPath<T>(_ body: (UnsafePointer<CChar>) throws -> T) rethrows -> T {
        try bytes.withUnsafeBufferPointer { try body($0.baseAddress!) }
    }

    /// The path for messages.
    var string: String { String(decoding: bytes.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self) }
}

private let slash = CChar(UInt8(ascii: "/"))
private let dot = CChar(UInt8(ascii: "."))
