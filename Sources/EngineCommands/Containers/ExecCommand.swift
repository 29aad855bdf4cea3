import ArgumentParser
import ContainerEngine
import ContainerMonitor
import Diagnostics
import Dispatch
import LinuxSyscalls
import RuntimeClient

#if canImport(Glibc)
import Glibc
#endif

/// `berth exec`: runs a command in a running container, exits with its status.
struct ExecCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "exec", abstract: "Execute a command in a running container.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Keep STDIN open even if not attached.") var interactive = false
    @Flag(name: .shortAndLong, help: "Allocate a pseudo-TTY.") var tty = false
    @Flag(name: .shortAndLong, help: "Detached mode: run command in the background.") var detach = false
    @Option(name: .shortAndLong, help: "Set environment variables.") var env: [String] = []
    @Option(name: .shortAndLong, help: "Username or UID (format: <name|uid>[:<group|gid>]).") var user: String?
    @Option(name: .shortAndLong, help: "Working directory inside the container.") var workdir: String?
    @Flag(help: "Give extended privileges to the command.") var privileged = false
    @Argument(help: "CONTAINER") var container: String
    @Argument(parsing: .captureForPassthrough, help: "COMMAND [ARG...]") var command: [String] = []

    func run() throws {
        if tty && interactive && !detach && isatty(STDIN_FILENO) == 0 { throw EngineFailure("the input device is not a TTY") }
        let engine = try global.engine()
        var request = ExecRequest(command: command)
        request.interactive = interactive
        request.tty = tty
        request.detach = detach
        request.env = env
        request.user = user
        request.workdir = workdir
        request.privileged = privileged
        let prepared = try engine.prepareExec(container, request, callerEnvironment: callerEnvironment())
        defer { prepared.cleanUp() }
        let status: Int32
        do {
            if detach {
                status = try prepared.runtime.exec(id: prepared.record.id, processJSONPath: prepared.processPath, detach: true)
            } else if tty {
                status = try Self.runWithTerminal(prepared, interactive: interactive)
            } else {
                status = try prepared.runtime.exec(
                    id: prepared.record.id, processJSONPath: prepared.processPath, detach: false,
                    stdio: RuntimeStdio(input: interactive ? 0 : -1, output: 1, error: 2))
            }
        } catch let error as BerthError {
            // In the foreground without a terminal the runtime's stderr is ours: it has printed
            // the error already, once is enough.
            if !detach && !tty { throw ExitCode(Engine.startFailureStatus(error.message)) }
            throw EngineFailure(error.message, exitCode: Engine.startFailureStatus(error.message))
        }
        if status != 0 { throw ExitCode(status) }
    }

    /// `exec -t`: the runtime sends the pty master over a console socket; we relay it while the
    /// runtime waits for the process (on another thread) and then exit with its status.
    static func runWithTerminal(_ prepared: PreparedExec, interactive: Bool) throws -> Int32 {
        let console = try ConsoleSocket()
        let socketPath = console.path
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        DispatchQueue.global().async {
            box.result = Result {
                try prepared.runtime.exec(id: prepared.record.id, processJSONPath: prepared.processPath, detach: false,
                                          consoleSocket: socketPath, tty: true)
            }
            done.signal()
        }
        if let master = try? console.receiveMaster(timeoutMilliseconds: 10_000) {
            _ = try TerminalRelay.relay(master: master, stdin: interactive, detachKeys: interactive)
        }
        done.wait()
        return try box.result.get()
    }
}

/// The runtime's result, handed from its thread to ours (the semaphore orders the accesses).
private final class ResultBox: @unchecked Sendable {
    var result: Result<Int32, Error> = .success(0)
}
