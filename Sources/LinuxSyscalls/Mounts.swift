import CBerthShim
import Diagnostics

#if canImport(Glibc)
import Glibc
#endif

/// The `MS_*` flags of mount(2). The values are the kernel's ABI (`<linux/mount.h>`); Swift's Glibc
/// module imports some of them and hides others, so Berth spells them out once here.
public struct MountFlags: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt

    public init(rawValue: UInt) { self.rawValue = rawValue }

    /// MS_RDONLY
    public static let readOnly = MountFlags(rawValue: 1)
    /// MS_NOSUID
    public static let noSetUID = MountFlags(rawValue: 2)
    /// MS_NODEV
    public static let noDevices = MountFlags(rawValue: 4)
    /// MS_NOEXEC
    public static let noExec = MountFlags(rawValue: 8)
    /// MS_SYNCHRONOUS
    public static let synchronous = MountFlags(rawValue: 16)
    /// MS_REMOUNT
    public static let remount = MountFlags(rawValue: 32)
    /// MS_MANDLOCK
    public static let mandatoryLocking = MountFlags(rawValue: 64)
    /// MS_DIRSYNC
    public static let directorySync = MountFlags(rawValue: 128)
    /// MS_NOSYMFOLLOW (Linux 5.10)
    public static let noSymlinkFollow = MountFlags(rawValue: 256)
    /// MS_NOATIME
    public static let noAccessTime = MountFlags(rawValue: 1024)
    /// MS_NODIRATIME
    public static let noDirectoryAccessTime = MountFlags(rawValue: 2048)
    /// MS_BIND
    public static let bind = MountFlags(rawValue: 4096)
    /// MS_MOVE
    public static let move = MountFlags(rawValue: 8192)
    /// MS_REC
    public static let recursive = MountFlags(rawValue: 16384)
    /// MS_SILENT
    public static let silent = MountFlags(rawValue: 32768)
    /// MS_POSIXACL
    public static let posixACL = MountFlags(rawValue: 1 << 16)
    /// MS_UNBINDABLE
    public static let unbindable = MountFlags(rawValue: 1 << 17)
    /// MS_PRIVATE
    public static let `private` = MountFlags(rawValue: 1 << 18)
    /// MS_SLAVE
    public static let slave = MountFlags(rawValue: 1 << 19)
    /// MS_SHARED
    public static let shared = MountFlags(rawValue: 1 << 20)
    /// MS_RELATIME
    public static let relativeAccessTime = MountFlags(rawValue: 1 << 21)
    /// MS_I_VERSION
    public static let inodeVersion = MountFlags(rawValue: 1 << 23)
    /// MS_STRICTATIME
    public static let strictAccessTime = MountFlags(rawValue: 1 << 24)
    /// MS_LAZYTIME
    public static let lazyTime = MountFlags(rawValue: 1 << 25)

    /// The propagation types; a mount(2) call carrying one of them changes nothing else.
    public static let propagationTypes: MountFlags = [.unbindable, .private, .slave, .shared]
    /// The access-time flags the kernel locks together in a user namespace (MNT_LOCK_ATIME).
    public static let accessTimeFlags: MountFlags = [.noAccessTime, .relativeAccessTime, .strictAccessTime]

    public var description: String { "0x" + String(rawValue, radix: 16) }
}

/// Open flags Swift's Glibc module hides (they need `_GNU_SOURCE`).
public enum OpenFlags {
    /// O_PATH: a descriptor that names a file without opening it (for *at calls, fchdir, mounts).
    public static let path: Int32 = 0o10000000
}

/// Thin wrappers over the mount-namespace system calls. Errors name the call and the target.
public enum Mounts {
    /// mount(2). `source`, `type` and `data` may be nil.
    public static func mount(source: String?, target: String, type: String?, flags: MountFlags, data: String? = nil) throws {
        try syscall("mount", path: target) { bt_mount(source, target, type, flags.rawValue, data) }
    }

    /// umount2(2); `detach` is MNT_DETACH.
    public static func unmount(_ target: String, detach: Bool) throws {
        try syscall("umount", path: target) { bt_umount2(target, detach ? BT_MNT_DETACH : 0) }
    }

    /// pivot_root(2).
    public static func pivotRoot(newRoot: String, putOld: String) throws {
        try syscall("pivot_root", path: newRoot) { bt_pivot_root(newRoot, putOld) }
    }

    /// The per-mount flags of the mount `fd` is on (fstatvfs(2), which accepts O_PATH descriptors),
    /// as `MS_*` values: read-only, nosuid, nodev, noexec, sync, mand, and the access-time flags.
    /// A mount with neither noatime nor relatime is reported as strictatime.
    public static func flags(of fd: FileDescriptor) throws -> MountFlags {
        var info = statvfs()
        try syscall("fstatvfs", path: fd.procPath) { fstatvfs(fd.rawValue, &info) }
        return flags(fromStatvfs: UInt(info.f_flag))
    }

    /// Maps `statvfs.f_flag` (ST_*) to `MS_*`: most bits coincide, ST_RELATIME (4096) and
    /// ST_NOSYMFOLLOW (8192) do not.
    public static func flags(fromStatvfs stFlags: UInt) -> MountFlags {
        var flags = MountFlags(rawValue: stFlags & (1 | 2 | 4 | 8 | 16 | 64 | 1024 | 2048))
        if stFlags & 4096 != 0 { flags.insert(.relativeAccessTime) }
        if stFlags & 8192 != 0 { flags.insert(.noSymlinkFollow) }
        if !flags.contains(.noAccessTime) && !flags.contains(.relativeAccessTime) { flags.insert(.strictAccessTime) }
        return flags
    }

    /// mount_setattr(2) MOUNT_ATTR_RDONLY on the mount `fd` refers to, and with `recursive` on
    /// every mount below it.
    public static func makeReadOnly(_ fd: FileDescriptor, recursive: Bool) throws {
        try syscall("mount_setattr", path: fd.procPath) { bt_mount_setattr_rdonly(fd.rawValue, recursive ? 1 : 0) }
    }

    /// mknodat(2) of a device node or fifo: `mode` includes the S_IF* type bits.
    public static func makeNode(at dir: FileDescriptor, _ name: String, mode: mode_t, major: UInt32, minor: UInt32) throws {
        try syscall("mknod", path: name) { bt_mknodat(dir.rawValue, name, UInt32(mode), major, minor) }
    }
}

/// The RESOLVE_* flags of openat2(2).
public enum ResolveFlags {
    /// RESOLVE_IN_ROOT: resolve as if the directory were "/": "..", absolute symlinks stay inside.
    public static let inRoot: UInt64 = BT_RESOLVE_IN_ROOT
    /// RESOLVE_NO_MAGICLINKS: refuse /proc/PID/fd-style links, which jump anywhere.
    public static let noMagicLinks: UInt64 = BT_RESOLVE_NO_MAGICLINKS
    /// RESOLVE_NO_SYMLINKS
    public static let noSymlinks: UInt64 = BT_RESOLVE_NO_SYMLINKS
    /// RESOLVE_BENEATH
    public static let beneath: UInt64 = BT_RESOLVE_BENEATH
}
