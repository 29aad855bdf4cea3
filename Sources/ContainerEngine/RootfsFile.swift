import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Files of a container's root file system read from the host: resolved from a descriptor on
/// the root with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS), so that a symlink the image
/// planted (/etc/passwd -> /etc/shadow) stays inside the container's tree.
enum RootfsFile {
    static func read(_ rootfs: String, _ path: String, limit: Int = 4 << 20) throws -> [UInt8] {
        let root = try FileDescriptor.open(rootfs, OpenFlags.path | O_DIRECTORY)
        let file = try FileDescriptor.open2(at: root, path, O_RDONLY | O_NONBLOCK,
                                            resolve: ResolveFlags.inRoot | ResolveFlags.noMagicLinks)
        guard (try file.stat().st_mode & S_IFMT) == S_IFREG else {
            throw BerthError(.invalidArgument, "\(path) in the container is not a regular file")
        }
        return try file.readAll(limit: limit)
    }

    static func readString(_ rootfs: String, _ path: String) throws -> String {
        String(decoding: try read(rootfs, path), as: UTF8.self)
    }
}
