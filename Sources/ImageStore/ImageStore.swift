import Diagnostics
import ImageSpec
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Berth's image store under one root directory:
///
///     <root>/images/          an OCI image layout: oci-layout, index.json, blobs/sha256/<hex>
///     <root>/layers/<hex>/    one unpacked layer per diff id: diff/ (an overlayfs lower dir) and size
///     <root>/tmp/             everything half-made: blobs being written, layers being unpacked
///
/// Blobs are verified before they are renamed into place and layers are unpacked into tmp/ and
/// renamed whole, so a command killed at any point leaves only temporary files, which the next
/// command that finds no pull running removes. index.json is rewritten (temp + rename) under an
/// exclusive lock; pulls hold a shared "pull lock" that `prune` takes exclusively.
public final class ImageStore: @unchecked Sendable {
    public let root: String
    public let layoutPath: String
    public let blobsPath: String
    public let layersPath: String
    public let tmpPath: String

    /// Opens (creating when needed) the store under `root`.
    public init(root: String) throws {
        self.root = Files.normalize(Files.absolute(root))
        layoutPath = "\(self.root)/images"
        blobsPath = "\(layoutPath)/blobs/sha256"
        layersPath = "\(self.root)/layers"
        tmpPath = "\(self.root)/tmp"
        try BerthError.wrap("open image store \(self.root)") {
            for dir in [self.root, layoutPath, "\(layoutPath)/blobs", blobsPath, layersPath, tmpPath] {
                try Files.makeDirectory(dir, mode: 0o700)
            }
            let marker = "\(layoutPath)/oci-layout"
            if !Files.exists(marker) {
                try Files.writeAtomically(marker, Array(#"{"imageLayoutVersion":"1.0.0"}"#.utf8), mode: 0o644)
            }
            try removeStaleTemporaries()
        }
    }

    var indexPath: String { "\(layoutPath)/index.json" }
    var indexLockPath: String { "\(layoutPath)/index.lock" }
    var pullLockPath: String { "\(root)/pull.lock" }

    /// Removes what killed commands left in tmp/, when no pull, load or import is running.
    private func removeStaleTemporaries() throws {
        guard let lock = try FileLock.tryExclusive(pullLockPath) else { return }
        defer { lock.unlock() }
        for name in try Files.list(tmpPath) {
            try Files.removeTree("\(tmpPath)/\(name)")
        }
    }

    /// Runs `body` holding the shared pull lock: `prune` waits until it ends, so blobs and layers
    /// that a pull, load or import has written but not yet referenced are never collected.
    public func withPullLock<T>(_ body: () throws -> T) throws -> T {
        let lock = try FileLock.shared(pullLockPath)
        defer { lock.unlock() }
        return try body()
    }

    /// The async variant of ``withPullLock(_:)``.
    public func withPullLock<T>(_ body: () async throws -> T) async throws -> T {
        let lock = try FileLock.shared(pullLockPath)
        defer { lock.unlock() }
        return try await body()
    }

    /// A new, unique path in tmp/ (nothing is created).
    func temporaryPath(_ prefix: String) -> String {
        "\(tmpPath)/\(prefix)-\(String(UInt64.random(in: 0...UInt64.max), radix: 36))"
    }
}
