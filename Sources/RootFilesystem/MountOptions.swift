import Diagnostics
import LinuxSyscalls

/// A mount's `options` split the way runc does: mount(2) flags to set and to clear, propagation
/// changes (each its own mount(2) call after the mount), and the file-system data string.
public struct MountOptions: Sendable, Equatable {
    /// Flags to set; later options win over earlier ones ("ro,rw" is rw).
    public var flags: MountFlags = []
    /// Flags the options explicitly cleared ("rw", "suid", "dev", ...): a bind remount must not
    /// carry them over from the source mount.
    public var clearedFlags: MountFlags = []
    /// Propagation changes in the order given: `[.private, .recursive]` for "rprivate".
    public var propagation: [MountFlags] = []
    /// Everything mount(2) does not know as a flag, in order ("mode=755", "size=65536k").
    public var data: [String] = []
    /// "tmpcopyup": a tmpfs starts with a copy of the directory it covers (podman's
    /// `--read-only` mounts /tmp, /var/tmp and /run this way).
    public var copyUp = false

    public init(flags: MountFlags = [], clearedFlags: MountFlags = [], propagation: [MountFlags] = [], data: [String] = []) {
        self.flags = flags
        self.clearedFlags = clearedFlags
        self.propagation = propagation
        self.data = data
    }

    /// Parses a spec mount's `options`.
    /// - Throws: `invalidArgument` "unsupported mount option" for options runc implements outside
    ///   mount(2) (idmap, recursive attributes) that Berth does not.
    public init(parsing options: [String]) throws {
        for option in options {
            if let (flag, clears) = Self.flagTable[option] {
                if clears {
                    flags.remove(flag)
                    clearedFlags.insert(flag)
                } else {
                    flags.insert(flag)
                    clearedFlags.remove(flag)
                }
            } else if let change = Self.propagationTable[option] {
                propagation.append(change)
            } else if option == "tmpcopyup" {
                copyUp = true
            } else if Self.unsupported.contains(option) || option.hasPrefix("idmap") {
                throw BerthError.invalid("unsupported mount option \"\(option)\"")
            } else if !option.isEmpty {
                data.append(option)
            }
        }
    }

    /// The data argument of mount(2): the data options joined with ",".
    public var dataString: String { data.joined(separator: ",") }

    public var isBind: Bool { flags.contains(.bind) }

    /// runc's table (libcontainer/specconv): option → (flag, clears the flag).
    static let flagTable: [String: (MountFlags, Bool)] = [
        "acl": (.posixACL, false), "noacl": (.posixACL, true),
        "async": (.synchronous, true), "sync": (.synchronous, false),
        "atime": (.noAccessTime, true), "noatime": (.noAccessTime, false),
        "bind": (.bind, false), "rbind": ([.bind, .recursive], false),
        "defaults": ([], false),
        "dev": (.noDevices, true), "nodev": (.noDevices, false),
        "diratime": (.noDirectoryAccessTime, true), "nodiratime": (.noDirectoryAccessTime, false),
        "dirsync": (.directorySync, false),
        "exec": (.noExec, true), "noexec": (.noExec, false),
        "iversion": (.inodeVersion, false), "noiversion": (.inodeVersion, true),
        "lazytime": (.lazyTime, false), "nolazytime": (.lazyTime, true),
        "loud": (.silent, true), "silent": (.silent, false),
        "mand": (.mandatoryLocking, false), "nomand": (.mandatoryLocking, true),
        "relatime": (.relativeAccessTime, false), "norelatime": (.relativeAccessTime, true),
        "strictatime": (.strictAccessTime, false), "nostrictatime": (.strictAccessTime, true),
        "nosymfollow": (.noSymlinkFollow, false),
        "remount": (.remount, false),
        "ro": (.readOnly, false), "rw": (.readOnly, true),
        "suid": (.noSetUID, true), "nosuid": (.noSetUID, false),
    ]

    static let propagationTable: [String: MountFlags] = [
        "private": .private, "rprivate": [.private, .recursive],
        "shared": .shared, "rshared": [.shared, .recursive],
        "slave": .slave, "rslave": [.slave, .recursive],
        "unbindable": .unbindable, "runbindable": [.unbindable, .recursive],
    ]

    /// Options runc handles itself (copy-up, id-mapped and recursive-attribute mounts).
    static let unsupported: Set<String> = [
        "rro", "rrw", "rnosuid", "rsuid", "rnodev", "rdev", "rnoexec", "rexec",
        "rnodiratime", "rdiratime", "rrelatime", "rnorelatime", "rnoatime", "ratime",
        "rstrictatime", "rnostrictatime", "rnosymfollow", "rsymfollow",
    ]

    /// Parses `linux.rootfsPropagation` ("rslave", "private", ...).
    public static func propagation(_ name: String) throws -> MountFlags {
        guard let flags = propagationTable[name] else {
            throw BerthError.invalid("linux.rootfsPropagation: unknown propagation \"\(name)\"")
        }
        return flags
    }
}
