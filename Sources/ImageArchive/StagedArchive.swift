import Diagnostics
import Hashing
import ImageSpec
import LayerArchive
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// A tar archive read once, front to back, into temporary files.
///
/// Each regular member is copied (and hashed on the way) into a file of the staging directory
/// named by a counter: member names are checked and normalised, then used only as keys, so no
/// name can place anything anywhere. Symbolic and hard links become aliases of the member they
/// name (older `docker save` links identical layer.tar files); directories are skipped; any other
/// member type makes the archive malformed.
final class StagedArchive: ArchiveContents {
    private struct StagedFile {
        var path: String
        var size: Int64
        var digest: Digest
    }

    let label: String
    private let directory: String
    private var files: [String: StagedFile] = [:]
    private var links: [String: String] = [:]

    /// Reads the tar (plain, gzip or zstd) at `path` into `stagingDirectory`, which must exist
    /// and is removed by ``remove()`` (or at once, when reading fails).
    /// - Throws: `invalidArgument` for a malformed tar or member; a system error for I/O.
    init(path: String, stagingDirectory: String) throws {
        label = "archive \(path)"
        directory = stagingDirectory
        do {
            try stage(path)
        } catch {
            remove()
            throw error
        }
    }

    /// Removes the staging directory and everything in it.
    func remove() { try? Files.removeTree(directory) }

    private func stage(_ path: String) throws {
        let reader = try TarReader(source: try FileByteSource(path: path))
        var count = 0
        while let entry = try reader.next() {
            let name = try MemberName.normalize(entry.path)
            if entry.kind == .directory { continue }
            guard !name.isEmpty else { throw BerthError.invalid("member \(entry.path.debugDescription): not a file name") }
            guard files[name] == nil, links[name] == nil else { throw BerthError.invalid("member \(name) appears twice") }
            switch entry.kind {
            case .file:
                count += 1
                let file = "\(directory)/\(count)"
                let fd = try FileDescriptor.open(file, O_WRONLY | O_CREAT | O_EXCL, mode: 0o600)
                let hasher = SHA256Hasher()
                let size = try reader.copyData(to: fd, hasher: hasher)
                files[name] = StagedFile(path: file, size: size, digest: Digest(sha256Hex: SHA256Hasher.hex(hasher.finalize())))
            case .symlink:
                links[name] = try MemberName.symlinkTarget(entry.linkTarget ?? "", of: name)
            case .hardLink:
                let target = try MemberName.normalize(entry.linkTarget ?? "")
                guard !target.isEmpty else { throw BerthError.invalid("member \(name): hard link without a target") }
                links[name] = target
            default:
                throw BerthError.invalid("member \(name): unsupported member type \(entry.kind)")
            }
        }
        guard !files.isEmpty else { throw BerthError.invalid("\(label) holds no files") }
    }

    /// The staged file behind `name`, following up to 40 links.
    private func resolve(_ name: String) -> StagedFile? {
        var current = name
        for _ in 0..<40 {
            if let file = files[current] { return file }
            guard let next = links[current] else { return nil }
            current = next
        }
        return nil
    }

    private func staged(_ name: String) throws -> StagedFile {
        guard let file = resolve(name) else { throw BerthError.invalid("\(label): \(name) is missing") }
        return file
    }

    func contains(_ name: String) -> Bool { resolve(name) != nil }
    func size(of name: String) throws -> Int64 { try staged(name).size }
    func digest(of name: String) throws -> Digest { try staged(name).digest }
    func open(_ name: String) throws -> FileDescriptor { try FileDescriptor.open(try staged(name).path, O_RDONLY) }
}
