import CArchive

#if canImport(Glibc)
import Glibc
#endif

/// Reads a file's extended attributes for an archive: through its descriptor, or for a
/// symlink or a node through a /proc/self/fd path with the l*xattr calls.
enum XattrReader {
    /// What a file's xattrs say for the archive.
    struct Result {
        /// The attributes to store (overlayfs's own and SELinux labels left out).
        var xattrs: [Xattr] = []
        /// trusted.overlay.opaque (or user.overlay.opaque) is "y".
        var opaque = false
    }

    /// - Parameters:
    ///   - fd: an open descriptor on the file, or nil to use `path` (not followed).
    ///   - path: "/proc/self/fd/DIR/NAME", NUL-terminated, when `fd` is nil.
    /// - Returns: the attributes; none when the file system has no xattrs.
    static func read(fd: Int32?, path: [CChar]) -> Result {
        var result = Result()
        let namesSize = list(fd: fd, path: path, into: nil, 0)
        guard namesSize > 0 else { return result }
        var names = [CChar](repeating: 0, count: namesSize)
        let count = list(fd: fd, path: path, into: &names, names.count)
        guard count > 0 else { return result }
        var start = 0
        while start < count {
            let end = names[start..<count].firstIndex(of: 0) ?? count
            let name = String(decoding: names[start..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            start = end + 1
            guard !name.isEmpty, let value = value(of: name, fd: fd, path: path) else { continue }
            if name == "trusted.overlay.opaque" || name == "user.overlay.opaque" {
                result.opaque = result.opaque || value == [UInt8(ascii: "y")]
            }
            if name.hasPrefix("trusted.overlay.") || name.hasPrefix("user.overlay.") || name == "security.selinux" {
                continue
            }
            result.xattrs.append(Xattr(name: name, value: value))
        }
        return result
    }

    private static func list(fd: Int32?, path: [CChar], into buffer: UnsafeMutablePointer<CChar>?, _ size: Int) -> Int {
        if let fd { return flistxattr(fd, buffer, size) }
        return llistxattr(path, buffer, size)
    }

    private static func value(of name: String, fd: Int32?, path: [CChar]) -> [UInt8]? {
        func get(_ buffer: UnsafeMutableRawPointer?, _ size: Int) -> Int {
            if let fd { return fgetxattr(fd, name, buffer, size) }
            return lgetxattr(path, name, buffer, size)
        }
        let size = get(nil, 0)
        guard size >= 0 else { return nil }
        var value = [UInt8](repeating: 0, count: size)
        let count = value.withUnsafeMutableBytes { get($0.baseAddress, size) }
        guard count >= 0 else { return nil }
        return Array(value[0..<min(count, size)])
    }
}
