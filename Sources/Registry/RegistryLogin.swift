import Diagnostics
import Foundation

/// `login` and `logout`: check credentials against a registry and keep them in docker's config.json.
public enum RegistryLogin {
    /// Checks `credentials` against `registry`'s `/v2/`: success when it answers 200 (without
    /// them, or with them as Basic credentials) or when its token server hands out a token for them.
    /// - Throws: "unauthorized: incorrect username or password" (code `.invalidArgument`) for a 401.
    public static func verify(_ credentials: Credentials, registry: String, http: HTTPClient = HTTPClient(),
                              environment: [String: String] = ProcessInfo.processInfo.environment) async throws {
        let endpoint = RegistryEndpoint(registry: registry, environment: environment)
        let client = RegistryClient(endpoint: endpoint, repository: "", credentials: credentials, http: http)
        let base = try await client.ping()
        // The ping's answer decides: 200 needs nothing; a 401's challenge says Basic or Bearer.
        guard let scheme = await client.authenticator.scheme else { return }
        let authorization = try await client.authenticator.authorization(scopes: [])
        if scheme == "bearer", authorization != nil { return }
        guard let authorization else {
            throw BerthError(.invalidArgument, "login \(registry): registry asks for an unsupported authentication scheme")
        }
        let response = try await http.send(HTTPRequest(url: base, headers: ["Authorization": authorization]),
                                           limit: 64 << 10, retry: client.retry)
        switch response.status {
        case 200: return
        case 401: throw BerthError(.invalidArgument, "unauthorized: incorrect username or password")
        default: throw RegistryErrorBody.error(status: response.status, body: response.body)
        }
    }

    /// Verifies `credentials` and saves them in `store` under `registry`'s key.
    public static func login(_ credentials: Credentials, registry: String, store: CredentialStore = CredentialStore(),
                             http: HTTPClient = HTTPClient(),
                             environment: [String: String] = ProcessInfo.processInfo.environment) async throws {
        do {
            try await verify(credentials, registry: registry, http: http, environment: environment)
        } catch let error as HTTPTransportError {
            throw error.berthError.context("login \(registry)")
        }
        try store.save(credentials, for: registry)
    }

    /// Removes `registry`'s credentials from `store`.
    /// - Returns: whether there were any.
    @discardableResult
    public static func logout(registry: String, store: CredentialStore = CredentialStore()) throws -> Bool {
        try store.remove(for: registry)
    }
}
