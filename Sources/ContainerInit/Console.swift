import CBerthShim
import Diagnostics
import LinuxSyscalls
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

/// The container's terminal: a pty from the container's own devpts instance, whose master goes to
/// the manager over `--console-socket` (one SCM_RIGHTS message, as runc does) and whose slave
/// becomes the process's stdio and controlling terminal.
struct Console {
    let slave: FileDescriptor
    /// The slave's path in the container ("/dev/pts/0").
    let slavePath: String

    /// Opens a pty of the container's devpts through `open` (a path in the container and flags),
    /// sends the master over `socket` and returns the slave.
    static func create(socket: Int32, size: ConsoleSize?,
                       open: (String, Int32) throws -> FileDescriptor) throws -> Console {
        guard socket >= 0 else { throw BerthError.invalid("process.terminal is set but no --console-socket was given") }
        defer { close(socket) }
        let master = try open("/dev/pts/ptmx", O_RDWR | O_NOCTTY)
        try syscall("unlockpt") { bt_ioctl_unlock_pt(master.rawValue) }
        var number: UInt32 = 0
        try syscall("get pty number") { bt_ioctl_get_ptn(master.rawValue, &number) }
        let slavePath = "/dev/pts/\(number)"
        let slave = try open(slavePath, O_RDWR | O_NOCTTY)
        if let size {
            try syscall("set window size") { bt_ioctl_set_winsize(master.rawValue, size.height, size.width) }
        }
        let payload = Array("/dev/ptmx".utf8)
        try syscall("send console master") { bt_send_fd(socket, payload, payload.count, master.rawValue) }
        return Console(slave: slave, slavePath: slavePath)
    }

    /// Makes the slave fds 0, 1, 2 and the controlling terminal of a new session.
    func attachStdio() throws {
        try syscall("setsid") { setsid() }
        for fd: Int32 in 0...2 {
            try syscall("dup2 console") { dup2(slave.rawValue, fd) }
        }
        try syscall("set controlling terminal") { bt_ioctl_set_ctty(0) }
        slave.close()
    }
}
