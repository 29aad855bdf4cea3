import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Copies a file or a directory tree from one directory descriptor to another, like `cp -a`:
/// modes, ownership (as root, when asked), access and modification times, symlinks as links,
/// devices, fifos, and files with several links as hard links again. Every step is relative
/// to a descriptor and never follows a symlink, so neither side can be led elsewhere by a link
/// or a rename during the copy. Names are bytes (they need not be UTF-8). Sockets are left out.
final class TreeCopier {
    private let writer: EntryWriter
    /// The first copy of each source file with several links, by device and inode: an O_PATH
    /// descriptor on it, for linking the next names to.
    private var linked: [FileIdentity: FileDescriptor] = [:]
    /// Past this many, further linked files are copied as separate files (descriptors are finite).
    private let linkLimit = 512

    init(keepingOwnership: Bool) {
        writer = EntryWriter(keepingOwnership: keepingOwnership)
    }

    /// Copies `name` in `sourceParent` to `destinationName` in `destinationParent`.
    /// - Parameters:
    ///   - sourcePath, destinationPath: the two paths, for messages.
    func copy(_ name: [CChar], in sourceParent: Int32, to destinationName: [CChar], in destinationParent: Int32,
              sourcePath: String, destinationPath: String) throws {
        var status = stat()
        if fstatat(sourceParent, name, &status, AT_SYMLINK_NOFOLLOW) == -1 {
            if errno == ENOENT { return }  // removed while we walk
            throw BerthError.system("stat", path: sourcePath)
        }
        let metadata = EntryMetadata(status)
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
            let fd = openat(sourceParent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if fd == -1 { throw BerthError.system("open", path: sourcePath) }
            try copyDirectory(FileDescriptor(fd), metadata: metadata, to: destinationName, in: destinationParent,
                              sourcePath: sourcePath, destinationPath: destinationPath)
        case S_IFREG:
            let identity = FileIdentity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
            if status.st_nlink > 1, let first = linked[identity] {
                return try link(first, as: destinationName, in: destinationParent, path: destinationPath)
            }
            let source = try openRegularFile(name, in: sourceParent, path: sourcePath)
            let destination = try writer.file(destinationName, in: destinationParent, path: destinationPath)
            try copyData(from: source, to: destination, sourcePath: sourcePath, destinationPath: destinationPath)
            try writer.finish(destination, metadata: metadata, path: destinationPath)
            if status.st_nlink > 1 && linked.count < linkLimit {
                let copied = openat(destinationParent, destinationName, OpenFlags.path | O_NOFOLLOW | O_CLOEXEC)
                if copied != -1 { linked[identity] = FileDescriptor(copied) }
            }
        case S_IFLNK:
            var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlinkat(sourceParent, name, &target, target.count - 1)
            if length == -1 { throw BerthError.system("readlink", path: sourcePath) }
            target[length] = 0
            try writer.symlink(destinationName, target: target, in: destinationParent, metadata: metadata,
                               path: destinationPath)
        case S_IFCHR, S_IFBLK, S_IFIFO:
            try writer.node(destinationName, type: status.st_mode & S_IFMT, device: UInt64(status.st_rdev),
                            in: destinationParent, metadata: metadata, path: destinationPath)
        default:
            return  // sockets: docker skips them too
        }
    }

    /// Copies the directory `source` as `destinationName` (made, or merged into when it exists).
    func copyDirectory(_ source: FileDescriptor, metadata: EntryMetadata, to destinationName: [CChar],
                       in destinationParent: Int32, sourcePath: String, destinationPath: String) throws {
        let destination = try writer.directory(destinationName, in: destinationParent, path: destinationPath)
        try copyChildren(of: source, into: destination, sourcePath: sourcePath, destinationPath: destinationPath)
        try writer.finish(destination, metadata: metadata, path: destinationPath)
    }

    /// Copies what is in `source` into the existing directory `destination`.
    func copyChildren(of source: FileDescriptor, into destination: FileDescriptor, sourcePath: String,
                      destinationPath: String) throws {
        for name in try names(in: source, path: sourcePath) {
            let text = displayName(name)
            try copy(name, in: source.rawValue, to: name, in: destination.rawValue,
                     sourcePath: join(sourcePath, text), destinationPath: join(destinationPath, text))
        }
    }

    // MARK: - Helpers

    /// A second name for an already copied file; linkat through its descriptor's /proc link
    /// (AT_EMPTY_PATH would need CAP_DAC_READ_SEARCH).
    private func link(_ first: FileDescriptor, as name: [CChar], in parent: Int32, path: String) throws {
        try writer.replace(name, in: parent, path: path)
        try syscall("link", path: path) { linkat(AT_FDCWD, first.procPath, parent, name, AT_SYMLINK_FOLLOW) }
    }

    /// Opens a regular file for reading. O_NONBLOCK: if the entry was swapped for a fifo since
    /// it was looked at, open must not hang waiting for a writer; the type is checked again.
    private func openRegularFile(_ name: [CChar], in parent: Int32, path: String) throws -> FileDescriptor {
        let fd = FileDescriptor(try syscall("open", path: path) {
            openat(parent, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        })
        guard try fd.stat().st_mode & S_IFMT == S_IFREG else {
            throw BerthError(.invalidState, "copy \(path): changed while being copied")
        }
        return fd
    }

    /// The names in a directory as NUL-terminated bytes, "." and ".." left out, sorted.
    private func names(in directory: FileDescriptor, path: String) throws -> [[CChar]] {
        // fdopendir owns the descriptor it gets: give it a duplicate.
        let copy = fcntl(directory.rawValue, F_DUPFD_CLOEXEC, 0)
        if copy == -1 { throw BerthError.system("dup", path: path) }
        guard let stream = fdopendir(copy) else {
            close(copy)
            throw BerthError.system("opendir", path: path)
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [[CChar]] = []
        while let item = readdir(stream) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                Array(raw.bindMemory(to: CChar.self).prefix { $0 != 0 }) + [0]
            }
            if name == [46, 0] || name == [46, 46, 0] { continue }
            names.append(name)
        }
        return names.sorted { $0.lexicographicallyPrecedes($1) { UInt8(bitPattern: $0) < UInt8(bitPattern: $1) } }
    }

    /// read/write in 1 MiB chunks (copy_file_range would not cross every file system pair).
    private func copyData(from source: FileDescriptor, to destination: FileDescriptor, sourcePath: String,
                          destinationPath: String) throws {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = try syscall("read", path: sourcePath) { read(source.rawValue, buffer.baseAddress, buffer.count) }
            if count == 0 { return }
            var written = 0
            while written < count {
                written += try syscall("write", path: destinationPath) {
                    write(destination.rawValue, buffer.baseAddress! + written, count - written)
                }
            }
        }
    }
}

/// A file's device and inode: what hard links share.
struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64
}

/// A NUL-terminated name for messages.
func displayName(_ name: [CChar]) -> String {
    String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// A name as NUL-terminated bytes.
func cName(_ name: String) -> [CChar] { Array(name.utf8CString) }

/// `base/name`, without a doubled slash.
func join(_ base: String, _ name: String) -> String {
    base.hasSuffix("/") ? base + name : base + "/" + name
}
