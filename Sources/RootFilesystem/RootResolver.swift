import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Resolves and creates paths inside a root directory, from a descriptor on it, so that no
/// symlink or ".." in the (container-controlled) tree can lead outside: a link to "/etc" means
/// the root's etc, "../../tmp" stops at the root.
///
/// Existing paths take one openat2(RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS). Missing components
/// are created one at a time from their parent's descriptor and reopened with O_NOFOLLOW, with
/// symlinks followed by hand (absolute ones restart at the root), as runc's MkdirAllInRoot does.
public struct RootResolver {
    /// What to create at the end of a missing path.
    public enum Kind: Sendable {
        case directory
        /// An empty regular file (a bind target for a file, a device placeholder).
        case file
    }

    /// An O_PATH descriptor on the root directory.
    public let root: FileDescriptor
    /// The root's host path, for messages only.
    public let rootPath: String

    public init(root: FileDescriptor, rootPath: String) {
        self.root = root
        self.rootPath = rootPath
    }

    /// Opens `rootPath` itself (O_PATH|O_DIRECTORY).
    public init(opening rootPath: String) throws {
        self.init(root: try FileDescriptor.open(rootPath, OpenFlags.path | O_DIRECTORY), rootPath: rootPath)
    }

    // MARK: - Resolving

    /// Opens an existing `path` inside the root with `flags` (O_PATH by default).
    /// - Throws: "resolve PATH in root ROOT: ..." (`notFound` when it is missing).
    public func open(_ path: String, flags: Int32 = OpenFlags.path) throws -> FileDescriptor {
        do {
            return try FileDescriptor.open2(at: root, MountPlan.normalize(path), flags,
                                            resolve: ResolveFlags.inRoot | ResolveFlags.noMagicLinks)
        } catch let error as BerthError {
            throw failure(path, error.errno ?? EIO)
        }
    }

    /// Opens `path`, creating what is missing: directories along the way and, at the end, a
    /// directory or an empty file. An existing entry of another kind is returned as it is.
    public func create(_ path: String, as kind: Kind) throws -> FileDescriptor {
        do {
            return try open(path)
        } catch let error as BerthError where error.errno == ENOENT {
            return try walk(path, creating: kind)
        }
    }

    /// The directory holding `path` (created when missing) and the last component's name.
    public func openParent(_ path: String) throws -> (directory: FileDescriptor, name: String) {
        let normalized = MountPlan.normalize(path)
        guard let slash = normalized.lastIndex(of: "/"), normalized != "/" else {
            throw BerthError.invalid("resolve \(path) in root \(rootPath): no parent directory")
        }
        let parent = slash == normalized.startIndex ? "/" : String(normalized[..<slash])
        return (try create(parent, as: .directory), String(normalized[normalized.index(after: slash)...]))
    }

    /// A directory at `path` whose last component is not a symlink (created when missing):
    /// runc's rule for proc and sysfs, so that a link cannot redirect them onto another path.
    public func directoryNoFollow(_ path: String) throws -> FileDescriptor {
        let (parent, name) = try openParent(path)
        let flags = OpenFlags.path | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC
        var fd = openat(parent.rawValue, name, flags)
        if fd < 0 && errno == ENOENT {
            if mkdirat(parent.rawValue, name, 0o755) < 0 && errno != EEXIST { throw failure(path, errno) }
            fd = openat(parent.rawValue, name, flags)
        }
        if fd < 0 {
            let code = errno
            if code == ENOTDIR, (try? readLink(at: parent, name)) != nil {
                throw BerthError(.invalidArgument, "resolve \(path) in root \(rootPath): destination is a symlink", errno: code)
            }
            throw failure(path, code)
        }
        return FileDescriptor(fd)
    }

    // MARK: - Creating

    /// Component by component from the root, following symlinks inside it, creating what is
    /// missing. `stack` holds the directories entered below the root, so ".." pops one and can
    /// never go above the root.
    private func walk(_ path: String, creating kind: Kind) throws -> FileDescriptor {
        var stack: [FileDescriptor] = []
        var pending = MountPlan.normalize(path).split(separator: "/").reversed().map(String.init)
        var links = 0
        while let name = pending.popLast() {
            if name == "." || name.isEmpty { continue }
            if name == ".." {
                if !stack.isEmpty { stack.removeLast() }
                continue
            }
            let parent = stack.last ?? root
            if let target = try readLink(at: parent, name) {
                links += 1
                if links > 40 { throw failure(path, ELOOP) }
                if target.hasPrefix("/") { stack.removeAll() }
                pending += target.split(separator: "/").reversed().map(String.init)
                continue
            }
            let isLast = pending.allSatisfy { $0 == "." || $0.isEmpty }
            let directory = !isLast || kind == .directory
            stack.append(try openOrMake(name, in: parent, directory: directory, path: path))
        }
        if let last = stack.last { return last }
        return try open("/")
    }

    /// Opens `name` in `parent` without following it; creates it when missing.
    private func openOrMake(_ name: String, in parent: FileDescriptor, directory: Bool, path: String) throws -> FileDescriptor {
        let flags = OpenFlags.path | O_NOFOLLOW | O_CLOEXEC | (directory ? O_DIRECTORY : 0)
        var fd = openat(parent.rawValue, name, flags)
        if fd < 0 && errno == ENOENT {
            if directory {
                if mkdirat(parent.rawValue, name, 0o755) < 0 && errno != EEXIST { throw failure(path, errno) }
                fd = openat(parent.rawValue, name, flags)
            } else {
                // O_EXCL|O_NOFOLLOW: a link that appeared in the meantime is not followed.
                fd = openat(parent.rawValue, name, O_RDONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
                if fd < 0 && errno == EEXIST { fd = openat(parent.rawValue, name, flags) }
            }
        }
        if fd < 0 { throw failure(path, errno) }
        return FileDescriptor(fd)
    }

    /// readlinkat(2): the target when `name` is a symlink, nil when it is something else or
    /// missing.
    private func readLink(at dir: FileDescriptor, _ name: String) throws -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlinkat(dir.rawValue, name, &buffer, buffer.count)
        if count < 0 {
            if errno == EINVAL || errno == ENOENT { return nil }
            throw failure(name, errno)
        }
        return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func failure(_ path: String, _ code: Int32) -> BerthError {
        BerthError(code == ENOENT ? .notFound : .system,
                   "resolve \(path) in root \(rootPath): \(errnoDescription(code))", errno: code)
    }
}
