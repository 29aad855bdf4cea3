import CArchive
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// A directory's mode and times, applied after all entries.
struct DirectoryMetadata {
    /// The normalised path, NUL-terminated.
    var path: [CChar]
    var depth: Int
    var mode: mode_t
    var times: (access: timespec, modification: timespec)
}

extension LayerExtractor {
    // MARK: - Ownership, xattrs, times

    /// chown to the entry's uid and gid (fchown on `fd`, else fchownat without following);
    /// skipped rootless and when the new entry already has that owner.
    func setOwner(_ entry: OpaquePointer, fd: Int32?, parent: Int32, skipping skip: Int = 0) throws {
        if options.rootless { return }
        let uid = uid_t(truncatingIfNeeded: archive_entry_uid(entry))
        let gid = gid_t(truncatingIfNeeded: archive_entry_gid(entry))
        if let defaultOwner, defaultOwner.uid == uid, defaultOwner.gid == gid { return }
        let status = if let fd {
            fchown(fd, uid, gid)
        } else {
            path.withName(skipping: skip) { fchownat(parent, $0, uid, gid, AT_SYMLINK_NOFOLLOW) }
        }
        if status == -1 { throw failure("chown", errno) }
    }

    /// The entry's xattrs (security.capability among them): on `fd`, or for a symlink or a
    /// node through its parent's /proc/self/fd link with lsetxattr (no descriptor can be
    /// opened on those without side effects).
    func setXattrs(_ entry: OpaquePointer, fd: Int32?, parent: Int32, isSymlink: Bool = false) throws {
        guard archive_entry_xattr_reset(entry) > 0 else { return }
        var procPath: [CChar] = []
        if fd == nil {
            procPath = Array("/proc/self/fd/\(parent)/".utf8CString.dropLast())
            path.withName { procPath.append(contentsOf: UnsafeBufferPointer(start: $0, count: strlen($0))) }
            procPath.append(0)
        }
        var name: UnsafePointer<CChar>?
        var value: UnsafeRawPointer?
        var size = 0
        while archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK {
            guard let name else { continue }
            let status = if let fd { fsetxattr(fd, name, value, size, 0) } else { lsetxattr(procPath, name, value, size, 0) }
            if status == -1 {
                let code = errno
                // user.* xattrs cannot go on symlinks; without root, trusted.* and
                // security.capability are refused.
                if (isSymlink || options.rootless) && (code == EPERM || code == ENOTSUP) { continue }
                throw failure("set xattr \(String(cString: name))", code)
            }
        }
    }

    /// The entry's access and modification times (the access time is the modification time
    /// when the tar has none).
    func times(of entry: OpaquePointer) -> (access: timespec, modification: timespec) {
        let modification = timespec(tv_sec: archive_entry_mtime(entry), tv_nsec: archive_entry_mtime_nsec(entry))
        guard archive_entry_atime_is_set(entry) != 0 else { return (modification, modification) }
        return (timespec(tv_sec: archive_entry_atime(entry), tv_nsec: archive_entry_atime_nsec(entry)), modification)
    }

    /// futimens on `fd`, else utimensat on the name without following.
    func setTimes(_ entry: OpaquePointer, fd: Int32?, parent: Int32) throws {
        var times = times(of: entry)
        let status = withUnsafePointer(to: &times) {
            $0.withMemoryRebound(to: timespec.self, capacity: 2) { pair in
                if let fd { return futimens(fd, pair) }
                return path.withName { utimensat(parent, $0, pair, AT_SYMLINK_NOFOLLOW) }
            }
        }
        if status == -1 { throw failure("set times", errno) }
    }

    // MARK: - Directories last

    /// Applies the directories' modes and times: deepest first (a parent made read-only must
    /// not stop its children's turn), a directory listed twice takes its later entry. A
    /// directory a later entry replaced is skipped.
    func finish() throws {
        rawName = nil
        let order = directories.indices.sorted {
            directories[$0].depth != directories[$1].depth ? directories[$0].depth > directories[$1].depth : $0 < $1
        }
        for index in order {
            var record = directories[index]
            let fd = record.path.withUnsafeBufferPointer { openInRoot($0.baseAddress!, O_RDONLY | O_DIRECTORY | O_NOFOLLOW) }
            if fd == -1 {
                if errno == ENOENT || errno == ENOTDIR || errno == ELOOP { continue }
                throw failure("open", errno, name: record.path)
            }
            defer { close(fd) }
            if fchmod(fd, record.mode) == -1 { throw failure("chmod", errno, name: record.path) }
            let status = withUnsafePointer(to: &record.times) {
                $0.withMemoryRebound(to: timespec.self, capacity: 2) { futimens(fd, $0) }
            }
            if status == -1 { throw failure("set times", errno, name: record.path) }
        }
    }

    private func failure(_ step: String, _ code: Int32, name: [CChar]) -> BerthError {
        let text = String(decoding: name.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return BerthError(.system, "entry '\(text)': \(step): \(errnoDescription(code))", errno: code)
    }
}
