import CBerthShim
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension TarWriter {
    /// Archives everything below `directory`, never following a symlink: ownership, modes,
    /// mtimes (whole seconds, so the same tree gives the same tar), xattrs, devices, and files
    /// with several links as one file plus hard links. Entries are sorted by name; sockets
    /// are left out. With `overlayWhiteouts`, overlayfs whiteouts and opaque directories become
    /// `.wh.` entries.
    /// - Parameters:
    ///   - directory: the tree's root; the root itself gets an entry only when `prefix` is set.
    ///   - prefix: a directory path the entries are placed under ("" for the top).
    /// - Throws: "archive DIRECTORY: ..." naming the entry that failed.
    public func addTree(_ directory: String, prefix: String = "") throws {
        try BerthError.wrap("archive \(directory)") {
            let root = try FileDescriptor.open(directory, O_RDONLY | O_DIRECTORY)
            var path = Array(prefix.split(separator: "/").joined(separator: "/").utf8CString.dropLast())
            if !path.isEmpty {
                let status = try root.stat()
                let xattrs = XattrReader.read(fd: root.rawValue, path: [])
                try writeHeader(path + [0], type: S_IFDIR, status: status, xattrs: xattrs.xattrs)
                try writeOpaqueMarker(path, status: status, xattrs: xattrs)
            }
            try addChildren(of: root.rawValue, path: &path)
        }
    }

    private func addChildren(of directory: Int32, path: inout [CChar]) throws {
        let (fd, names) = try listDirectory(".", in: directory).mapError { failureAt(path, "open", $0.errno) }.get()
        defer { close(fd) }
        for name in names {
            let saved = path.count
            if !path.isEmpty { path.append(CChar(UInt8(ascii: "/"))) }
            path.append(contentsOf: name.dropLast())
            defer { path.removeSubrange(saved...) }
            try addEntry(name, in: fd, path: &path)
        }
    }

    private func addEntry(_ name: [CChar], in directory: Int32, path: inout [CChar]) throws {
        var status = stat()
        if fstatat(directory, name, &status, AT_SYMLINK_NOFOLLOW) == -1 {
            if errno == ENOENT { return }  // removed while we walk
            throw failureAt(path, "stat", errno)
        }
        let cPath = path + [0]
        switch status.st_mode & S_IFMT {
        case S_IFDIR:
            let fd = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if fd == -1 { throw failureAt(path, "open", errno) }
            defer { close(fd) }
            let xattrs = XattrReader.read(fd: fd, path: [])
            try writeHeader(cPath, type: S_IFDIR, status: status, xattrs: xattrs.xattrs)
            try writeOpaqueMarker(path, status: status, xattrs: xattrs)
            try addChildren(of: fd, path: &path)
        case S_IFREG:
            let identity = FileIdentity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
            if status.st_nlink > 1 {
                if let first = linkedFiles[identity] {
                    return try first.withUnsafeBufferPointer {
                        try writeHeader(cPath, type: S_IFREG, status: status, hardLink: $0.baseAddress)
                    }
                }
                linkedFiles[identity] = cPath
            }
            let fd = openat(directory, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            if fd == -1 { throw failureAt(path, "open", errno) }
            defer { close(fd) }
            let xattrs = XattrReader.read(fd: fd, path: [])
            try writeHeader(cPath, type: S_IFREG, status: status, size: Int64(status.st_size), xattrs: xattrs.xattrs)
            try writeData(size: Int64(status.st_size), named: cPath) { buffer in
                try syscall("read") { read(fd, buffer.baseAddress, buffer.count) }
            }
        case S_IFLNK:
            var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlinkat(directory, name, &target, target.count - 1)
            if length == -1 { throw failureAt(path, "readlink", errno) }
            target[length] = 0
            let xattrs = XattrReader.read(fd: nil, path: procPath(directory, name))
            try writeHeader(cPath, type: S_IFLNK, status: status, symlink: target, xattrs: xattrs.xattrs)
        case S_IFCHR where options.overlayWhiteouts && status.st_rdev == 0:
            var whiteout = Array(path.prefix(path.count - (name.count - 1)))
            whiteout.append(contentsOf: ".wh.".utf8CString.dropLast())
            whiteout.append(contentsOf: name)
            try writeHeader(whiteout, type: S_IFREG, mode: UInt32(status.st_mode & 0o777), uid: status.st_uid,
                            gid: status.st_gid, mtime: Int64(status.st_mtim.tv_sec))
        case S_IFCHR, S_IFBLK, S_IFIFO:
            let xattrs = XattrReader.read(fd: nil, path: procPath(directory, name))
            let device = (bt_major(UInt64(status.st_rdev)), bt_minor(UInt64(status.st_rdev)))
            try writeHeader(cPath, type: status.st_mode & S_IFMT, status: status, device: device, xattrs: xattrs.xattrs)
        default:
            return
        }
    }

    /// `DIR/.wh..wh..opq` after an opaque directory's own entry.
    private func writeOpaqueMarker(_ path: [CChar], status: stat, xattrs: XattrReader.Result) throws {
        guard options.overlayWhiteouts && xattrs.opaque else { return }
        let marker = path + "/.wh..wh..opq".utf8CString
        try writeHeader(marker, type: S_IFREG, mode: UInt32(status.st_mode & 0o777), uid: status.st_uid,
                        gid: status.st_gid, mtime: Int64(status.st_mtim.tv_sec))
    }

    private func writeHeader(_ path: [CChar], type: mode_t, status: stat, size: Int64 = 0,
                             symlink: UnsafePointer<CChar>? = nil, hardLink: UnsafePointer<CChar>? = nil,
                             device: (major: UInt32, minor: UInt32)? = nil, xattrs: [Xattr] = []) throws {
        try writeHeader(path, type: type, mode: UInt32(status.st_mode & 0o7777), uid: status.st_uid, gid: status.st_gid,
                        mtime: Int64(status.st_mtim.tv_sec), size: size, symlink: symlink, hardLink: hardLink,
                        device: device, xattrs: xattrs)
    }

    private func procPath(_ directory: Int32, _ name: [CChar]) -> [CChar] {
        Array("/proc/self/fd/\(directory)/".utf8CString.dropLast()) + name
    }

    private func failureAt(_ path: [CChar], _ step: String, _ code: Int32) -> BerthError {
        let text = String(decoding: path.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return BerthError(code == ENOENT ? .notFound : .system, "entry '\(text)': \(step): \(errnoDescription(code))", errno: code)
    }
}
