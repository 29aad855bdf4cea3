import Diagnostics
import Foundation
import ImageSpec
import ImageStore
import LayerArchive
import Synchronization

extension Puller {
    /// Brings every layer into the store, `maxConcurrentLayers` at a time.
    /// - Returns: whether any layer was downloaded or unpacked.
    func fetchLayers(_ layers: [Descriptor], diffIDs: [Digest], client: RegistryClient, events: EventSink) async throws -> Bool {
        // A layer listed twice is fetched once.
        var seen = Set<Digest>()
        let jobs = zip(layers, diffIDs).filter { seen.insert($0.0.digest).inserted }
        for (layer, diffID) in jobs where !(store.hasBlob(layer.digest) && store.hasLayer(diffID: diffID)) {
            events.send(.layer(layer.digest, .waiting))
        }
        return try await withThrowingTaskGroup(of: Bool.self) { group in
            var next = jobs.makeIterator()
            var running = 0
            var fetchedAny = false
            while true {
                while running < maxConcurrentLayers, let (layer, diffID) = next.next() {
                    group.addTask { try await fetchLayer(layer, diffID: diffID, client: client, events: events) }
                    running += 1
                }
                guard let fetched = try await group.next() else { break }
                running -= 1
                fetchedAny = fetchedAny || fetched
            }
            return fetchedAny
        }
    }

    /// One layer: already there, unpacked from its stored blob, or downloaded and unpacked in one pass.
    /// - Returns: whether it had to be fetched or unpacked.
    private func fetchLayer(_ layer: Descriptor, diffID: Digest, client: RegistryClient, events: EventSink) async throws -> Bool {
        let store = store
        let haveBlob = store.hasBlob(layer.digest)
        let haveLayer = store.hasLayer(diffID: diffID)
        let compression = LayerCompression(mediaType: layer.mediaType)
        if haveBlob && haveLayer {
            events.send(.layer(layer.digest, .alreadyExists))
            return false
        }
        if haveBlob {
            events.send(.layer(layer.digest, .extracting))
            try await BlockingThread.run("unpack \(layer.digest.shortID)") {
                try BerthError.wrap("layer \(layer.digest)") {
                    let source = FileByteSource(fd: try store.openBlob(layer.digest))
                    _ = try store.unpackLayer(source, compression: compression, expectedDiffID: diffID)
                }
            }
            events.send(.layer(layer.digest, .complete))
            return true
        }

        let pipe = BlobPipe()
        let writer = try store.newBlobWriter()
        let reporter = DownloadReporter(layer: layer, events: events)
        let stream = LayerStream(pipe: pipe, writer: writer, digest: layer.digest, size: layer.size, progress: reporter.update)
        events.send(.layer(layer.digest, .downloading(bytes: 0, total: layer.size)))
        // The unpacker reads what the download writes into the pipe, on a thread of its own.
        async let consumed: Void = BlockingThread.run("unpack \(layer.digest.shortID)") {
            defer { pipe.closeReading() }
            do {
                if !haveLayer {
                    _ = try store.unpackLayer(stream, compression: compression, expectedDiffID: diffID)
                }
                try stream.finish()
            } catch {
                writer.abort()
                throw error
            }
        }
        var downloadError: (any Error)?
        do {
            try await client.blob(layer.digest, size: layer.size, into: pipe)
            pipe.finish()
        } catch {
            downloadError = error
            pipe.finish(error: error)
        }
        // The unpacker's error comes first: when it fails it stops the download too.
        do {
            try await consumed
        } catch {
            throw registryError(error).context("layer \(layer.digest)")
        }
        if let downloadError { throw registryError(downloadError).context("layer \(layer.digest)") }
        reporter.update(layer.size, force: true)
        events.send(.layer(layer.digest, .complete))
        return true
    }
}

/// Throttles download progress to about one event per MiB.
private final class DownloadReporter: Sendable {
    private let layer: Descriptor
    private let events: EventSink
    private let last = Mutex<Int64>(0)

    init(layer: Descriptor, events: EventSink) {
        self.layer = layer
        self.events = events
    }

    @Sendable func update(_ bytes: Int64) { update(bytes, force: false) }

    func update(_ bytes: Int64, force: Bool) {
        let due = last.withLock { last in
            guard force || bytes - last >= 1 << 20 || bytes == layer.size, bytes != last || force else { return false }
            last = bytes
            return true
        }
        if due { events.send(.layer(layer.digest, .downloading(bytes: bytes, total: layer.size))) }
    }
}
