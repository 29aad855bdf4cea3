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
        let status = try waitForwardingSignals(container.record.pid, terminal: container.terminalMaster)
        try container.delete(force: true, options: options)
        return Processes.exitCode(fromWaitStatus: status)
    }

    /// Waits for our child `pid` (relaying `terminal` when there is one), forwarding the usual
    /// signals to it; returns its wait status.
    static func waitForwardingSignals(_ pid: Int32, terminal: FileDescriptor?) throws -> Int32 {
        forwardTarget = pid
        let forwarded = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2]
        for signal in forwarded {
            Glibc.signal(signal) { received in _ = Glibc.kill(forwardTarget, received) }
        }
        // SIGWINCH only interrupts the relay's poll, which then copies the new window size.
        Glibc.signal(SIGWINCH) { _ in }
        defer { for signal in forwarded + [SIGWINCH] { Glibc.signal(signal, SIG_DFL) } }
        if let terminal { return try TerminalRelay(master: terminal).relay(until: pid) }
        return try Processes.wait(pid)
    }
}
