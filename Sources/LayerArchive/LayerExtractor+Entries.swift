import CArchive
import CBerthShim
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// AT_EMPTY_PATH (<fcntl.h>, needs _GNU_SOURCE): Swift's Glibc module does not import it.
let atEmptyPath: Int32 = 0x1000

extension LayerExtractor {
    // MARK: - Entry kinds

    /// A regular file: created exclusively (never through a symlink in its place), its data
    /// written at the offsets the tar gives, so sparse files keep their holes.
    func regularFile(_ entry: OpaquePointer, parent: Int32, tar: ArchiveReadHandle) throws {
        let fd = try create("create", in: parent) {
            openat(parent, $0, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
        }
        defer { close(fd) }
        try writeData(of: tar, to: fd, size: archive_entry_size(entry))
        try setOwner(entry, fd: fd, parent: parent)
        // After chown, which clears set-user-id and set-group-id.
        if fchmod(fd, archive_entry_perm(entry) & 0o7777) == -1 { throw failure("chmod", errno) }
        // After chown and the data, which both clear security.capability.
        try setXattrs(entry, fd: fd, parent: parent)
        try setTimes(entry, fd: fd, parent: parent)
    }

    /// A directory: an existing one is kept and takes the new metadata. Its mode and times are
    /// applied by `finish()`.
    func directory(_ entry: OpaquePointer, parent: Int32) throws {
        if path.withName({ mkdirat(parent, $0, 0o755) }) == -1 {
            guard errno == EEXIST else { throw failure("mkdir", errno) }
            if !existingIsDirectory(in: parent) {
                try removeExisting(in: parent)
                if path.withName({ mkdirat(parent, $0, 0o755) }) == -1 { throw failure("mkdir", errno) }
            }
        }
        try setOwner(entry, fd: nil, parent: parent)
        if archive_entry_xattr_count(entry) > 0 {
            let fd = path.withName { openat(parent, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
            if fd == -1 { throw failure("open", errno) }
            defer { close(fd) }
            try setXattrs(entry, fd: fd, parent: parent)
        }
        directories.append(DirectoryMetadata(path: path.bytes, depth: path.depth,
                                             mode: archive_entry_perm(entry) & 0o7777, times: times(of: entry)))
    }

    /// A symlink: the target is stored as it is; it is a link inside the layer, never followed here.
    func symlink(_ entry: OpaquePointer, target: UnsafePointer<CChar>, parent: Int32) throws {
        _ = try create("symlink", in: parent) { symlinkat(target, parent, $0) }
        try setOwner(entry, fd: nil, parent: parent)
        try setXattrs(entry, fd: nil, parent: parent, isSymlink: true)
        try setTimes(entry, fd: nil, parent: parent)
    }

    /// A character or block device or a fifo; devices are left out when unpacking rootless.
    func node(_ entry: OpaquePointer, parent: Int32) throws {
        let type = archive_entry_filetype(entry) & S_IFMT
        if options.rootless && type != S_IFIFO { return }
        let mode = archive_entry_perm(entry) & 0o7777
        let major = UInt32(truncatingIfNeeded: archive_entry_rdevmajor(entry))
        let minor = UInt32(truncatingIfNeeded: archive_entry_rdevminor(entry))
        _ = try create("mknod", in: parent) { bt_mknodat(parent, $0, type | mode, major, minor) }
        try setOwner(entry, fd: nil, parent: parent)
        // mknod applied the umask; the node is new and not a symlink, so following is safe.
        if path.withName({ fchmodat(parent, $0, mode, 0) }) == -1 { throw failure("chmod", errno) }
        try setXattrs(entry, fd: nil, parent: parent)
        try setTimes(entry, fd: nil, parent: parent)
    }

    /// A hard link to an earlier entry: the target is resolved inside the root without
    /// following a final symlink, must be a regular file or a symlink on the root's file
    /// system, and is linked by descriptor, so no path is looked up twice.
    func hardLink(to link: UnsafePointer<CChar>, parent: Int32) throws {
        guard linkTarget.assign(link), !linkTarget.isRoot else {
            throw invalid("hard link to '\(String(cString: link))' leaves the layer")
        }
        let target = linkTarget.withPath { openInRoot($0, OpenFlags.path | O_NOFOLLOW) }
        if target == -1 { throw failure("hard link to '\(String(cString: link))'", errno) }
        defer { close(target) }
        var status = stat()
        if fstat(target, &status) == -1 { throw failure("hard link to '\(String(cString: link))'", errno) }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG || kind == S_IFLNK, UInt64(status.st_dev) == rootDevice else {
            throw invalid("hard link to '\(String(cString: link))': not a file of this layer")
        }
        let procPath = "/proc/self/fd/\(target)"
        _ = try create("link", in: parent) { name in
            if linkat(target, "", parent, name, atEmptyPath) == 0 { return 0 }
            // AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH; the descriptor's /proc link does not.
            guard errno == ENOENT || errno == EPERM else { return -1 }
            return linkat(AT_FDCWD, procPath, parent, name, AT_SYMLINK_FOLLOW)
        }
    }

    /// `.wh.NAME` becomes an overlayfs whiteout (a 0/0 character device) named NAME;
    /// `.wh..wh..opq` marks the parent opaque; other `.wh..wh.` names (aufs bookkeeping) are skipped.
    func whiteout(_ entry: OpaquePointer, parent: Int32) throws {
        if path.nameHasPrefix(".wh..wh.") {
            if path.nameLength == 12 && path.nameHasPrefix(".wh..wh..opq") { try markOpaque(parent) }
            return
        }
        let hidden = path.withName(skipping: 4) { String(cString: $0) }
        if hidden == ".." { throw invalid("path leaves the layer") }
        if hidden.isEmpty || hidden == "." { throw invalid("whiteout without a name") }
        _ = try create("mknod", skipping: 4, in: parent) { bt_mknodat(parent, $0, S_IFCHR, 0, 0) }
        try setOwner(entry, fd: nil, parent: parent, skipping: 4)
    }

    /// trusted.overlay.opaque=y on the directory (user.overlay.opaque when rootless and refused).
    private func markOpaque(_ directory: Int32) throws {
        let yes: [UInt8] = [UInt8(ascii: "y")]
        if fsetxattr(directory, "trusted.overlay.opaque", yes, 1, 0) == 0 { return }
        let code = errno
        if options.rootless && code == EPERM, fsetxattr(directory, "user.overlay.opaque", yes, 1, 0) == 0 { return }
        throw failure("set opaque xattr", code)
    }

    // MARK: - Data

    /// Copies the current entry's data blocks to `fd` at their offsets; a trailing hole is
    /// made with ftruncate.
    private func writeData(of tar: ArchiveReadHandle, to fd: Int32, size: Int64) throws {
        var block: UnsafeRawPointer?
        var length = 0
        var offset: Int64 = 0
        var end: Int64 = 0
        while true {
            let status = archive_read_data_block(tar.archive, &block, &length, &offset)
            if status == ARCHIVE_EOF { break }
            guard status == ARCHIVE_OK || status == ARCHIVE_WARN else {
                throw tar.failure("read tar").context("entry '\(entryName)'")
            }
            guard let block, length > 0 else { continue }
            var written = 0
            while written < length {
                let count = pwrite(fd, block + written, length - written, off_t(offset) + off_t(written))
                if count == -1 {
                    if errno == EINTR { continue }
                    throw failure("write", errno)
                }
                written += count
            }
            end = max(end, offset + Int64(length))
        }
        if end < size && ftruncate(fd, off_t(size)) == -1 { throw failure("truncate", errno) }
    }

    // MARK: - Replacing

    /// Runs `attempt` with the entry's name (past `skip` bytes); when something is already
    /// there, removes it (layers overwrite) and tries once more.
    /// - Returns: what `attempt` returned (a descriptor for open).
    func create(_ step: String, skipping skip: Int = 0, in parent: Int32,
                _ attempt: (UnsafePointer<CChar>) -> Int32) throws -> Int32 {
        var result = path.withName(skipping: skip, attempt)
        if result == -1 && errno == EEXIST {
            try removeExisting(skipping: skip, in: parent)
            result = path.withName(skipping: skip, attempt)
        }
        if result == -1 { throw failure(step, errno) }
        return result
    }

    private func existingIsDirectory(in parent: Int32) -> Bool {
        var status = stat()
        return path.withName { fstatat(parent, $0, &status, AT_SYMLINK_NOFOLLOW) } == 0 && status.st_mode & S_IFMT == S_IFDIR
    }

    /// Removes what is at the entry's name in `parent`: unlinkat, or the whole tree for a directory.
    func removeExisting(skipping skip: Int = 0, in parent: Int32) throws {
        // Below the root, only a child of the cached parent goes; at the root, the cached
        // parent may be inside what goes.
        if parent == root.rawValue { forgetParent() }
        try path.withName(skipping: skip) { name in
            if unlinkat(parent, name, 0) == 0 || errno == ENOENT { return }
            guard errno == EISDIR else { throw failure("remove existing entry", errno) }
            try removeTree(name, in: parent)
        }
    }

    /// rm -r of `name` in `directory`, every step relative to a descriptor, never following a symlink.
    private func removeTree(_ name: UnsafePointer<CChar>, in directory: Int32) throws {
        let (fd, children) = try listDirectory(name, in: directory)
            .mapError { failure("remove existing entry", $0.errno) }.get()
        defer { close(fd) }
        for child in children {
            try child.withUnsafeBufferPointer { buffer in
                let childName = buffer.baseAddress!
                if unlinkat(fd, childName, 0) == 0 || errno == ENOENT { return }
                guard errno == EISDIR else { throw failure("remove existing entry", errno) }
                try removeTree(childName, in: fd)
            }
        }
        if unlinkat(directory, name, AT_REMOVEDIR) == -1 { throw failure("remove existing entry", errno) }
    }
}
