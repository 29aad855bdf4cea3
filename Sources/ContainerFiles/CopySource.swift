import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// What `docker cp` copies: an entry found in its parent without following a final symlink
/// (the link itself is copied), or, for a path ending with "/" or "/.", the directory it
/// leads to.
struct CopySource {
    /// The parent directory and the entry's name in it; nil parent when `directory` is set.
    let parent: FileDescriptor?
    /// The directory itself, opened through a trailing slash.
    let directory: FileDescriptor?
    /// The name the copy gets at a destination directory ("" for the root).
    let name: String
    let status: stat
    /// Only what is in the directory is copied ("/." or the root).
    let contentsOnly: Bool
    /// The path as given, for messages.
    let path: String

    var isDirectory: Bool { status.st_mode & S_IFMT == S_IFDIR }

    /// Finds `path` in `tree`.
    /// - Throws: notFound "could not find the file PATH in container" (or "lstat PATH: no such
    ///   file or directory" on the host), "not a directory: PATH" for a file named with a
    ///   trailing slash.
    static func locate(_ path: CopyPath, in tree: RootedTree) throws -> CopySource {
        if path.trailingSlash {
            let fd = tree.open(path.components, O_RDONLY | O_DIRECTORY)
            if fd == -1 {
                if errno == ENOENT { throw tree.missing(path.original) }
                throw tree.directoryError(path.components, errno)
            }
            let directory = FileDescriptor(fd)
            return CopySource(parent: nil, directory: directory, name: path.name ?? "", status: try directory.stat(),
                              contentsOnly: path.contentsOnly, path: path.original)
        }
        guard let name = path.name else { throw tree.missing(path.original) }
        let parentFD = tree.open(path.parentComponents, O_RDONLY | O_DIRECTORY)
        if parentFD == -1 {
            if errno == ENOENT || errno == ENOTDIR { throw tree.missing(path.original) }
            throw BerthError.system("open", path: CopyPath.absolute(path.parentComponents))
        }
        let parent = FileDescriptor(parentFD)
        var status = stat()
        if fstatat(parent.rawValue, name, &status, AT_SYMLINK_NOFOLLOW) == -1 {
            if errno == ENOENT { throw tree.missing(path.original) }
            throw BerthError.system("stat", path: path.original)
        }
        return CopySource(parent: parent, directory: nil, name: name, status: status, contentsOnly: false,
                          path: path.original)
    }
}
