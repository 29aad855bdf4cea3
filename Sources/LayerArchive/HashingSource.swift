import Hashing

/// Passes bytes through and feeds every one to a sha256: the diff id of a tar stream.
final class HashingSource: ByteSource {
    private let upstream: ByteSource
    let hasher = SHA256Hasher()
    private(set) var byteCount: Int64 = 0

    init(_ upstream: ByteSource) { self.upstream = upstream }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = try upstream.read(into: buffer)
        if count > 0 {
            hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            byteCount += Int64(count)
        }
        return count
    }

    /// Reads `upstream` to its end, hashing everything left (the tar's trailing zero blocks).
    func drain(using buffer: UnsafeMutableRawBufferPointer) throws {
        while try read(into: buffer) > 0 {}
    }
}
