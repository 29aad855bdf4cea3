#if canImport(Glibc)
import Glibc
#endif

/// posix_spawn file actions Swift's Glibc module does not show.
public enum SpawnActions {
    /// Closes every descriptor from `first` up in the child: glibc's
    /// `posix_spawn_file_actions_addclosefrom_np` (2.34+), hidden behind _GNU_SOURCE and so
    /// looked up at run time; without it (a static binary), each inherited descriptor not
    /// marked close-on-exec is closed one by one.
    public static func closeFrom(_ first: Int32, in actions: inout posix_spawn_file_actions_t) {
        typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            let addCloseFrom = unsafeBitCast(symbol, to: AddCloseFrom.self)
            if addCloseFrom(&actions, first) == 0 { return }
        }
        for name in (try? Files.list("/proc/self/fd")) ?? [] {
            guard let fd = Int32(name), fd >= first else { continue }
            let flags = fcntl(fd, F_GETFD)
            if flags >= 0 && flags & FD_CLOEXEC == 0 { posix_spawn_file_actions_addclose(&actions, fd) }
        }
    }
}
