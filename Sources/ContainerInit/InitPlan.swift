import Diagnostics
import LiteJSON
import OCIRuntimeSpec
import Seccomp

/// The decoded bootstrap and config, and what the init derives from them once.
struct InitPlan {
    let bootstrap: InitBootstrap
    let spec: Spec
    let process: Process
    let executable: Executable
    /// The connected console socket (`--console-socket`), or -1.
    let consoleSocket: Int32
    /// The compiled seccomp filter, when config.json has one.
    var seccomp: CompiledSeccompFilter?

    /// `exec` into a running container rather than `create`.
    var isExec: Bool { bootstrap.execProcess != nil }

    init(bootstrap: InitBootstrap, spec: Spec, consoleSocket: Int32) throws {
        let process: Process
        if let exec = bootstrap.execProcess {
            process = try Process.decode(Array(exec.utf8), file: "process.json")
        } else {
            guard let configured = spec.process else { throw BerthError.invalid("config.json: process: missing") }
            process = configured
        }
        self.bootstrap = bootstrap
        self.spec = spec
        self.process = process
        self.executable = try Executable(process: process)
        self.consoleSocket = consoleSocket
    }

    func stateJSON(status: ContainerStatus) -> [UInt8] {
        var state = bootstrap.state
        state.status = status
        return (try? LiteJSONEncoder().encode(state)) ?? []
    }
}
