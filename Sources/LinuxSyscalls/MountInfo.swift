/// One line of /proc/self/mountinfo (proc(5)):
/// `36 35 0:32 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory`.
public struct MountInfo: Sendable, Equatable {
    /// Field 3: the device ("major:minor") of the file system.
    public var device: String
    /// Field 4: the root of the mount within its file system ("/" for a full mount).
    public var root: String
    /// Field 5: where it is mounted, octal escapes (\040) decoded.
    public var mountPoint: String
    /// Optional fields ("shared:1", "master:2").
    public var optionalFields: [String]
    /// The file-system type after the "-" separator.
    public var fsType: String
    /// The super-block options after the source ("rw,memory" for a v1 cgroup hierarchy).
    public var superOptions: String

    public init(device: String = "", root: String, mountPoint: String, optionalFields: [String], fsType: String,
                superOptions: String = "") {
        self.device = device
        self.root = root
        self.mountPoint = mountPoint
        self.optionalFields = optionalFields
        self.fsType = fsType
        self.superOptions = superOptions
    }

    public var isShared: Bool { optionalFields.contains { $0.hasPrefix("shared:") } }

    /// Parses the whole file; malformed lines are skipped.
    public static func parse(_ text: String) -> [MountInfo] {
        text.split(separator: "\n").compactMap(parseLine)
    }

    public static func parseLine(_ line: Substring) -> MountInfo? {
        let fields = line.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 10, let separator = fields[6...].firstIndex(of: "-"), separator + 3 < fields.count else {
            return nil
        }
        return MountInfo(device: String(fields[2]), root: unescape(fields[3]), mountPoint: unescape(fields[4]),
                         optionalFields: fields[6..<separator].map(String.init), fsType: String(fields[separator + 1]),
                         superOptions: String(fields[separator + 3]))
    }

    /// Decodes the kernel's `\ooo` escapes for space, tab, newline and backslash.
    public static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count,
               let value = UInt8(String(decoding: utf8[(index + 1)...(index + 3)], as: UTF8.self), radix: 8) {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The mount `path` is on: the entry with the longest mount point that is `path` or one of
    /// its parents (the last one wins when mounts are stacked).
    public static func mount(containing path: String, in mounts: [MountInfo]) -> MountInfo? {
        var best: MountInfo?
        for mount in mounts where isPrefix(mount.mountPoint, of: path) {
            if mount.mountPoint.utf8.count >= best?.mountPoint.utf8.count ?? 0 { best = mount }
        }
        return best
    }

    public static func isPrefix(_ prefix: String, of path: String) -> Bool {
        if prefix == "/" || prefix == path { return true }
        return path.hasPrefix(prefix) && path.dropFirst(prefix.count).hasPrefix("/")
    }
}
