import CArchive

#if canImport(Glibc)
import Glibc
#endif

/// One entry's header, as `TarReader` reports it.
public struct TarEntry: Sendable, Equatable {
    /// What an entry is.
    public enum Kind: Sendable, Equatable {
        case file, directory, symlink, hardLink, characterDevice, blockDevice, fifo, socket
    }

    /// The path as stored (not normalised: a reader of untrusted archives must check it).
    public var path: String
    public var kind: Kind
    /// The data size: 0 for anything but a file.
    public var size: Int64
    /// The target of a symlink or a hard link.
    public var linkTarget: String?
    /// Permission bits with set-user-id, set-group-id and sticky (07777).
    public var mode: UInt32
    public var uid: UInt32
    public var gid: UInt32
    /// Seconds since the epoch.
    public var mtime: Int64

    public init(path: String, kind: Kind, size: Int64 = 0, linkTarget: String? = nil, mode: UInt32 = 0o644,
                uid: UInt32 = 0, gid: UInt32 = 0, mtime: Int64 = 0) {
        self.path = path
        self.kind = kind
        self.size = size
        self.linkTarget = linkTarget
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.mtime = mtime
    }

    /// The fields of a libarchive entry.
    init(_ entry: OpaquePointer) {
        let hardLink = archive_entry_hardlink(entry)
        let symlink = archive_entry_symlink(entry)
        if hardLink != nil {
            kind = .hardLink
        } else {
            switch archive_entry_filetype(entry) & S_IFMT {
            case S_IFDIR: kind = .directory
            case S_IFLNK: kind = .symlink
            case S_IFCHR: kind = .characterDevice
            case S_IFBLK: kind = .blockDevice
            case S_IFIFO: kind = .fifo
            case S_IFSOCK: kind = .socket
            default: kind = .file
            }
        }
        path = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
        size = kind == .file ? max(archive_entry_size(entry), 0) : 0
        linkTarget = (hardLink ?? symlink).map { String(cString: $0) }
        mode = archive_entry_perm(entry) & 0o7777
        uid = UInt32(truncatingIfNeeded: archive_entry_uid(entry))
        gid = UInt32(truncatingIfNeeded: archive_entry_gid(entry))
        mtime = Int64(archive_entry_mtime(entry))
    }
}
