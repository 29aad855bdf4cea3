import ArgumentParser
import ContainerEngine
import ContainerMonitor
import Diagnostics
import EngineState
import ImageSpec
import ImageStore
import Registry

#if canImport(Glibc)
import Glibc
#endif

/// `berth run`: create + start + attach (or `-d`: print the id), docker's exit codes: the
/// container's own, 125 when the engine fails, 126/127 when the command cannot be run / found.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Create and run a new container from an image.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var flags: ContainerFlags
    @Flag(name: .shortAndLong, help: "Run container in background and print container ID.") var detach = false
    @Argument(help: "IMAGE") var image: String
    @Argument(parsing: .captureForPassthrough, help: "COMMAND [ARG...]") var command: [String] = []

    func run() async throws {
        if flags.tty && flags.interactive && !detach && isatty(STDIN_FILENO) == 0 {
            throw EngineFailure("the input device is not a TTY")
        }
        let engine = try failing(125) { try global.engine() }
        try await ensureImage(image, store: engine.images, policy: flags.pull, quiet: flags.quiet)
        let request = try flags.request(image: image, command: command)
        let record = try failing(125) { try engine.create(request) }
        let started: StartedContainer
        do {
            started = try engine.start(record.id)
        } catch let error as BerthError {
            if flags.rm { _ = try? engine.remove(record.id, force: true, volumes: true) }
            throw EngineFailure(error.message, exitCode: Engine.startFailureStatus(error.message))
        }
        if detach {
            try go(started, engine: engine)
            started.release()
            emit(record.id)
            return
        }
        let client = try failing(125) { try AttachClient(containerDirectory: started.directory) }
        if flags.tty, let size = TerminalSize.current() { try? client.sendResize(rows: size.rows, cols: size.cols) }
        try go(started, engine: engine)
        let proxy = flags.tty ? nil : SignalProxy(engine: engine, container: record.id)
        let outcome = try client.relay(stdin: flags.interactive, tty: flags.tty)
        withExtendedLifetime(proxy) {}
        // Without a restart policy the monitor ends once it has cleaned up (network, mounts,
        // --rm): wait for it, so that what `run` leaves is final when it returns.
        let monitorEnds = flags.rm || flags.restart == "no"
        switch outcome {
        case .exited(let code):
            started.release(wait: monitorEnds)
            if code != 0 { throw ExitCode(code) }
        case .detached:
            started.release()
        case .disconnected:
            let code = (try? engine.wait(record.id)) ?? 125
            started.release(wait: monitorEnds)
            if code != 0 { throw ExitCode(code) }
        }
    }

    /// Lets the container run; a start failure exits 125/126/127 (and `--rm` removes it).
    private func go(_ started: StartedContainer, engine: Engine) throws {
        do {
            try started.go()
        } catch let error as BerthError {
            started.release(wait: true)
            engine.cleanUpFailedStart(started.record.id)
            if flags.rm { _ = try? engine.remove(started.record.id, force: true, volumes: true) }
            throw EngineFailure(error.message, exitCode: Engine.startFailureStatus(error.message))
        }
    }
}

/// `berth create`: prints the new container's id.
struct CreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a new container.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var flags: ContainerFlags
    @Argument(help: "IMAGE") var image: String
    @Argument(parsing: .captureForPassthrough, help: "COMMAND [ARG...]") var command: [String] = []

    func run() async throws {
        let engine = try failing(125) { try global.engine() }
        try await ensureImage(image, store: engine.images, policy: flags.pull, quiet: flags.quiet)
        let record = try failing(125) { try engine.create(try flags.request(image: image, command: command)) }
        emit(record.id)
    }
}

/// Pulls `name` when `policy` says so ("missing": only when it is not in the store).
func ensureImage(_ name: String, store: ImageStore, policy: String, quiet: Bool) async throws {
    switch policy {
    case "missing", "always", "never": break
    default: throw EngineFailure("invalid pull option: '\(policy)': must be one of \"always\", \"missing\" or \"never\"", exitCode: 125)
    }
    if policy != "always" {
        do {
            _ = try store.image(name)
            return
        } catch let error as BerthError where error.code == .notFound {
            if policy == "never" { throw EngineFailure(error.message, exitCode: 125) }
        }
    }
    let reference: ImageReference
    do { reference = try ImageReference(parsing: name) } catch {
        throw EngineFailure("invalid reference format: \(name)", exitCode: 125)
    }
    if policy == "missing" { FileOutput.standardError.write("Unable to find image '\(reference.string)' locally\n") }
    do {
        _ = try await Puller(store: store).pull(reference, platform: .host) { _ in }
    } catch {
        throw EngineFailure("\(error)", exitCode: 125)
    }
    if !quiet, policy == "missing" { FileOutput.standardError.write("Pulled \(reference.string)\n") }
}

