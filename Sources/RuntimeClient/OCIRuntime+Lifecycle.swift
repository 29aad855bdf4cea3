import Diagnostics
import LiteJSON
import OCIRuntimeSpec

extension OCIRuntime {
    /// `create --bundle B --pid-file P [--console-socket S] [--preserve-fds N] ID`.
    /// - Parameters:
    ///   - stdio: the container process's stdin/stdout/stderr (nil: /dev/null).
    ///   - preserveFDs: descriptors that become the runtime's fds 3, 4, ... and are passed to the
    ///     container (`--preserve-fds N`, N = the count); nothing else is inherited.
    public func create(id: String, bundle: String, pidFile: String, consoleSocket: String? = nil,
                       stdio: RuntimeStdio = .init(), preserveFDs: [Int32] = []) throws {
        var arguments = ["create", "--bundle", bundle, "--pid-file", pidFile]
        if let consoleSocket { arguments += ["--console-socket", consoleSocket] }
        if !preserveFDs.isEmpty { arguments += ["--preserve-fds", String(preserveFDs.count)] }
        try run("create \(id)", arguments + [id], stdio: stdio.detached, extraFiles: preserveFDs)
    }

    /// `start ID`: the created container runs its process.
    public func start(id: String) throws {
        try run("start \(id)", ["start", id])
    }

    /// `state ID`, decoded.
    public func state(id: String) throws -> State {
        let output = try run("state \(id)", ["state", id])
        do {
            return try LiteJSONDecoder().decode(State.self, from: output)
        } catch {
            throw BerthError(.external, "state \(id): \(error)")
        }
    }

    /// `kill [--all] ID SIGNUM` (the signal as a number, as both managers send it).
    public func kill(id: String, signal: Int32, all: Bool = false) throws {
        try run("kill \(id)", ["kill"] + (all ? ["--all"] : []) + [id, String(signal)])
    }

    /// `delete [--force] ID`.
    public func delete(id: String, force: Bool = false) throws {
        try run("delete \(id)", ["delete"] + (force ? ["--force"] : []) + [id])
    }

    /// `pause ID`.
    public func pause(id: String) throws {
        try run("pause \(id)", ["pause", id])
    }

    /// `resume ID`.
    public func resume(id: String) throws {
        try run("resume \(id)", ["resume", id])
    }
}

extension RuntimeStdio {
    /// For calls whose process outlives the runtime: unset descriptors become /dev/null.
    var detached: RuntimeStdio {
        RuntimeStdio(input: input ?? -1, output: output ?? -1, error: error ?? -1)
    }
}
