import ImageSpec

/// Everything a load will add to the store, worked out (and verified) before the store is
/// touched: a malformed archive fails while building the plan and leaves nothing behind.
struct LoadPlan {
    /// Where a blob's bytes come from.
    enum Content {
        /// Held in memory: a manifest or config as read, or a manifest generated for a docker-archive.
        case bytes([UInt8])
        /// An archive member, verified to hash to the blob's digest.
        case member(String)
    }

    struct Blob {
        var digest: Digest
        var size: Int64
        var content: Content
    }

    /// A layer to unpack: its blob (and the member holding it), how that is compressed, and the
    /// diff id it must give.
    struct Layer {
        var blob: Digest
        var member: String
        var compression: LayerCompression
        var diffID: Digest
    }

    struct Image {
        var manifestDigest: Digest
        var layers: [Layer]
        /// The names to record; empty for an image loaded by id only.
        var references: [ImageReference]
    }

    private(set) var blobs: [Blob] = []
    private var known: Set<Digest> = []
    var images: [Image] = []

    /// Adds a blob once, however many images share it.
    mutating func addBlob(_ digest: Digest, size: Int64, content: Content) {
        guard known.insert(digest).inserted else { return }
        blobs.append(Blob(digest: digest, size: size, content: content))
    }

    mutating func addBlob(_ bytes: [UInt8]) -> Digest {
        let digest = Digest.sha256(of: bytes)
        addBlob(digest, size: Int64(bytes.count), content: .bytes(bytes))
        return digest
    }
}
