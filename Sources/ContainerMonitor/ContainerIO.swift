import CBerthShim
import Diagnostics
import LinuxSyscalls
import RuntimeClient

#if canImport(Glibc)
import Glibc
#endif

/// The monitor's ends of one run's stdio: pipes, or the pty master with a terminal.
final class ContainerIO {
    /// Where the container's stdout comes from: a pipe, or the pty master (everything it writes).
    var stdout: FileDescriptor?
    /// The stderr pipe; nil with a terminal.
    var stderr: FileDescriptor?
    /// Where attach clients' input goes: the stdin pipe or the pty master; nil without `-i`/tty.
    var stdin: FileDescriptor?
    /// The pty master, for resizes.
    let master: FileDescriptor?
    /// Input not yet taken by the container.
    var stdinQueue: [UInt8] = []
    /// A client asked to close stdin: close it once the queue is written.
    var closeStdinPending = false

    /// The most input held for the container before clients stop being read.
    static let stdinQueueLimit = 1 << 20

    private init(stdout: FileDescriptor?, stderr: FileDescriptor?, stdin: FileDescriptor?, master: FileDescriptor?) {
        self.stdout = stdout
        self.stderr = stderr
        self.stdin = stdin
        self.master = master
    }

    /// A terminal: the master does everything.
    static func terminal(master: FileDescriptor) -> ContainerIO {
        setNonBlocking(master)
        return ContainerIO(stdout: master, stderr: nil, stdin: master, master: master)
    }

    /// Pipes: returns our ends and the container's (`RuntimeStdio` for create, closed after it).
    static func pipes(openStdin: Bool) throws -> (ContainerIO, child: [FileDescriptor], RuntimeStdio) {
        let out = try pipe()
        let err = try pipe()
        let input = openStdin ? try pipe() : nil
        for fd in [out.read, err.read] { setNonBlocking(fd) }
        if let input { setNonBlocking(input.write) }
        let io = ContainerIO(stdout: out.read, stderr: err.read, stdin: input?.write, master: nil)
        let child = [out.write, err.write] + (input.map { [$0.read] } ?? [])
        let stdio = RuntimeStdio(input: input?.read.rawValue ?? -1, output: out.write.rawValue, error: err.write.rawValue)
        return (io, child, stdio)
    }

    /// Writes queued input as far as the container takes it; closes stdin when asked and done.
    func flushStdin() {
        guard let stdin else { stdinQueue.removeAll(); return }
        while !stdinQueue.isEmpty {
            let n = stdinQueue.withUnsafeBytes { write(stdin.rawValue, $0.baseAddress, $0.count) }
            if n > 0 { stdinQueue.removeFirst(n); continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            // EPIPE or EIO: the reader is gone; nothing queued can be delivered.
            stdinQueue.removeAll()
            closeStdin()
            return
        }
        if closeStdinPending { closeStdin() }
    }

    /// Closes the stdin pipe (with a terminal there is nothing to close: the master stays).
    func closeStdin() {
        closeStdinPending = false
        guard master == nil else { return }
        stdin?.close()
        stdin = nil
    }

    /// Closes everything.
    func close() {
        stdout?.close()
        stderr?.close()
        stdin?.close()
        master?.close()
        stdout = nil
        stderr = nil
        stdin = nil
    }

    static func setNonBlocking(_ fd: FileDescriptor) {
        _ = fcntl(fd.rawValue, F_SETFL, fcntl(fd.rawValue, F_GETFL) | O_NONBLOCK)
    }

    static func pipe() throws -> (read: FileDescriptor, write: FileDescriptor) {
        var fds: [Int32] = [-1, -1]
        try syscall("pipe2") { bt_pipe_cloexec(&fds) }
        return (FileDescriptor(fds[0]), FileDescriptor(fds[1]))
    }
}
