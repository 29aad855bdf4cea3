/// A stream of bytes read in chunks: a blob file, a download, a decompressed stream.
public protocol ByteSource: AnyObject {
    /// Fills the front of `buffer` with the next bytes.
    /// - Returns: how many bytes were written; 0 only at the end of the stream.
    /// - Throws: `BerthError` when the underlying read fails.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Bytes held in memory, read front to back.
public final class BytesByteSource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    /// - Parameter bytes: the whole stream.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - offset)
        guard count > 0, let base = buffer.baseAddress else { return 0 }
        bytes.withUnsafeBytes { base.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
        offset += count
        return count
    }
}
