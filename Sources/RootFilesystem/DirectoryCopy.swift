import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Copies a directory tree between two directory descriptors, keeping types, modes and owners,
/// never following a symlink: for "tmpcopyup", where the source is the container's own
/// (untrusted) content.
enum DirectoryCopy {
    static func copyContents(of source: FileDescriptor, into target: FileDescriptor) throws {
        let listing = FileDescriptor(try syscall("dup") { fcntl(source.rawValue, F_DUPFD_CLOEXEC, 0) })
        guard let dir = fdopendir(listing.release()) else { throw BerthError.system("fdopendir") }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            try copyEntry(name, from: source, to: target)
        }
    }

    static func copyEntry(_ name: String, from source: FileDescriptor, to target: FileDescriptor) throws {
        var st = stat()
        try syscall("lstat", path: name) { fstatat(source.rawValue, name, &st, AT_SYMLINK_NOFOLLOW) }
        let mode = st.st_mode & 0o7777
        switch st.st_mode & S_IFMT {
        case S_IFDIR:
            try syscall("mkdir", path: name) { mkdirat(target.rawValue, name, 0o700) }
            let from = try FileDescriptor.open(at: source, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
            let to = try FileDescriptor.open(at: target, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
            try copyContents(of: from, into: to)
        case S_IFREG:
            let from = try FileDescriptor.open(at: source, name, O_RDONLY | O_NOFOLLOW)
            let to = try FileDescriptor.open(at: target, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode: 0o600)
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = try syscall("read", path: name) { read(from.rawValue, &buffer, buffer.count) }
                if n == 0 { break }
                try to.writeAll(buffer[0..<n])
            }
        case S_IFLNK:
            var buffer = [CChar](repeating: 0, count: 4097)
            let n = try syscall("readlink", path: name) { readlinkat(source.rawValue, name, &buffer, 4096) }
            buffer[n] = 0
            try syscall("symlink", path: name) { symlinkat(buffer, target.rawValue, name) }
        default:
            // fifos, sockets and device nodes: the node itself.
            try syscall("mknod", path: name) { mknodat(target.rawValue, name, st.st_mode & S_IFMT | mode, st.st_rdev) }
        }
        try syscall("chown", path: name) { fchownat(target.rawValue, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) }
        if st.st_mode & S_IFMT != S_IFLNK {
            try syscall("chmod", path: name) { fchmodat(target.rawValue, name, mode, 0) }
        }
    }
}
