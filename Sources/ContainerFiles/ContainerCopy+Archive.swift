import Diagnostics
import LayerArchive
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension ContainerCopy {
    /// `docker cp CONTAINER:SRC -`: writes SRC as a tar stream to `fd` (which stays open).
    ///
    /// Entries are named from SRC's last component (`etc/hostname` for `/etc`), or from the
    /// directory's top for `SRC/.`, as docker does.
    /// - Parameters:
    ///   - rootfs: the container's mounted root filesystem.
    ///   - path: SRC in the container.
    ///   - fd: where the tar goes: standard output, a pipe, a file.
    /// - Throws: notFound "could not find the file SRC in container", "write tar: ...".
    public static func copyOutArchive(rootfs: String, path: String, to fd: Int32) throws {
        let source = try CopySource.locate(CopyPath(path), in: try RootedTree.container(rootfs))
        let writer = try TarWriter(fd: try duplicate(fd))
        if let directory = source.directory {
            // The /proc link reopens the directory already resolved in the rootfs; addTree
            // walks it by descriptors, never following a symlink.
            try writer.addTree(directory.procPath, prefix: source.contentsOnly ? "" : source.name)
        } else if let parent = source.parent {
            try addEntry(source, in: parent, to: writer)
        }
        try writer.finish()
    }

    /// `docker cp - CONTAINER:DEST`: extracts the tar stream read from `fd` into DEST, which
    /// must be an existing directory in the container.
    ///
    /// Entry paths are taken below DEST (a `..` entry is refused); their parents are resolved
    /// inside the rootfs, so a symlink in the container or in the archive never leads out of it.
    /// A directory does not replace a non-directory nor the other way round; `.wh.` names are
    /// ordinary files here (this is not a layer).
    /// - Parameter keepingOwnership: give entries the archive's owners; otherwise they are the caller's (root).
    /// - Throws: notFound "no such directory: DEST in container", "not a directory: DEST in
    ///   container", "read tar: ...", "entry 'PATH': ...".
    public static func copyInArchive(from fd: Int32, rootfs: String, path: String, keepingOwnership: Bool = true) throws {
        let tree = try RootedTree.container(rootfs)
        let destination = CopyPath(path)
        _ = try tree.openDirectory(destination.components)
        let reader = try TarReader(source: FileByteSource(fd: try duplicate(fd)))
        try ArchiveExtractor(tree: tree, base: destination.components, writer: EntryWriter(keepingOwnership: keepingOwnership))
            .extract(reader)
    }

    /// A file, symlink or directory found in its parent, as the tar's only top entry.
    private static func addEntry(_ source: CopySource, in parent: FileDescriptor, to writer: TarWriter) throws {
        let status = source.status
        let mode = UInt32(status.st_mode & 0o7777)
        let mtime = Int64(status.st_mtim.tv_sec)
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
            let fd = try FileDescriptor.open(at: parent, source.name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
            try writer.addTree(fd.procPath, prefix: source.name)
        case S_IFREG:
            // O_NONBLOCK: a fifo swapped in since the lookup must not hang the open.
            let fd = try FileDescriptor.open(at: parent, source.name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK)
            let current = try fd.stat()
            guard current.st_mode & S_IFMT == S_IFREG else {
                throw BerthError(.invalidState, "copy \(source.path): changed while being copied")
            }
            try writer.addFile(path: source.name, mode: mode, uid: current.st_uid, gid: current.st_gid, mtime: mtime,
                               size: Int64(current.st_size), source: FileByteSource(fd: fd))
        case S_IFLNK:
            var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlinkat(parent.rawValue, source.name, &target, target.count - 1)
            if length == -1 { throw BerthError.system("readlink", path: source.path) }
            let text = String(decoding: target[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            try writer.addSymlink(path: source.name, target: text, uid: status.st_uid, gid: status.st_gid, mtime: mtime)
        default:
            throw BerthError(.invalidArgument, "cannot archive \(source.path): not a file, directory or symlink")
        }
    }
}

/// A descriptor of our own on `fd`, which the caller keeps.
func duplicate(_ fd: Int32) throws -> FileDescriptor {
    FileDescriptor(try syscall("dup") { fcntl(fd, F_DUPFD_CLOEXEC, 0) })
}
