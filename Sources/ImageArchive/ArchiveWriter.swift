import Diagnostics
import LayerArchive
import LinuxSyscalls

/// The tar that `save` writes: members as docker writes them, owned by root, mode 0644 (0755
/// for directories), modification time the epoch, so one image always gives the same archive.
final class ArchiveWriter {
    private let tar: TarWriter

    init(fd: FileDescriptor) throws { tar = try TarWriter(fd: fd) }

    func addDirectory(_ name: String) throws {
        try tar.addDirectory(path: name, mode: 0o755, mtime: 0)
    }

    func addFile(_ name: String, bytes: [UInt8]) throws {
        try tar.addFile(path: name, mode: 0o644, mtime: 0, bytes: bytes)
    }

    /// Adds a member of `size` bytes read from `source`, which must hold exactly that many.
    func addFile(_ name: String, size: Int64, from source: ByteSource) throws {
        try tar.addFile(path: name, mode: 0o644, mtime: 0, size: size, source: source)
    }

    /// Writes the end-of-archive blocks.
    func finish() throws { try tar.finish() }
}
