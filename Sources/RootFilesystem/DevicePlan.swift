import Diagnostics
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

/// A device node (or fifo) to create in the container.
public struct DeviceNode: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case character, block, fifo

        /// The S_IF* bits of mknod(2)'s mode.
        public var modeBits: mode_t {
            switch self {
            case .character: S_IFCHR
            case .block: S_IFBLK
            case .fifo: S_IFIFO
            }
        }
    }

    /// Normalized absolute path inside the root; also the host node bound over it in a user namespace.
    public var path: String
    public var kind: Kind
    public var major: UInt32
    public var minor: UInt32
    /// Permission bits only.
    public var mode: mode_t
    public var uid: UInt32
    public var gid: UInt32

    public init(path: String, kind: Kind, major: UInt32, minor: UInt32, mode: mode_t = 0o666, uid: UInt32 = 0, gid: UInt32 = 0) {
        self.path = path
        self.kind = kind
        self.major = major
        self.minor = minor
        self.mode = mode
        self.uid = uid
        self.gid = gid
    }

    /// A `linux.devices` entry.
    /// - Throws: `invalidArgument` for an unknown type, a missing major/minor, or a relative path.
    public init(_ device: Device) throws {
        let kind: Kind
        switch device.type {
        case "c", "u": kind = .character
        case "b": kind = .block
        case "p": kind = .fifo
        default: throw BerthError.invalid("linux.devices \(device.path): unknown device type \"\(device.type)\"")
        }
        guard device.path.hasPrefix("/") else {
            throw BerthError.invalid("linux.devices \(device.path): path is not absolute")
        }
        if kind != .fifo && (device.major == nil || device.minor == nil) {
            throw BerthError.invalid("linux.devices \(device.path): major and minor are required")
        }
        func number(_ value: Int64?, _ field: String) throws -> UInt32 {
            guard let value else { return 0 }
            guard let result = UInt32(exactly: value) else {
                throw BerthError.invalid("linux.devices \(device.path): \(field) \(value) out of range")
            }
            return result
        }
        self.init(path: MountPlan.normalize(device.path), kind: kind,
                  major: try number(device.major, "major"), minor: try number(device.minor, "minor"),
                  // runc keeps only the permission bits (fileMode may carry S_IF* bits).
                  mode: mode_t(device.fileMode ?? 0o666) & 0o7777, uid: device.uid ?? 0, gid: device.gid ?? 0)
    }

    /// What runc puts in every container's /dev (libcontainer/specconv AllowedDevices).
    public static let defaults: [DeviceNode] = [
        DeviceNode(path: "/dev/null", kind: .character, major: 1, minor: 3),
        DeviceNode(path: "/dev/zero", kind: .character, major: 1, minor: 5),
        DeviceNode(path: "/dev/full", kind: .character, major: 1, minor: 7),
        DeviceNode(path: "/dev/random", kind: .character, major: 1, minor: 8),
        DeviceNode(path: "/dev/urandom", kind: .character, major: 1, minor: 9),
        DeviceNode(path: "/dev/tty", kind: .character, major: 5, minor: 0),
    ]

    /// `linux.devices` followed by the defaults they do not replace.
    public static func plan(_ devices: [Device]?) throws -> [DeviceNode] {
        var nodes = try (devices ?? []).map(DeviceNode.init)
        for node in defaults where !nodes.contains(where: { $0.path == node.path }) {
            nodes.append(node)
        }
        return nodes
    }
}

/// The /dev symbolic links runc makes: (link path in the root, link target).
public enum DevSymlinks {
    /// /dev/fd, stdin, stdout, stderr, and /dev/core when the kernel has /proc/kcore.
    public static func plan(kcore: Bool) -> [(path: String, target: String)] {
        var links = [
            (path: "/dev/fd", target: "/proc/self/fd"),
            (path: "/dev/stdin", target: "/proc/self/fd/0"),
            (path: "/dev/stdout", target: "/proc/self/fd/1"),
            (path: "/dev/stderr", target: "/proc/self/fd/2"),
        ]
        if kcore { links.append((path: "/dev/core", target: "/proc/kcore")) }
        return links
    }

    /// /dev/ptmx is replaced by this link so that it opens the container's devpts instance.
    public static let ptmx = (path: "/dev/ptmx", target: "pts/ptmx")
}
