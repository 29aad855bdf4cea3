import Diagnostics
import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// The pid `run` forwards signals to; a C signal handler cannot capture context.
nonisolated(unsafe) private var forwardTarget: Int32 = 0

extension Container {
    /// `run`: create and start; unless `detach`, wait for the container (relaying its terminal
    /// when it has one and no console socket was given), forwarding signals to it, delete it and
    /// return its exit code.
    public static func run(id: String, _ create: CreateOptions, detach: Bool, options: RuntimeOptions) throws -> Int32 {
        var create = create
        create.ownTerminal = !detach
        let container = try Container.create(id: id, create, options: options)
        do {
            try container.start(options: options)
        } catch {
            try? container.delete(force: true, options: options)
            throw error
        }
        if detach { return 0 }
        let pid = container.record.pid
        forwardTarget = pid
        let forwarded = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2]
        for signal in forwarded {
            Glibc.signal(signal) { received in _ = Glibc.kill(forwardTarget, received) }
        }
        // SIGWINCH only interrupts the relay's poll, which then copies the new window size.
        Glibc.signal(SIGWINCH) { _ in }
        let status: Int32
        if let master = container.terminalMaster {
            status = try TerminalRelay(master: master).relay(until: pid)
        } else {
            status = try Processes.wait(pid)
        }
        for signal in forwarded + [SIGWINCH] { Glibc.signal(signal, SIG_DFL) }
        try container.delete(force: true, options: options)
        return Processes.exitCode(fromWaitStatus: status)
    }
}
