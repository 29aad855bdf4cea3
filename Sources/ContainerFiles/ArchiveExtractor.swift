import Diagnostics
import LayerArchive
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Extracts a `docker cp -` tar stream below a directory of a rooted tree (a container's rootfs).
struct ArchiveExtractor {
    let tree: RootedTree
    /// The destination directory's components.
    let base: [String]
    let writer: EntryWriter

    func extract(_ reader: TarReader) throws {
        // Directories get their mode and times last: their children change their mtime, and
        // a read-only mode would stop us from creating them.
        var directories: [(components: [String], metadata: EntryMetadata)] = []
        while let entry = try reader.next() {
            guard let relative = Self.components(of: entry.path) else {
                throw BerthError.invalid("entry '\(entry.path)': path leaves the destination")
            }
            guard let last = relative.last else { continue }  // "./"
            let name = cName(last)
            let full = base + relative
            let path = CopyPath.absolute(full)
            let metadata = EntryMetadata(mode: entry.mode, uid: entry.uid, gid: entry.gid, mtime: entry.mtime)
            try BerthError.wrap("entry '\(entry.path)'") {
                let parent = try tree.makeDirectory(Array(full.dropLast()))
                switch entry.kind {
                case .directory:
                    _ = try writer.directory(name, in: parent.rawValue, path: path)
                    directories.append((full, metadata))
                case .file:
                    let fd = try writer.file(name, in: parent.rawValue, path: path)
                    try reader.copyData(to: fd)
                    try writer.finish(fd, metadata: metadata, path: path)
                case .symlink:
                    try writer.symlink(name, target: Array((entry.linkTarget ?? "").utf8CString), in: parent.rawValue,
                                       metadata: metadata, path: path)
                case .hardLink:
                    try hardLink(name, in: parent.rawValue, to: entry.linkTarget ?? "", path: path)
                case .fifo:
                    try writer.node(name, type: S_IFIFO, device: 0, in: parent.rawValue, metadata: metadata, path: path)
                case .characterDevice, .blockDevice, .socket:
                    return  // TarEntry carries no device numbers; sockets mean nothing in a tar
                }
            }
        }
        for directory in directories.reversed() {
            let path = CopyPath.absolute(directory.components)
            let fd = tree.open(directory.components, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
            if fd == -1 { throw BerthError.system("open", path: path) }
            try writer.finish(FileDescriptor(fd), metadata: directory.metadata, path: path)
        }
    }

    /// A hard link to an earlier entry (a path inside the archive): resolved inside the tree
    /// without following a final symlink, and linked through its descriptor.
    private func hardLink(_ name: [CChar], in parent: Int32, to target: String, path: String) throws {
        guard let relative = Self.components(of: target), !relative.isEmpty else {
            throw BerthError.invalid("hard link to '\(target)' leaves the destination")
        }
        let fd = tree.open(base + relative, OpenFlags.path | O_NOFOLLOW)
        if fd == -1 { throw BerthError.system("hard link to", path: target) }
        let linked = FileDescriptor(fd)
        let status = try linked.stat()
        guard status.st_mode & S_IFMT == S_IFREG || status.st_mode & S_IFMT == S_IFLNK else {
            throw BerthError.invalid("hard link to '\(target)': not a file")
        }
        try writer.replace(name, in: parent, path: path)
        try syscall("link", path: path) { linkat(AT_FDCWD, linked.procPath, parent, name, AT_SYMLINK_FOLLOW) }
    }

    /// An entry's path below the destination: "", "." dropped; nil when it has "..".
    static func components(of path: String) -> [String]? {
        var result: [String] = []
        for part in path.split(separator: "/") where part != "." {
            if part == ".." { return nil }
            result.append(String(part))
        }
        return result
    }
}
