import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

extension ContainerCopy {
    /// True when `path` in the container (resolved inside `rootfs`) is a directory.
    public static func isDirectory(rootfs: String, path: String) throws -> Bool {
        let tree = try RootedTree.container(rootfs)
        let fd = tree.open(CopyPath(path).components, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }
}

extension ContainerCopy {
    /// `cp -L`: the container path `path` with every symlink in it (the last one too) followed
    /// inside `rootfs`; a link that leads out of the tree resolves inside it instead, as the
    /// container itself would see it.
    public static func resolvingLinks(rootfs: String, path: String) throws -> String {
        let tree = try RootedTree.container(rootfs)
        let fd = tree.open(CopyPath(path).components, OpenFlags.path)
        guard fd >= 0 else { throw BerthError.system("open", path: path) }
        defer { close(fd) }
        let resolved = try Files.readLink("/proc/self/fd/\(fd)")
        let root = try Files.readLink("/proc/self/fd/\(tree.root.rawValue)")
        guard resolved == root || resolved.hasPrefix(root + "/") else { return path }
        let inside = String(resolved.dropFirst(root.count))
        return inside.isEmpty ? "/" : inside
    }
}
