import CBerthShim
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// A directory tree whose paths are all resolved from a descriptor on its root.
///
/// For a container's rootfs every lookup is openat2(RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS): a
/// symlink in the container (`/etc -> /host-etc`, `../../..`) is resolved as the container
/// would see it, inside the rootfs, and `/proc/PID/fd`-style links are refused. The host is
/// the same tree rooted at "/" with plain resolution.
struct RootedTree {
    let root: FileDescriptor
    let resolve: UInt64
    /// Says where a missing path was looked for: "in container" or nothing.
    let location: String

    /// The tree of a container's mounted root filesystem.
    static func container(_ rootfs: String) throws -> RootedTree {
        RootedTree(root: try FileDescriptor.open(rootfs, O_RDONLY | O_DIRECTORY),
                   resolve: ResolveFlags.inRoot | ResolveFlags.noMagicLinks, location: " in container")
    }

    /// The host's file system; relative paths are taken against the current directory.
    static func host() throws -> RootedTree {
        RootedTree(root: try FileDescriptor.open("/", O_RDONLY | O_DIRECTORY), resolve: 0, location: "")
    }

    /// openat2 of `components` from the root; -1 and errno on failure.
    func open(_ components: [String], _ flags: Int32) -> Int32 {
        bt_openat2(root.rawValue, CopyPath.relative(components), UInt64(UInt32(bitPattern: flags | O_CLOEXEC)), 0, resolve)
    }

    /// The directory `components`, symlinks followed inside the tree.
    /// - Throws: notFound "no such directory: PATH", or "not a directory: PATH".
    func openDirectory(_ components: [String]) throws -> FileDescriptor {
        let fd = open(components, O_RDONLY | O_DIRECTORY)
        if fd == -1 { throw directoryError(components, errno) }
        return FileDescriptor(fd)
    }

    /// The directory `components`, made (mode 0755, as docker and tar do) with its missing
    /// ancestors, each created relative to its parent's descriptor.
    func makeDirectory(_ components: [String]) throws -> FileDescriptor {
        let fd = open(components, O_RDONLY | O_DIRECTORY)
        if fd != -1 { return FileDescriptor(fd) }
        guard errno == ENOENT, let name = components.last else { throw directoryError(components, errno) }
        let parent = try makeDirectory(Array(components.dropLast()))
        if mkdirat(parent.rawValue, name, 0o755) == -1 && errno != EEXIST {
            throw BerthError.system("mkdir", path: CopyPath.absolute(components))
        }
        let made = openat(parent.rawValue, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if made == -1 { throw directoryError(components, errno) }
        return FileDescriptor(made)
    }

    func directoryError(_ components: [String], _ code: Int32) -> BerthError {
        let path = CopyPath.absolute(components)
        switch code {
        case ENOENT: return BerthError(.notFound, "no such directory: \(path)\(location)", errno: code)
        case ENOTDIR: return BerthError(.invalidArgument, "not a directory: \(path)\(location)", errno: code)
        default: return BerthError.system("open", path: path, errno: code)
        }
    }
}

/// A host path made absolute against the current directory (its "/" and "/." ending kept).
func hostPath(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let cwd = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? "/"
    return cwd + "/" + path
}

extension RootedTree {
    /// The error for a copy source that is not there: docker's "could not find the file /x in
    /// container" (the engine adds the container's name), or lstat's wording on the host.
    func missing(_ path: String) -> BerthError {
        location.isEmpty
            ? BerthError(.notFound, "lstat \(path): no such file or directory", errno: ENOENT)
            : BerthError(.notFound, "could not find the file \(path)\(location)", errno: ENOENT)
    }
}
