import Diagnostics
import Foundation
import ImageSpec
import ImageStore
import LayerArchive

/// The unpacker's view of a layer download: reads the pipe and, on the way, writes every
/// chunk into the store's blob writer, so the blob is stored and unpacked in one pass with no
/// extra copy. At the end of the stream the blob is committed (digest and size checked): a
/// mismatch fails the read, so the unpacker's work is thrown away too.
final class LayerStream: ByteSource, @unchecked Sendable {
    private let pipe: BlobPipe
    private let writer: BlobWriter
    private let digest: Digest
    private let size: Int64?
    private let progress: @Sendable (Int64) -> Void
    private var current = Data()
    private var offset = 0
    private(set) var committed = false

    init(pipe: BlobPipe, writer: BlobWriter, digest: Digest, size: Int64?, progress: @escaping @Sendable (Int64) -> Void) {
        self.pipe = pipe
        self.writer = writer
        self.digest = digest
        self.size = size
        self.progress = progress
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while offset == current.count {
            guard try advance() else { return 0 }
        }
        let count = min(buffer.count, current.count - offset)
        current.withUnsafeBytes { base.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
        offset += count
        return count
    }

    /// Moves to the next chunk, storing it; false (after committing the blob) at the end.
    private func advance() throws -> Bool {
        guard !committed else { return false }
        guard let chunk = try pipe.nextChunk() else {
            try writer.commit(expected: digest, expectedSize: size)
            committed = true
            return false
        }
        try chunk.withUnsafeBytes { try writer.write($0) }
        progress(writer.bytesWritten)
        current = chunk
        offset = 0
        return true
    }

    /// Stores the rest of the download (what the unpacker did not read) and commits the blob.
    func finish() throws {
        while try advance() {}
    }
}

/// Runs blocking work (unpacking, file I/O) on a thread of its own, off Swift's small
/// cooperative pool, and awaits its result.
enum BlockingThread {
    static func run<T: Sendable>(_ name: String, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                do {
                    continuation.resume(returning: try body())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = name
            thread.start()
        }
    }
}
