import Diagnostics

extension OCIRuntime {
    /// `exec --process F [--detach] [--pid-file P] [--tty] [--console-socket S] [--preserve-fds N] ID`.
    /// - Returns: 0 with `detach`; without it, the process's exit code (the runtime exits with it),
    ///   unless the runtime logged an error, which is thrown.
    @discardableResult
    public func exec(id: String, processJSONPath: String, detach: Bool = true, pidFile: String? = nil,
                     consoleSocket: String? = nil, tty: Bool = false, stdio: RuntimeStdio = .init(),
                     preserveFDs: [Int32] = []) throws -> Int32 {
        var arguments = ["exec", "--process", processJSONPath]
        if detach { arguments.append("--detach") }
        if let pidFile { arguments += ["--pid-file", pidFile] }
        if tty { arguments.append("--tty") }
        if let consoleSocket { arguments += ["--console-socket", consoleSocket] }
        if !preserveFDs.isEmpty { arguments += ["--preserve-fds", String(preserveFDs.count)] }
        arguments.append(id)
        let result = try invoke(arguments, stdio: stdio.detached, extraFiles: preserveFDs)
        if result.status == 0 { return 0 }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        if detach || RuntimeErrorLog.lastError(log: result.log, stderr: [], runtimeName: name) != nil {
            throw failure("exec \(id)", result)
        }
        return result.status
    }
}
