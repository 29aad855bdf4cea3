import Diagnostics
import Foundation

/// A bounded in-memory pipe from a blob download to a reader thread (the layer unpacker).
///
/// The download side (`write`, on the HTTP delegate thread) never blocks; before each byte
/// range it awaits `waitForSpace()`, which returns once the reader has drained the pipe to
/// `lowWater`. The reader blocks in `nextChunk()` until bytes, the end or a failure arrive.
/// Memory per layer stays below `lowWater` plus one range.
final class BlobPipe: BlobSink, @unchecked Sendable {
    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var chunks: [Data] = []
    private var head = 0
    private var buffered = 0
    private var finished = false
    private var failure: (any Error)?
    private var readerClosed = false
    private var spaceWaiter: CheckedContinuation<Void, Never>?
    let lowWater: Int

    init(lowWater: Int = 4 << 20) {
        self.lowWater = lowWater
    }

    // MARK: - Download side

    func write(_ chunk: Data) -> FlowControl {
        condition.lock()
        defer { condition.unlock() }
        if readerClosed { return .stop }
        chunks.append(chunk)
        buffered += chunk.count
        condition.signal()
        return .proceed
    }

    func waitForSpace() async -> Bool {
        if hasSpace(orWait: nil) { return false }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            if hasSpace(orWait: continuation) { continuation.resume() }
        }
        return true
    }

    /// True when the pipe is drained enough; otherwise `waiter` (if any) is resumed once it is.
    private func hasSpace(orWait waiter: CheckedContinuation<Void, Never>?) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if buffered <= lowWater || readerClosed || finished { return true }
        if let waiter { spaceWaiter = waiter }
        return false
    }

    /// The download ended: completely (`error` nil) or not.
    func finish(error: (any Error)? = nil) {
        condition.lock()
        if !finished {
            finished = true
            failure = error
        }
        condition.broadcast()
        condition.unlock()
    }

    // MARK: - Reader side

    /// The next chunk, blocking until there is one; nil at the end of a complete download.
    /// - Throws: the download's failure.
    func nextChunk() throws -> Data? {
        condition.lock()
        while head == chunks.count && !finished { condition.wait() }
        if let failure {
            condition.unlock()
            throw failure
        }
        guard head < chunks.count else {
            condition.unlock()
            return nil
        }
        let chunk = chunks[head]
        head += 1
        if head == chunks.count {
            chunks.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 1024 {
            chunks.removeFirst(head)
            head = 0
        }
        buffered -= chunk.count
        var waiter: CheckedContinuation<Void, Never>?
        if buffered <= lowWater {
            waiter = spaceWaiter
            spaceWaiter = nil
        }
        condition.unlock()
        waiter?.resume()
        return chunk
    }

    /// The reader is gone (done or failed): drop what is buffered and stop the download.
    func closeReading() {
        condition.lock()
        readerClosed = true
        chunks = []
        head = 0
        buffered = 0
        let waiter = spaceWaiter
        spaceWaiter = nil
        condition.unlock()
        waiter?.resume()
    }
}
