import ArgumentParser
import ContainerEngine
import ContainerMonitor
import Diagnostics

/// Runs `body` for each container argument, printing the argument after each success as docker
/// does; the errors are printed as they come and the command fails at the end.
func forEachContainer(_ names: [String], _ body: (String) throws -> Void) throws {
    var failed = false
    for name in names {
        do {
            try body(name)
            emit(name)
        } catch let error as BerthError {
            FileOutput.standardError.write("Error: \(error.message)\n")
            failed = true
        }
    }
    if failed { throw ExitCode(1) }
}

/// `berth start [-a] [-i] CONTAINER...`.
struct StartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "start", abstract: "Start one or more stopped containers.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Attach STDOUT/STDERR and forward signals.") var attach = false
    @Flag(name: .shortAndLong, help: "Attach container's STDIN.") var interactive = false
    @Argument(help: "CONTAINER") var containers: [String]

    func validate() throws {
        if containers.isEmpty { throw ValidationError("\"start\" requires at least 1 argument.") }
        if (attach || interactive) && containers.count > 1 {
            throw ValidationError("you cannot start and attach multiple containers at once")
        }
    }

    func run() throws {
        let engine = try global.engine()
        guard attach || interactive else {
            try forEachContainer(containers) { name in
                let started = try engine.start(name)
                do {
                    try started.go()
                    started.release()
                } catch {
                    started.release(wait: true)
                    engine.cleanUpFailedStart(started.record.id)
                    throw error
                }
            }
            return
        }
        let started = try engine.start(containers[0])
        let settings = try engine.settings(of: started.record)
        let client = try AttachClient(containerDirectory: started.directory)
        if settings.options.tty, let size = TerminalSize.current() { try? client.sendResize(rows: size.rows, cols: size.cols) }
        do { try started.go() } catch let error as BerthError {
            started.release(wait: true)
            engine.cleanUpFailedStart(started.record.id)
            throw EngineFailure(error.message, exitCode: Engine.startFailureStatus(error.message))
        }
        let proxy = settings.options.tty ? nil : SignalProxy(engine: engine, container: started.record.id)
        let outcome = try client.relay(stdin: interactive && settings.options.interactive, tty: settings.options.tty)
        withExtendedLifetime(proxy) {}
        started.release()
        if case .exited(let code) = outcome, code != 0 { throw ExitCode(code) }
    }
}

/// `berth stop [-t N] [-s SIGNAL] CONTAINER...`.
struct StopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stop", abstract: "Stop one or more running containers.")

    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("time"), .customLong("timeout")], help: "Seconds to wait before killing the container.") var time: Int?
    @Option(name: .shortAndLong, help: "Signal to send to the container.") var signal: String?
    @Argument(help: "CONTAINER") var containers: [String]

    func run() throws {
        let engine = try global.engine()
        try forEachContainer(containers) { try engine.stop($0, timeout: time, signal: signal) }
    }
}

/// `berth restart [-t N] CONTAINER...`.
struct RestartCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "restart", abstract: "Restart one or more containers.")

    @OptionGroup var global: GlobalOptions
    @Option(name: [.short, .customLong("time"), .customLong("timeout")], help: "Seconds to wait before killing the container.") var time: Int?
    @Argument(help: "CONTAINER") var containers: [String]

    func run() throws {
        let engine = try global.engine()
        try forEachContainer(containers) { name in
            try engine.stop(name, timeout: time)
            let started = try engine.start(name)
            defer { started.release() }
            try started.go()
        }
    }
}

/// `berth kill [-s SIGNAL] CONTAINER...`.
struct KillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "kill", abstract: "Kill one or more running containers.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Signal to send to the container.") var signal = "KILL"
    @Argument(help: "CONTAINER") var containers: [String]

    func run() throws {
        let engine = try global.engine()
        try forEachContainer(containers) { try engine.kill($0, signal: signal) }
    }
}

/// `berth rm [-f] [-v] CONTAINER...`.
struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rm", abstract: "Remove one or more containers.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Force the removal of a running container (uses SIGKILL).") var force = false
    @Flag(name: .shortAndLong, help: "Remove anonymous volumes associated with the container.") var volumes = false
    @Argument(help: "CONTAINER") var containers: [String]

    func run() throws {
        let engine = try global.engine()
        try forEachContainer(containers) { name in
            do {
                _ = try engine.remove(name, force: force, volumes: volumes)
            } catch let error as BerthError where force && error.code == .notFound {
                return
            }
        }
    }
}

/// `berth pause CONTAINER...`.
struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause all processes within one or more containers.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "CONTAINER") var containers: [String]

    func run() throws {
        let engine = try global.engine()
        try forEachContainer(containers) { try engine.pause($0) }
    }
}

/// `berth unpause CONTAINER...`.
struct UnpauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unpause", abstract: "Unpause all processes within one or more containers.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "CONTAINER") var containers: [String]

    func run() throws {
        let engine = try global.engine()
        try forEachContainer(containers) { try engine.unpause($0) }
    }
}

/// `berth wait CONTAINER...`: prints each exit code.
struct WaitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wait", abstract: "Block until one or more containers stop, then print their exit codes.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "CONTAINER") var containers: [String]

    func run() throws {
        let engine = try global.engine()
        for name in containers { emit(String(try engine.wait(name))) }
    }
}

/// `berth attach CONTAINER`.
struct AttachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "attach", abstract: "Attach local standard input, output, and error streams to a running container.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .customLong("no-stdin"), help: "Do not attach STDIN.") var noStdin = false
    @Argument(help: "CONTAINER") var container: String

    func run() throws {
        let engine = try global.engine()
        let record = try engine.container(container)
        guard record.state == .running || record.state == .paused else {
            throw EngineFailure("you cannot attach to a stopped container, start it first")
        }
        let settings = try engine.settings(of: record)
        let client = try AttachClient(containerDirectory: engine.directory(record.id))
        if settings.options.tty, let size = TerminalSize.current() { try? client.sendResize(rows: size.rows, cols: size.cols) }
        let outcome = try client.relay(stdin: !noStdin && settings.options.interactive, tty: settings.options.tty)
        if case .exited(let code) = outcome, code != 0 { throw ExitCode(code) }
    }
}

/// `berth rename CONTAINER NEW_NAME`.
struct RenameCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rename", abstract: "Rename a container.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "CONTAINER") var container: String
    @Argument(help: "NEW_NAME") var newName: String

    func run() throws {
        let engine = try global.engine()
        let record = try engine.container(container)
        try engine.containers.rename(record.id, to: newName)
    }
}
