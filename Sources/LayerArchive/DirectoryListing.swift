#if canImport(Glibc)
import Glibc
#endif

/// The names in the directory `name` under `parent`, opened without following a symlink,
/// as NUL-terminated bytes (names need not be UTF-8), "." and ".." left out, sorted by bytes.
/// - Returns: the names and the open directory descriptor (the caller closes it), or the
///   errno of the failed open or fdopendir.
func listDirectory(_ name: UnsafePointer<CChar>, in parent: Int32) -> Result<(fd: Int32, names: [[CChar]]), DirectoryListingError> {
    let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
    if fd == -1 { return .failure(DirectoryListingError(errno: errno)) }
    // fdopendir takes the descriptor it is given; it reads a duplicate so `fd` stays ours.
    let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
    guard copy != -1, let stream = fdopendir(copy) else {
        let code = errno
        if copy != -1 { close(copy) }
        close(fd)
        return .failure(DirectoryListingError(errno: code))
    }
    defer { closedir(stream) }
    var names: [[CChar]] = []
    while let item = readdir(stream) {
        let entry = withUnsafeBytes(of: item.pointee.d_name) { raw in
            Array(raw.bindMemory(to: CChar.self).prefix { $0 != 0 }) + [0]
        }
        if entry == [46, 0] || entry == [46, 46, 0] { continue }
        names.append(entry)
    }
    names.sort { $0.lexicographicallyPrecedes($1) { UInt8(bitPattern: $0) < UInt8(bitPattern: $1) } }
    return .success((fd, names))
}

/// The errno of a failed directory listing.
struct DirectoryListingError: Error {
    var errno: Int32
}
