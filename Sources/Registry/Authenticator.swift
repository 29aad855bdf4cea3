import Diagnostics
import Foundation
import LiteJSON

/// What goes in the Authorization header of one registry's requests: nothing, Basic
/// credentials, or a Bearer token obtained from the challenge's realm, cached per scope.
actor Authenticator {
    private let http: HTTPClient
    private let credentials: Credentials?
    private let retry: RetryPolicy
    private var challenge: AuthChallenge?
    private var tokens: [String: Token] = [:]

    private struct Token {
        var value: String
        var expires: ContinuousClock.Instant
    }

    init(http: HTTPClient, credentials: Credentials?, retry: RetryPolicy) {
        self.http = http
        self.credentials = credentials
        self.retry = retry
    }

    /// The scheme of the registry's challenge (`bearer`, `basic`); nil when none was seen.
    var scheme: String? { challenge?.scheme }

    /// Remembers the challenge of a /v2/ ping or a 401, so that later requests authenticate
    /// up front instead of collecting a 401 each.
    func learn(from response: HTTPResponse) {
        guard let header = response.header("WWW-Authenticate") else { return }
        let challenges = AuthChallenge.parse(header)
        if let chosen = challenges.first(where: { $0.scheme == "bearer" }) ?? challenges.first(where: { $0.scheme == "basic" }) {
            challenge = chosen
        }
    }

    /// The Authorization value for a request that needs `scopes` (`repository:NAME:pull`), or nil
    /// to go anonymously (no challenge seen yet, or Basic without credentials).
    func authorization(scopes: [String]) async throws -> String? {
        guard let challenge else { return nil }
        switch challenge.scheme {
        case "basic":
            return credentials?.basicAuthorization
        case "bearer":
            let key = scopes.joined(separator: " ")
            if let token = tokens[key], token.expires > .now { return "Bearer \(token.value)" }
            let token = try await fetchToken(challenge: challenge, scopes: scopes)
            tokens[key] = token
            return "Bearer \(token.value)"
        default:
            return nil
        }
    }

    /// After a 401 to a request sent with `sent` as its Authorization: learns the new challenge
    /// and forgets the token for `scopes`.
    /// - Returns: whether sending the request again may succeed.
    func unauthorized(_ response: HTTPResponse, scopes: [String], sent: String?) -> Bool {
        let previous = challenge
        learn(from: response)
        guard let challenge else { return false }
        tokens[scopes.joined(separator: " ")] = nil
        switch challenge.scheme {
        case "basic": return sent == nil && credentials != nil
        // A fresh token is worth one more try when we had none or the challenge changed (a new scope or realm).
        case "bearer": return sent == nil || previous != challenge || !(sent?.hasPrefix("Bearer ") ?? false)
        default: return false
        }
    }

    /// GET realm?service=…&scope=… (with Basic credentials when there are some): docker's token
    /// protocol. The answer holds `token` or `access_token` and maybe `expires_in`.
    private func fetchToken(challenge: AuthChallenge, scopes: [String]) async throws -> Token {
        guard let realm = challenge.realm, var components = URLComponents(string: realm),
              components.scheme == "https" || components.scheme == "http" else {
            throw BerthError.invalid("bearer challenge without a usable realm: \(challenge.realm ?? "(none)")")
        }
        var query = components.queryItems ?? []
        if let service = challenge.service { query.append(URLQueryItem(name: "service", value: service)) }
        for scope in scopes { query.append(URLQueryItem(name: "scope", value: scope)) }
        if let credentials { query.append(URLQueryItem(name: "account", value: credentials.username)) }
        components.queryItems = query.isEmpty ? nil : query
        guard let url = components.url else { throw BerthError.invalid("bad token realm \(realm)") }
        var request = HTTPRequest(url: url)
        if let credentials { request.headers["Authorization"] = credentials.basicAuthorization }
        let response: HTTPResponse
        do {
            response = try await http.send(request, limit: 1 << 20, retry: retry)
        } catch let error as HTTPTransportError {
            throw error.berthError.context("get token")
        } catch let error as HTTPBodyTooLarge {
            throw BerthError(.external, "get token from \(realm): \(error)")
        }
        guard response.status == 200 else {
            if response.status == 401 {
                throw BerthError(.invalidArgument, credentials == nil
                    ? "unauthorized: authentication required" : "unauthorized: incorrect username or password")
            }
            throw RegistryErrorBody.error(status: response.status, body: response.body).context("get token from \(realm)")
        }
        guard let document = try? JSONParser.parse(response.body),
              let value = (document["token"]?.stringValue).flatMap({ $0.isEmpty ? nil : $0 }) ?? document["access_token"]?.stringValue,
              !value.isEmpty else {
            throw BerthError(.external, "get token from \(realm): no token in the answer")
        }
        // Tokens live 60 s unless told otherwise; renew a little early.
        let lifetime = max(10, (document["expires_in"]?.int64Value).map(Int.init) ?? 60)
        return Token(value: value, expires: .now + .seconds(lifetime - 5))
    }
}
