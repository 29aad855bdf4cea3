import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// A temporary directory for one test: a container rootfs, a host side, and a canary outside
/// the rootfs that no copy may touch. Removed by `remove()`.
struct TestTree {
    let path: String

    init() throws {
        var template = Array("/tmp/berth-files-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BerthError.system("mkdtemp") }
        path = String(cString: made)
        try Files.makeDirectory(rootfs)
        try Files.makeDirectory(host)
        try Files.makeDirectory(canary)
        try Files.create("\(canary)/secret", Array("host secret\n".utf8), mode: 0o600)
    }

    func remove() {
        // A test may leave read-only directories behind.
        _ = chmodTree(path)
        try? Files.removeTree(path)
    }

    var rootfs: String { "\(path)/rootfs" }
    var host: String { "\(path)/host" }
    /// Outside the rootfs; its absolute path is what hostile symlinks point at.
    var canary: String { "\(path)/canary" }

    func inRoot(_ relative: String) -> String { "\(rootfs)/\(relative)" }
    func onHost(_ relative: String) -> String { "\(host)/\(relative)" }

    func write(_ path: String, _ text: String, mode: mode_t = 0o644) throws {
        try Files.create(path, Array(text.utf8), mode: mode)
        try syscall("chmod", path: path) { chmod(path, mode) }
    }

    func read(_ path: String) throws -> String { String(decoding: try Files.read(path), as: UTF8.self) }

    func mkdir(_ path: String, mode: mode_t = 0o755) throws {
        try Files.makeDirectories(path)
        try syscall("chmod", path: path) { chmod(path, mode) }
    }

    func symlink(_ path: String, to target: String) throws {
        try syscall("symlink", path: path) { Glibc.symlink(target, path) }
    }

    func status(_ path: String) throws -> stat {
        var result = stat()
        try syscall("lstat", path: path) { lstat(path, &result) }
        return result
    }

    func isSymlink(_ path: String) -> Bool { (try? status(path)).map { $0.st_mode & S_IFMT == S_IFLNK } ?? false }

    func exists(_ path: String) -> Bool { (try? status(path)) != nil }

    /// The names in the canary directory: only "secret", whatever a test tried.
    func canaryNames() throws -> [String] { try Files.list(canary).sorted() }

    func setMtime(_ path: String, _ seconds: Int) throws {
        let times = [timespec(tv_sec: seconds, tv_nsec: 0), timespec(tv_sec: seconds, tv_nsec: 0)]
        try syscall("utimensat", path: path) { utimensat(AT_FDCWD, path, times, AT_SYMLINK_NOFOLLOW) }
    }

    private func chmodTree(_ path: String) -> Bool {
        guard let status = try? status(path), status.st_mode & S_IFMT == S_IFDIR else { return true }
        chmod(path, 0o755)
        for name in (try? Files.list(path)) ?? [] { _ = chmodTree("\(path)/\(name)") }
        return true
    }
}

/// A temporary file for tar streams, unlinked at once; the descriptor is all there is.
func temporaryFile() throws -> FileDescriptor {
    var template = Array("/tmp/berth-files-tar-XXXXXX".utf8CString)
    let fd = try syscall("mkstemp") { mkstemp(&template) }
    unlink(template)
    return FileDescriptor(fd)
}

func rewind(_ fd: FileDescriptor) { lseek(fd.rawValue, 0, SEEK_SET) }
