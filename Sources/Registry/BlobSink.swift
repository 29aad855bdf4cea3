import Foundation

/// Where a streamed blob download goes, chunk by chunk.
///
/// The download asks for the blob in bounded byte ranges and calls `waitForSpace()` before each
/// one, so a sink that drains slowly (an unpacker) holds at most its low-water mark plus one
/// range in memory. (URLSession on Linux cannot hold back a running libcurl transfer.)
public protocol BlobSink: AnyObject, Sendable {
    /// The next bytes of the blob, on the HTTP client's delegate thread; must not block.
    /// `.stop` abandons the download.
    func write(_ chunk: Data) -> FlowControl
    /// Returns when the sink is ready for the next range.
    /// - Returns: whether it had to wait (the sink drains slower than the network delivers).
    func waitForSpace() async -> Bool
}

/// One GET of a blob download: skips what an earlier attempt already delivered when the
/// server answers from an earlier offset than asked (or ignores Range), counts what it passes
/// on, refuses more than the blob's size.
final class BlobDownloadAttempt: ResponseBodyConsumer, @unchecked Sendable {
    // Touched on the delegate queue during the transfer and read by the caller only after it.
    private let sink: any BlobSink
    private let offset: Int64
    private let size: Int64?
    private var skip: Int64 = 0
    private(set) var delivered: Int64 = 0
    private(set) var failure: String?
    /// False when the server ignored Range and sent the whole blob.
    private(set) var ranged = true

    init(sink: any BlobSink, offset: Int64, size: Int64?) {
        self.sink = sink
        self.offset = offset
        self.size = size
    }

    func begin(_ response: HTTPResponse) -> Bool {
        if response.status == 206 {
            // Content-Range: bytes START-END/TOTAL
            let start = response.header("Content-Range")
                .flatMap { $0.split(separator: " ").last?.split(separator: "-").first }
                .flatMap { Int64($0) }
            guard let start, start <= offset else {
                failure = "bad Content-Range \(response.header("Content-Range") ?? "(none)") for offset \(offset)"
                return true
            }
            skip = offset - start
        } else {
            // The whole blob: drop the prefix we have.
            ranged = false
            skip = offset
        }
        return true
    }

    func consume(_ chunk: Data) -> FlowControl {
        if failure != nil { return .stop }
        var chunk = chunk
        if skip > 0 {
            let dropped = Int(min(skip, Int64(chunk.count)))
            skip -= Int64(dropped)
            chunk = chunk.dropFirst(dropped)
            if chunk.isEmpty { return .proceed }
        }
        if let size, offset + delivered + Int64(chunk.count) > size {
            failure = "more than the \(size) bytes the manifest says"
            return .stop
        }
        delivered += Int64(chunk.count)
        return sink.write(chunk)
    }
}
