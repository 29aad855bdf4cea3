#if canImport(Glibc)
import Glibc
#endif

/// What a copied entry keeps: permission bits, owner, times, and a device's numbers.
struct EntryMetadata {
    /// The permission bits with set-user-id, set-group-id and sticky (07777).
    var mode: UInt32
    var uid: UInt32
    var gid: UInt32
    var accessTime: timespec
    var modificationTime: timespec

    init(mode: UInt32, uid: UInt32, gid: UInt32, accessTime: timespec, modificationTime: timespec) {
        self.mode = mode & 0o7777
        self.uid = uid
        self.gid = gid
        self.accessTime = accessTime
        self.modificationTime = modificationTime
    }

    init(_ status: stat) {
        self.init(mode: UInt32(status.st_mode), uid: status.st_uid, gid: status.st_gid,
                  accessTime: status.st_atim, modificationTime: status.st_mtim)
    }

    /// A tar entry's: whole seconds, the access time set to the modification time.
    init(mode: UInt32, uid: UInt32, gid: UInt32, mtime: Int64) {
        let time = timespec(tv_sec: time_t(mtime), tv_nsec: 0)
        self.init(mode: mode, uid: uid, gid: gid, accessTime: time, modificationTime: time)
    }
}
