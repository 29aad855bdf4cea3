import Diagnostics
import ImageSpec
import OCIRuntimeSpec

extension SpecBuilder {
    /// The PATH a container gets when neither the image nor the flags set one.
    public static let defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// Entrypoint + Cmd, docker's way: `--entrypoint` replaces the image's entrypoint and drops
    /// its Cmd (an empty `--entrypoint` clears both); arguments after the image replace Cmd.
    /// - Throws: `BerthError(.invalidArgument)`: `no command specified`.
    static func arguments(image: ContainerConfig?, options: RunOptions, initProcess: Bool) throws(BerthError) -> [String] {
        let entrypoint: [String], command: [String]
        if let flag = options.entrypoint {
            entrypoint = flag.isEmpty ? [] : [flag]
            command = options.command
        } else {
            entrypoint = image?.entrypoint ?? []
            command = options.command.isEmpty ? image?.cmd ?? [] : options.command
        }
        let args = entrypoint + command
        guard !args.isEmpty else { throw .invalid("no command specified") }
        return initProcess ? [initDestination, "--"] + args : args
    }

    /// docker's container environment: PATH (default), HOSTNAME, TERM=xterm with `-t`, then the
    /// image's Env, the env files and `-e` in that order (docker reads the env files before `-e`);
    /// a later value of a name replaces the earlier one in place.
    static func environment(image: ContainerConfig?, options: RunOptions, resolved: ResolvedInputs,
                            hostname: String) throws(BerthError) -> [String] {
        var env = [defaultPath, "HOSTNAME=\(hostname)"]
        if options.tty { env.append("TERM=xterm") }
        for entry in image?.env ?? [] { replaceOrAppend(&env, entry) }
        for (index, content) in resolved.envFileContents.enumerated() {
            let name = index < options.envFiles.count ? options.envFiles[index] : "env file \(index + 1)"
            for entry in try EnvFile.parse(content, name: name, environment: resolved.callerEnvironment) {
                replaceOrAppend(&env, entry)
            }
        }
        for entry in options.env {
            guard let resolvedEntry = try EnvFile.entry(entry, environment: resolved.callerEnvironment) else { continue }
            replaceOrAppend(&env, resolvedEntry)
        }
        return env
    }

    static func replaceOrAppend(_ env: inout [String], _ entry: String) {
        let key = entry.prefix { $0 != "=" }
        if let index = env.firstIndex(where: { $0.prefix { $0 != "=" } == key }) {
            env[index] = entry
        } else {
            env.append(entry)
        }
    }

    /// `-w`, else the image's WorkingDir, else "/".
    /// - Throws: `BerthError(.invalidArgument)`:
    ///   `the working directory 'tmp' is invalid, it needs to be an absolute path`.
    static func workingDirectory(image: ContainerConfig?, options: RunOptions) throws(BerthError) -> String {
        let directory = options.workdir ?? image?.workingDir ?? ""
        if directory.isEmpty { return "/" }
        guard directory.hasPrefix("/") else {
            throw .invalid("the working directory '\(directory)' is invalid, it needs to be an absolute path")
        }
        return directory
    }

    /// runc's default RLIMIT_NOFILE (1024), or docker's 1048576 when asked, then `--ulimit`.
    static func rlimits(_ options: RunOptions, raiseNofile: Bool) throws(BerthError) -> [RLimit] {
        let nofile: UInt64 = raiseNofile ? 1_048_576 : 1024
        var limits = [RLimit(type: "RLIMIT_NOFILE", hard: nofile, soft: nofile)]
        for text in options.ulimits {
            let limit = try Ulimit.parse(text)
            limits.removeAll { $0.type == limit.type }
            limits.append(limit)
        }
        return limits
    }

    /// docker's default is false; `--security-opt no-new-privileges` sets it (the last one wins).
    static func noNewPrivileges(_ security: [SecurityOption]) -> Bool {
        var value = false
        for case .noNewPrivileges(let flag) in security { value = flag }
        return value
    }
}
