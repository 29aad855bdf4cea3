import Diagnostics
import ImageSpec
import ImageStore
import LayerArchive
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// `berth save`: writes images from the store as a docker-archive or an OCI archive.
public struct ImageSaver {
    public let store: ImageStore

    /// - Parameter store: the store the images are read from.
    public init(store: ImageStore) { self.store = store }

    /// Writes `images` to the file `path`, atomically: the archive is written to a temporary file
    /// next to it and renamed over it at the end, so a failed save leaves nothing.
    /// - Parameters:
    ///   - images: each image with the names to save it under (none: saved by id, untagged). An
    ///     image listed twice is written once, with all its names.
    ///   - format: docker-archive or oci-archive.
    ///   - path: the archive to create or replace.
    /// - Throws: `BerthError` "save PATH: …" when a blob is missing or does not match its digest,
    ///   or writing fails.
    public func save(_ images: [(image: StoredImage, references: [ImageReference])], format: ArchiveFormat, to path: String) throws {
        try BerthError.wrap("save \(path)") {
            // Files.absolute gives "/dir/name": the temporary file goes in "/dir" as ".name.berth-…".
            let absolute = Files.absolute(path)
            let name = absolute.split(separator: "/").last.map(String.init) ?? "archive"
            let directory = String(absolute.dropLast(name.count))
            let (fd, temporary) = try StreamCopy.createUnique(prefix: "\(directory).\(name).berth")
            do {
                try write(images, format: format, to: fd)
                try syscall("fchmod", path: temporary) { fchmod(fd.rawValue, 0o644) }
                fd.close()
                try syscall("rename", path: absolute) { rename(temporary, absolute) }
            } catch {
                unlink(temporary)
                throw error
            }
        }
    }

    /// Writes `images` to `fd` (standard output, when `save` has no `-o`) as the archive is made.
    /// - Parameters:
    ///   - images: as for saving to a path.
    ///   - format: docker-archive or oci-archive.
    ///   - fd: an open, writable descriptor; it is not closed.
    /// - Throws: `BerthError` "save: …"; what was written by then stays written.
    public func save(_ images: [(image: StoredImage, references: [ImageReference])], format: ArchiveFormat, to fd: FileDescriptor) throws {
        try BerthError.wrap("save") { try write(images, format: format, to: fd) }
    }

    private func write(_ images: [(image: StoredImage, references: [ImageReference])], format: ArchiveFormat, to fd: FileDescriptor) throws {
        guard !images.isEmpty else { throw BerthError.invalid("no images to save") }
        // The pull lock keeps `prune` from collecting blobs while they are read.
        try store.withPullLock {
            let writer = try ArchiveWriter(fd: fd)
            switch format {
            case .dockerArchive: try writeDockerArchive(Self.merge(images, by: \.id), to: writer)
            case .ociArchive: try writeOCIArchive(Self.merge(images, by: \.manifestDigest), to: writer)
            }
            try writer.finish()
        }
    }

    /// Joins the entries of one image (by `key`) and drops repeated names; keeps the first order.
    static func merge(_ images: [(image: StoredImage, references: [ImageReference])], by key: KeyPath<StoredImage, Digest>)
        -> [(image: StoredImage, references: [ImageReference])] {
        var result: [(image: StoredImage, references: [ImageReference])] = []
        for (image, references) in images {
            let names = references.map { $0.tag == nil && $0.digest == nil ? $0.withTag(ImageReference.defaultTag) : $0 }
            if let at = result.firstIndex(where: { $0.image[keyPath: key] == image[keyPath: key] }) {
                for name in names where !result[at].references.contains(name) { result[at].references.append(name) }
            } else {
                var unique: [ImageReference] = []
                for name in names where !unique.contains(name) { unique.append(name) }
                result.append((image, unique))
            }
        }
        return result
    }
}
