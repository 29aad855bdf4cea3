import Diagnostics
import Hashing
import ImageSpec
import LayerArchive
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// An OCI image layout directory read in place. Only `oci-layout`, `index.json` and
/// `blobs/sha256/<64 hex>` are ever opened, and never through a symbolic link at the last step.
final class LayoutDirectory: ArchiveContents {
    let path: String
    var label: String { "oci layout \(path)" }
    private var digests: [String: Digest] = [:]

    init(path: String) { self.path = path }

    private func filePath(_ name: String) throws -> String {
        let allowed = name == "oci-layout" || name == "index.json"
            || (name.hasPrefix("blobs/sha256/") && Digest.isHex64(name.dropFirst("blobs/sha256/".count)))
        guard allowed else { throw BerthError.invalid("\(label): \(name) is not a layout file") }
        return "\(path)/\(name)"
    }

    func contains(_ name: String) -> Bool {
        guard let file = try? filePath(name) else { return false }
        var st = stat()
        return lstat(file, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG
    }

    func size(of name: String) throws -> Int64 { Int64(try open(name).stat().st_size) }

    func digest(of name: String) throws -> Digest {
        if let known = digests[name] { return known }
        let fd = try open(name)
        let hasher = SHA256Hasher()
        try StreamCopy.forEachChunk(of: FileByteSource(fd: fd)) { hasher.update($0) }
        let digest = Digest(sha256Hex: SHA256Hasher.hex(hasher.finalize()))
        digests[name] = digest
        return digest
    }

    func open(_ name: String) throws -> FileDescriptor {
        let file = try filePath(name)
        let fd = try FileDescriptor.open(file, O_RDONLY | O_NOFOLLOW)
        guard (try fd.stat().st_mode & S_IFMT) == S_IFREG else { throw BerthError.invalid("\(label): \(name) is not a regular file") }
        return fd
    }
}
