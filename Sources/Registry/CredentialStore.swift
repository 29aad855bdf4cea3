import Diagnostics
import Foundation
import LinuxSyscalls
import LiteJSON

/// Registry credentials in docker's `config.json`: `{"auths": {"HOST": {"auth": base64(user:pass)}}}`,
/// at `$DOCKER_CONFIG/config.json`, else `$HOME/.docker/config.json`. Docker Hub's key is
/// `https://index.docker.io/v1/`. Other keys of the file (credsStore, proxies, …) are kept as they are.
///
/// Credential helpers (`credsStore`, `credHelpers`) and identity tokens are not used.
public struct CredentialStore: Sendable {
    /// The config.json this store reads and writes.
    public let path: String

    public init(path: String) { self.path = path }

    /// docker's location: `$DOCKER_CONFIG/config.json`, else `$HOME/.docker/config.json`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let directory = environment["DOCKER_CONFIG"], !directory.isEmpty {
            path = directory + "/config.json"
        } else {
            path = (environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()) + "/.docker/config.json"
        }
    }

    /// The key docker writes for `server`: `https://index.docker.io/v1/` for Docker Hub, the
    /// host[:port] otherwise.
    public static func key(for server: String) -> String {
        let domain = RegistryEndpoint.normalizedDomain(server)
        return domain == "docker.io" ? "https://index.docker.io/v1/" : domain
    }

    /// The credentials stored for `registry` (any spelling: `docker.io`, `https://host:5000/v1/`), or nil.
    /// - Throws: when the file exists but is not valid JSON or holds a malformed entry.
    public func credentials(for registry: String) throws -> Credentials? {
        guard let root = try load(), let auths = root["auths"]?.objectValue else { return nil }
        let domain = RegistryEndpoint.normalizedDomain(registry)
        for (key, entry) in auths.reversed() where RegistryEndpoint.normalizedDomain(key) == domain {
            if let auth = entry["auth"]?.stringValue, !auth.isEmpty {
                guard let credentials = Credentials(encoded: auth) else {
                    throw BerthError.invalid("\(path): invalid auth entry for \(key)")
                }
                return credentials
            }
            if let username = entry["username"]?.stringValue, let password = entry["password"]?.stringValue {
                return Credentials(username: username, password: password)
            }
        }
        return nil
    }

    /// Records `credentials` for `registry`, replacing any entry for the same registry.
    public func save(_ credentials: Credentials, for registry: String) throws {
        let domain = RegistryEndpoint.normalizedDomain(registry)
        try update { auths in
            auths.removeAll { RegistryEndpoint.normalizedDomain($0.0) == domain }
            auths.append((Self.key(for: registry), .object([("auth", .string(credentials.encoded))])))
        }
    }

    /// Forgets the credentials of `registry`.
    /// - Returns: whether there were any.
    @discardableResult
    public func remove(for registry: String) throws -> Bool {
        let domain = RegistryEndpoint.normalizedDomain(registry)
        let auths = try load()?["auths"]?.objectValue ?? []
        guard auths.contains(where: { RegistryEndpoint.normalizedDomain($0.0) == domain }) else { return false }
        try update { auths in auths.removeAll { RegistryEndpoint.normalizedDomain($0.0) == domain } }
        return true
    }

    // MARK: - File

    private func load() throws -> JSONValue? {
        guard Files.exists(path) else { return nil }
        let bytes = try BerthError.wrap("read \(path)") { try Files.read(path, limit: 16 << 20) }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }) { return nil }
        do {
            let value = try JSONParser.parse(bytes)
            guard value.objectValue != nil else { throw BerthError.invalid("\(path): not a json object") }
            return value
        } catch let error as BerthError {
            throw error
        } catch {
            throw BerthError.invalid("\(path): invalid json: \(error)")
        }
    }

    /// Rewrites the file with `change` applied to its `auths` members, atomically (temp file and
    /// rename) with mode 0600, every other member kept in place.
    private func update(_ change: (inout [(String, JSONValue)]) -> Void) throws {
        var members = try load()?.objectValue ?? []
        var auths = members.last(where: { $0.0 == "auths" })?.1.objectValue ?? []
        change(&auths)
        if let index = members.lastIndex(where: { $0.0 == "auths" }) {
            members[index].1 = .object(auths)
        } else {
            members.insert(("auths", .object(auths)), at: 0)
        }
        let directory = (path as NSString).deletingLastPathComponent
        try BerthError.wrap("write \(path)") {
            if !directory.isEmpty { try Files.makeDirectories(directory, mode: 0o700) }
            var bytes = JSONValue.object(members).serialized(pretty: true, indent: "\t")
            bytes.append(0x0a)
            try Files.writeAtomically(path, bytes, mode: 0o600)
        }
    }
}
