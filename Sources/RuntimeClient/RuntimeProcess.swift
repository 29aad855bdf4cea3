import CBerthShim
import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Spawns the runtime with exactly the descriptors it should have, and collects what it prints.
///
/// posix_spawn (glibc's clone(CLONE_VM|CLONE_VFORK) + exec) is safe in a threaded caller, unlike a
/// fork from Swift. The child gets fds 0-2 from `RuntimeStdio`, `extraFiles` as 3, 4, ..., and
/// every higher descriptor is closed (`posix_spawn_file_actions_addclosefrom_np`), so nothing the
/// caller happens to have open leaks into the runtime or the container.
enum RuntimeProcess {
    /// How much of stderr is kept (the tail).
    static let stderrLimit = 64 << 10
    /// How much of stdout is kept (`state`, `features`).
    static let stdoutLimit = 16 << 20

    /// - Parameter stdio: nil = capture through a pipe (stdin: /dev/null), -1 = /dev/null.
    static func run(_ argv: [String], stdio: RuntimeStdio, extraFiles: [Int32]) throws -> RuntimeResult {
        let firstFree = Int32(3 + extraFiles.count)
        var owned: [FileDescriptor] = []  // our copies, closed on return
        // Duplicates above every target fd, so the dup2s below cannot clobber a source.
        func lift(_ fd: Int32) throws -> Int32 {
            let copy = try syscall("fcntl F_DUPFD_CLOEXEC", path: String(fd)) { fcntl(fd, F_DUPFD_CLOEXEC, firstFree) }
            owned.append(FileDescriptor(copy))
            return copy
        }
        let devNull = try FileDescriptor.open("/dev/null", O_RDWR)
        var stdoutPipe: (read: FileDescriptor, write: FileDescriptor)?
        var stderrPipe: (read: FileDescriptor, write: FileDescriptor)?
        func source(_ fd: Int32?, capture: inout (read: FileDescriptor, write: FileDescriptor)?) throws -> Int32 {
            switch fd {
            case nil:
                let ends = try makePipe()
                capture = ends
                return try lift(ends.write.rawValue)
            case let fd? where fd < 0: return try lift(devNull.rawValue)
            case let fd?: return try lift(fd)
            }
        }
        let sources = [
            try lift(stdio.input.flatMap { $0 >= 0 ? $0 : nil } ?? devNull.rawValue),
            try source(stdio.output, capture: &stdoutPipe),
            try source(stdio.error, capture: &stderrPipe),
        ] + (try extraFiles.map(lift))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, fd) in sources.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, fd, Int32(target))  // dup2 clears FD_CLOEXEC
        }
        SpawnActions.closeFrom(firstFree, in: &actions)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))

        let cArguments = argv.map { strdup($0) } + [nil]
        defer { for pointer in cArguments { free(pointer) } }
        var pid: pid_t = 0
        let code = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, environ)
        // The child has its copies; the write ends must go, or we would never see end of file.
        for fd in owned { fd.close() }
        stdoutPipe?.write.close()
        stderrPipe?.write.close()
        guard code == 0 else {
            throw BerthError.system("run", path: argv[0], errno: code)
        }
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        collect(pid: pid, stdout: stdoutPipe?.read, into: &stdout, stderr: stderrPipe?.read, into: &stderr)
        let status = Processes.exitCode(fromWaitStatus: try Processes.wait(pid))
        return RuntimeResult(status: status, stdout: stdout, stderr: stderr)
    }

    static func makePipe() throws -> (read: FileDescriptor, write: FileDescriptor) {
        var fds: [Int32] = [-1, -1]
        try syscall("pipe2") { bt_pipe_cloexec(&fds) }
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        return (FileDescriptor(fds[0]), FileDescriptor(fds[1]))
    }

    /// Reads both pipes until the runtime has exited (through a pidfd), then drains them. Stops at
    /// the exit rather than at end of file: a process the runtime started may hold a copy.
    static func collect(pid: pid_t, stdout: FileDescriptor?, into out: inout [UInt8],
                        stderr: FileDescriptor?, into err: inout [UInt8]) {
        let pidfd = bt_pidfd_open(pid)
        defer { if pidfd >= 0 { close(pidfd) } }
        var open = [stdout?.rawValue ?? -1, stderr?.rawValue ?? -1]
        func drain(_ index: Int) {
            guard open[index] >= 0 else { return }
            var buffer = [UInt8](repeating: 0, count: 16384)
            while true {
                let n = read(open[index], &buffer, buffer.count)
                if n > 0 {
                    if index == 0 {
                        if out.count < stdoutLimit { out += buffer[0..<min(n, stdoutLimit - out.count)] }
                    } else {
                        err += buffer[0..<n]
                        if err.count > stderrLimit { err.removeFirst(err.count - stderrLimit) }
                    }
                    continue
                }
                if n < 0 && errno == EINTR { continue }
                if n == 0 { open[index] = -1 }  // end of file
                return  // EAGAIN: nothing more for now
            }
        }
        while open.contains(where: { $0 >= 0 }) {
            var fds = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            fds.append(pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0))
            let ready = poll(&fds, nfds_t(fds.count), -1)
            if ready < 0 { if errno == EINTR { continue }; return }
            for index in 0..<2 where fds[index].revents != 0 { drain(index) }
            if fds[2].revents != 0 {
                drain(0)
                drain(1)
                return
            }
        }
    }
}
