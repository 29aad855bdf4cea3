import Diagnostics

/// `--restart no|on-failure[:N]|always|unless-stopped`.
public enum RestartPolicy: Sendable, Equatable {
    case no
    /// Restart after a non-zero exit, at most `maximumRetries` times (0: no limit).
    case onFailure(maximumRetries: Int)
    case always
    case unlessStopped

    /// - Throws: `BerthError(.invalidArgument)`: `invalid restart policy 'sometimes'`.
    public static func parse(_ text: String) throws(BerthError) -> RestartPolicy {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        let count: Int? = parts.count == 2 ? Int(parts[1]) : nil
        if parts.count == 2 && count == nil {
            throw .invalid("invalid restart policy format: maximum retry count must be an integer")
        }
        switch name {
        case "", "no", "always", "unless-stopped":
            if count != nil {
                throw .invalid("maximum retry count cannot be used with restart policy '\(name)'")
            }
            return name == "always" ? .always : name == "unless-stopped" ? .unlessStopped : .no
        case "on-failure":
            let retries = count ?? 0
            guard retries >= 0 else { throw .invalid("invalid restart policy: maximum retry count cannot be negative") }
            return .onFailure(maximumRetries: retries)
        default:
            throw .invalid("invalid restart policy '\(name)'")
        }
    }
}
