import CArchive
import CBerthShim
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Creates a layer's entries under its root directory. Every path is resolved from a
/// descriptor on the root with openat2(RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS), so a symlink
/// or ".." can only ever lead back into the root, and the entry itself is made relative to its
/// parent's descriptor without following a symlink in its place.
final class LayerExtractor {
    let root: FileDescriptor
    let options: UnpackOptions
    /// The root's device: hard links must stay on it.
    let rootDevice: UInt64
    /// The owner the kernel gives a new file here; chown is skipped when an entry has it.
    let defaultOwner: (uid: UInt32, gid: UInt32)?

    /// The current entry's raw name (for messages) and normalised path.
    var rawName: UnsafePointer<CChar>?
    var path = LayerPath()
    /// Scratch for hard-link targets.
    var linkTarget = LayerPath()

    /// The last parent directory used, NUL-terminated, and a descriptor on it, kept from entry
    /// to entry (tar lists a directory's entries together). Replacing an entry removes only a
    /// child of the current parent, so the cache stays right; when the parent is the root the
    /// cached directory may be inside what is removed, and `forgetParent()` drops it.
    private var parentPath: [CChar] = [0]
    private var parentFD: FileDescriptor?

    /// Directories get their mode and times last: creating children changes their mtime, and a
    /// read-only mode would stop an unprivileged unpack from creating them.
    var directories: [DirectoryMetadata] = []

    private(set) var size: Int64 = 0
    private(set) var entryCount = 0

    static let resolve = ResolveFlags.inRoot | ResolveFlags.noMagicLinks

    init(root: FileDescriptor, options: UnpackOptions) throws {
        self.root = root
        self.options = options
        let status = try root.stat()
        rootDevice = UInt64(status.st_dev)
        // A set-group-id root would give new files its group instead of ours.
        defaultOwner = options.rootless || status.st_mode & S_ISGID != 0 ? nil : (geteuid(), getegid())
    }

    /// Creates `entry`: a file with its data, a directory, a link, a node or a whiteout.
    func extract(_ entry: OpaquePointer, from tar: ArchiveReadHandle) throws {
        entryCount += 1
        guard let raw = archive_entry_pathname(entry) else {
            rawName = nil
            throw BerthError(.invalidArgument, "entry \(entryCount): no path")
        }
        rawName = raw
        guard path.assign(raw) else { throw invalid("path leaves the layer") }
        if path.isRoot { return }
        let parent = try openParent()
        if path.nameHasPrefix(".wh.") { return try whiteout(entry, parent: parent) }
        if let link = archive_entry_hardlink(entry) { return try hardLink(to: link, parent: parent) }
        switch archive_entry_filetype(entry) & S_IFMT {
        case S_IFREG:
            size += max(archive_entry_size(entry), 0)
            try regularFile(entry, parent: parent, tar: tar)
        case S_IFDIR: try directory(entry, parent: parent)
        case S_IFLNK:
            guard let target = archive_entry_symlink(entry) else { throw invalid("symlink without a target") }
            size += Int64(strlen(target))
            try symlink(entry, target: target, parent: parent)
        case S_IFCHR, S_IFBLK, S_IFIFO: try node(entry, parent: parent)
        default: return  // sockets: tar cannot carry them meaningfully, docker skips them too
        }
    }

    // MARK: - Parent directories

    /// A descriptor on the current entry's parent: the cached one, an existing directory
    /// resolved inside the root, or one made with its missing ancestors (mode 0755, as docker).
    private func openParent() throws -> Int32 {
        let length = path.parentLength
        if length == 0 { return root.rawValue }
        let cached = parentPath.count == length + 1 && path.bytes.withUnsafeBufferPointer { current in
            parentPath.withUnsafeBufferPointer { memcmp(current.baseAddress!, $0.baseAddress!, length) == 0 }
        }
        if cached, let parentFD { return parentFD.rawValue }
        parentFD = nil
        parentPath.removeAll(keepingCapacity: true)
        parentPath.append(contentsOf: path.bytes[0..<length])
        parentPath.append(0)
        var fd = parentPath.withUnsafeBufferPointer { openInRoot($0.baseAddress!, O_RDONLY | O_DIRECTORY) }
        if fd == -1 && errno == ENOENT { fd = try makeParents() }
        if fd == -1 { throw failure("open parent directory", errno) }
        parentFD = FileDescriptor(fd)
        return fd
    }

    /// Drops the cached parent directory.
    func forgetParent() {
        parentFD = nil
        parentPath = [0]
    }

    /// openat2(root, path, flags|O_CLOEXEC, RESOLVE_IN_ROOT|RESOLVE_NO_MAGICLINKS); -1 and errno on failure.
    func openInRoot(_ path: UnsafePointer<CChar>, _ flags: Int32) -> Int32 {
        bt_openat2(root.rawValue, path, UInt64(UInt32(bitPattern: flags | O_CLOEXEC)), 0, Self.resolve)
    }

    /// Finds the deepest ancestor of `parentPath` that exists and makes the rest below it.
    private func makeParents() throws -> Int32 {
        var prefix = parentPath
        let slashes = prefix.indices.filter { prefix[$0] == CChar(UInt8(ascii: "/")) }
        var base: Int32 = -1
        var start = 0
        for slash in slashes.reversed() {
            prefix[slash] = 0
            let fd = prefix.withUnsafeBufferPointer { openInRoot($0.baseAddress!, O_RDONLY | O_DIRECTORY) }
            let code = errno
            prefix[slash] = CChar(UInt8(ascii: "/"))
            if fd >= 0 {
                base = fd
                start = slash + 1
                break
            }
            if code != ENOENT { throw failure("open parent directory", code) }
        }
        for slash in slashes { prefix[slash] = 0 }
        while start < prefix.count - 1 {
            let directory = base == -1 ? root.rawValue : base
            let fd = prefix.withUnsafeBufferPointer { buffer -> Int32 in
                let name = buffer.baseAddress! + start
                if mkdirat(directory, name, 0o755) == -1 && errno != EEXIST { return -1 }
                return openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            let code = errno
            if base != -1 { close(base) }
            let end = prefix[start...].firstIndex(of: 0) ?? prefix.count - 1
            if fd == -1 {
                let made = String(decoding: parentPath[0..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                throw failure("mkdir \(made)", code)
            }
            base = fd
            start = end + 1
        }
        return base
    }

    // MARK: - Errors

    /// "entry 'NAME': STEP: REASON" for a failed system call.
    func failure(_ step: String, _ code: Int32) -> BerthError {
        BerthError(code == ENOENT ? .notFound : .system,
                   "entry '\(entryName)': \(step): \(errnoDescription(code))", errno: code)
    }

    /// "entry 'NAME': REASON" for an entry Berth refuses.
    func invalid(_ reason: String) -> BerthError {
        BerthError(.invalidArgument, "entry '\(entryName)': \(reason)")
    }

    var entryName: String { rawName.map { String(cString: $0) } ?? path.string }
}
