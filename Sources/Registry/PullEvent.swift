import ImageSpec
import ImageStore
import Synchronization

/// What a pull reports as it goes (docker's progress lines).
public enum PullEvent: Sendable, Equatable {
    /// Resolving the reference: docker's `latest: Pulling from library/busybox`.
    case resolving(ImageReference)
    /// A layer's progress, by its blob digest (docker shows its short id).
    case layer(Digest, LayerProgress)
    /// The digest the reference resolved to: `Digest: sha256:…`.
    case digest(Digest)
    /// The closing line: `Downloaded newer image for busybox:latest` or `Image is up to date for …`.
    case status(String)
}

/// One layer's state in a pull.
public enum LayerProgress: Sendable, Equatable {
    /// Queued behind other layers: `Waiting`.
    case waiting
    /// Bytes received so far of `total`: `Downloading`. Unpacking runs at the same time.
    case downloading(bytes: Int64, total: Int64)
    /// Unpacking a blob that was already stored: `Extracting`.
    case extracting
    /// Stored and unpacked: `Pull complete`.
    case complete
    /// Blob and unpacked layer were already in the store: `Already exists`.
    case alreadyExists
}

/// The outcome of a pull.
public struct PullResult: Sendable {
    /// The image as the store now records it.
    public var image: StoredImage
    /// False when the reference already named this image and nothing had to be fetched or
    /// unpacked (docker's "Image is up to date").
    public var downloaded: Bool
    /// The digest the reference resolved to (an index's, for a multi-platform image): the repo digest.
    public var digest: Digest
}

/// Hands events to the caller's closure one at a time, whichever layer task sends them.
final class EventSink: Sendable {
    private let handler: Mutex<@Sendable (PullEvent) -> Void>

    init(_ handler: @escaping @Sendable (PullEvent) -> Void) { self.handler = Mutex(handler) }

    func send(_ event: PullEvent) { handler.withLock { $0(event) } }
}
