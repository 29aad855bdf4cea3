import CBerthShim
import Diagnostics

#if canImport(Glibc)
import Glibc
#endif

/// Plain file-system helpers. Every error names the operation and the path.
public enum Files {
    public static func read(_ path: String, limit: Int = 64 << 20) throws -> [UInt8] {
        try FileDescriptor.open(path, O_RDONLY).readAll(limit: limit)
    }

    public static func readString(_ path: String) throws -> String {
        String(decoding: try read(path), as: UTF8.self)
    }

    /// Opens an existing file write-only (no O_CREAT, no O_TRUNC) and writes `content`:
    /// the way to write cgroup, proc and sysfs control files.
    public static func writeControl(_ path: String, _ content: String) throws {
        let fd = try FileDescriptor.open(path, O_WRONLY)
        do { try fd.writeAll(content) } catch let error as BerthError {
            throw BerthError(error.code, "write \(path): \(errnoDescription(error.errno ?? EIO))", errno: error.errno)
        }
    }

    /// Writes `bytes` to a temporary file next to `path`, then renames it over `path`:
    /// readers see the old content or the new, never a part.
    public static func writeAtomically(_ path: String, _ bytes: some Collection<UInt8>, mode: mode_t = 0o600) throws {
        let temp = "\(path).tmp-\(getpid())"
        let fd = try FileDescriptor.open(temp, O_WRONLY | O_CREAT | O_TRUNC, mode: mode)
        do {
            try fd.writeAll(bytes)
            fd.close()
            try syscall("rename", path: path) { Glibc.rename(temp, path) }
        } catch {
            unlink(temp)
            throw error
        }
    }

    /// Creates a new file with `bytes`; fails with EEXIST if it is there.
    public static func create(_ path: String, _ bytes: some Collection<UInt8>, mode: mode_t = 0o644) throws {
        let fd = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_EXCL, mode: mode)
        try fd.writeAll(bytes)
    }

    public static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    public static func isDirectory(_ path: String) -> Bool {
        var st = Glibc.stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// mkdir(2); succeeds when the directory is already there unless `exclusive`.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o755, exclusive: Bool = false) throws {
        if mkdir(path, mode) == 0 { return }
        let code = errno
        if code == EEXIST, !exclusive, isDirectory(path) { return }
        throw BerthError.system("mkdir", path: path, errno: code)
    }

    /// mkdir -p.
    public static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
        if isDirectory(path) { return }
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            prefix += "/" + component
            try makeDirectory(prefix, mode: mode)
        }
    }

    public static func removeFile(_ path: String) throws {
        try syscall("unlink", path: path) { unlink(path) }
    }

    public static func removeDirectory(_ path: String) throws {
        try syscall("rmdir", path: path) { rmdir(path) }
    }

    /// rm -rf that never crosses into another file system (a mount below `path` stays).
    public static func removeTree(_ path: String) throws {
        var st = Glibc.stat()
        guard lstat(path, &st) == 0 else {
            if errno == ENOENT { return }
            throw BerthError.system("lstat", path: path)
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            for name in try list(path) { try removeTree("\(path)/\(name)") }
            try removeDirectory(path)
        } else {
            try removeFile(path)
        }
    }

    /// The names in a directory, without "." and "..".
    public static func list(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw BerthError.system("opendir", path: path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// The names of the subdirectories of `path`, from the directory entries' types (no stat).
    public static func listDirectories(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw BerthError.system("opendir", path: path) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            guard entry.pointee.d_type == UInt8(DT_DIR) else { continue }
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    public static func readLink(_ path: String) throws -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = try syscall("readlink", path: path) { readlink(path, &buffer, buffer.count - 1) }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The absolute form of `path` against the current directory, with "." and ".." folded.
    public static func absolute(_ path: String) -> String {
        var base = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: 4096)
            let cwd = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? "/"
            base = cwd + "/" + path
        }
        return normalize(base)
    }

    /// Folds "//", "." and ".." lexically; the result starts with "/" if `path` does.
    public static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return path.hasPrefix("/") ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}
