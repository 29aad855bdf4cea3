import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// The bytes the files under a directory take (`du -s`'s apparent size), without following
/// symlinks or crossing mounts.
enum DiskUsage {
    static func bytes(under path: String) -> Int64 {
        var root = stat()
        guard lstat(path, &root) == 0 else { return 0 }
        return walk(path, device: root.st_dev)
    }

    private static func walk(_ path: String, device: dev_t) -> Int64 {
        var st = stat()
        guard lstat(path, &st) == 0, st.st_dev == device else { return 0 }
        guard (st.st_mode & S_IFMT) == S_IFDIR else { return (st.st_mode & S_IFMT) == S_IFREG ? Int64(st.st_size) : 0 }
        let names = (try? Files.list(path)) ?? []
        return names.reduce(0) { $0 + walk("\(path)/\($1)", device: device) }
    }
}
