import Diagnostics
import LinuxSyscalls
import OCIRuntimeSpec

#if canImport(Glibc)
import Glibc
#endif

/// `process.args` and `process.env`, resolved to what `execve` gets.
struct Executable {
    let args: [String]
    let env: [String]

    init(process: Process) throws {
        guard let args = process.args, !args.isEmpty, !args[0].isEmpty else {
            throw BerthError.invalid("config.json: process.args: must not be empty")
        }
        self.args = args
        self.env = process.env ?? []
    }

    /// The search path: the container's own PATH, else the usual default (as runc/Go's LookPath
    /// would see an unset PATH, plus the conventional directories).
    var searchPath: [String] {
        let path = env.last(where: { $0.hasPrefix("PATH=") }).map { String($0.dropFirst(5)) }
            ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":", omittingEmptySubsequences: false).map { $0.isEmpty ? "." : String($0) }
    }

    /// Resolves `args[0]` inside the (already pivoted) root, with the messages podman and
    /// containerd classify: "... no such file or directory", "... executable file not found in $PATH",
    /// "... permission denied".
    func resolve() throws -> String {
        let name = args[0]
        if name.contains("/") {
            try checkExecutable(name, name: name)
            return name
        }
        for directory in searchPath {
            let candidate = directory == "." ? name : "\(directory)/\(name)"
            var st = stat()
            if stat(candidate, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR, access(candidate, X_OK) == 0 {
                return candidate
            }
        }
        throw BerthError(.notFound, "exec: \"\(name)\": executable file not found in $PATH", errno: ENOENT)
    }

    private func checkExecutable(_ path: String, name: String) throws {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let code = errno
            throw BerthError(code == ENOENT ? .notFound : .system,
                             "exec: \"\(name)\": stat \(path): \(errnoDescription(code))", errno: code)
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw BerthError(.invalidArgument, "exec: \"\(name)\": is a directory", errno: EISDIR)
        }
        if access(path, X_OK) != 0 {
            throw BerthError(.system, "exec: \"\(name)\": permission denied", errno: EACCES)
        }
    }

    /// Checked at create, so that a missing binary fails `create`, not `start` (runc, crun do so).
    func check() throws { _ = try resolve() }

    func exec() throws -> Never {
        let path = try resolve()
        // The runtime ignores SIGPIPE and may block signals; the container starts with defaults.
        var empty = sigset_t()
        sigemptyset(&empty)
        sigprocmask(SIG_SETMASK, &empty, nil)
        for signal in 1..<Int32(65) where signal != SIGKILL && signal != SIGSTOP {
            Glibc.signal(signal, SIG_DFL)
        }
        withCStrings(args) { argv in
            withCStrings(env) { envp in _ = execve(path, argv, envp) }
        }
        throw BerthError.system("exec \(path)")
    }
}
