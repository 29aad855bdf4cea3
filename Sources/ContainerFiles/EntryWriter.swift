import CBerthShim
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Creates entries in a destination directory, each relative to its parent's descriptor and
/// never through a symlink in its place (O_EXCL, O_NOFOLLOW, AT_SYMLINK_NOFOLLOW).
///
/// Replacing follows `docker cp`: an existing file, link or node is replaced; an existing
/// directory takes a directory's contents; a directory never replaces a non-directory, nor the
/// other way round.
struct EntryWriter {
    /// Whether entries get the owner they had (`cp -a`), or stay ours (docker cp without `-a`).
    /// Without root, files always stay ours.
    let keepsOwnership: Bool

    init(keepingOwnership: Bool) {
        keepsOwnership = keepingOwnership && geteuid() == 0
    }

    // MARK: - Entry kinds

    /// An existing directory `name` (merged into, its symlink never followed) or a new one.
    /// Its metadata is applied by `finish` once its contents are written.
    func directory(_ name: [CChar], in parent: Int32, path: String) throws -> FileDescriptor {
        if mkdirat(parent, name, 0o700) == -1 {
            guard errno == EEXIST else { throw BerthError.system("mkdir", path: path) }
            var status = stat()
            if fstatat(parent, name, &status, AT_SYMLINK_NOFOLLOW) == -1 { throw BerthError.system("stat", path: path) }
            guard status.st_mode & S_IFMT == S_IFDIR else {
                throw BerthError(.invalidArgument, "cannot overwrite non-directory \(path) with directory")
            }
        }
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd == -1 { throw BerthError.system("open", path: path) }
        return FileDescriptor(fd)
    }

    /// A new regular file `name`, open for writing; the caller writes its data, then calls `finish`.
    func file(_ name: [CChar], in parent: Int32, path: String) throws -> FileDescriptor {
        try replace(name, in: parent, path: path)
        let fd = openat(parent, name, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd == -1 { throw BerthError.system("create", path: path) }
        return FileDescriptor(fd)
    }

    /// A symlink `name` to `target`, stored as it is (never followed here).
    func symlink(_ name: [CChar], target: [CChar], in parent: Int32, metadata: EntryMetadata, path: String) throws {
        try replace(name, in: parent, path: path)
        if symlinkat(target, parent, name) == -1 { throw BerthError.system("symlink", path: path) }
        try setOwner(metadata, path: path) { fchownat(parent, name, $0, $1, AT_SYMLINK_NOFOLLOW) }
        try setTimes(metadata, path: path) { utimensat(parent, name, $0, AT_SYMLINK_NOFOLLOW) }
    }

    /// A device node or fifo `name` of `type` (S_IFCHR, S_IFBLK, S_IFIFO).
    func node(_ name: [CChar], type: mode_t, device: UInt64, in parent: Int32, metadata: EntryMetadata, path: String) throws {
        try replace(name, in: parent, path: path)
        if bt_mknodat(parent, name, UInt32(type) | metadata.mode, bt_major(device), bt_minor(device)) == -1 {
            throw BerthError.system("mknod", path: path)
        }
        try setOwner(metadata, path: path) { fchownat(parent, name, $0, $1, AT_SYMLINK_NOFOLLOW) }
        // The node is new and not a symlink: following is safe, and mknod applied the umask.
        if fchmodat(parent, name, metadata.mode, 0) == -1 { throw BerthError.system("chmod", path: path) }
        try setTimes(metadata, path: path) { utimensat(parent, name, $0, AT_SYMLINK_NOFOLLOW) }
    }

    /// Owner, then mode (chown clears set-user-id), then times (last: writing changes mtime).
    func finish(_ fd: FileDescriptor, metadata: EntryMetadata, path: String) throws {
        try setOwner(metadata, path: path) { fchown(fd.rawValue, $0, $1) }
        if fchmod(fd.rawValue, metadata.mode) == -1 { throw BerthError.system("chmod", path: path) }
        try setTimes(metadata, path: path) { futimens(fd.rawValue, $0) }
    }

    // MARK: - Helpers

    /// Removes a non-directory in the way; refuses to replace a directory.
    func replace(_ name: [CChar], in parent: Int32, path: String) throws {
        if unlinkat(parent, name, 0) == 0 || errno == ENOENT { return }
        if errno == EISDIR || errno == EPERM {
            var status = stat()
            if fstatat(parent, name, &status, AT_SYMLINK_NOFOLLOW) == 0 && status.st_mode & S_IFMT == S_IFDIR {
                throw BerthError(.invalidArgument, "cannot overwrite directory \(path) with non-directory")
            }
        }
        throw BerthError.system("remove", path: path)
    }

    private func setOwner(_ metadata: EntryMetadata, path: String, _ chown: (uid_t, gid_t) -> Int32) throws {
        guard keepsOwnership else { return }
        if chown(metadata.uid, metadata.gid) == -1 { throw BerthError.system("chown", path: path) }
    }

    private func setTimes(_ metadata: EntryMetadata, path: String, _ set: (UnsafePointer<timespec>) -> Int32) throws {
        let times = [metadata.accessTime, metadata.modificationTime]
        if times.withUnsafeBufferPointer({ set($0.baseAddress!) }) == -1 { throw BerthError.system("set times", path: path) }
    }
}
