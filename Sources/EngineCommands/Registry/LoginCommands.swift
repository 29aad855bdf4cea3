import ArgumentParser
import Registry

#if canImport(Glibc)
import Glibc
#endif

/// `berth login`: checks credentials with the registry and keeps them in docker's config.json.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "login", abstract: "Log in to a registry.")

    @OptionGroup var global: GlobalOptions
    @Option(name: .shortAndLong, help: "Username.") var username: String?
    @Option(name: .shortAndLong, help: "Password.") var password: String?
    @Flag(name: .customLong("password-stdin"), help: "Take the password from stdin.") var passwordStdin = false
    @Argument(help: "SERVER (default: docker.io)") var server: String = "docker.io"

    func run() async throws {
        guard let username, !username.isEmpty else { throw EngineFailure("login \(server): a username is needed (-u)") }
        var secret = password
        if passwordStdin {
            guard password == nil else { throw EngineFailure("--password and --password-stdin are mutually exclusive", exitCode: 125) }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(0, &chunk, chunk.count)
                if n <= 0 { break }
                bytes += chunk[0..<n]
            }
            secret = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: ["\n", "\r"])
        }
        guard let secret, !secret.isEmpty else { throw EngineFailure("login \(server): a password is needed (-p or --password-stdin)") }
        try await RegistryLogin.login(Credentials(username: username, password: secret), registry: server)
        emit("Login Succeeded")
    }
}

/// `berth logout`.
struct LogoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "logout", abstract: "Log out from a registry.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "SERVER (default: docker.io)") var server: String = "docker.io"

    func run() throws {
        if try RegistryLogin.logout(registry: server) {
            emit("Removing login credentials for \(server)")
        } else {
            emit("Not logged in to \(server)")
        }
    }
}

extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}
