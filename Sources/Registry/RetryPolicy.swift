/// How often and how patiently idempotent registry requests are retried: three attempts with
/// exponential backoff, on connection errors and on 429 and 5xx answers (as docker and
/// containers/image do).
public struct RetryPolicy: Sendable {
    public var attempts: Int
    public var baseDelay: Duration
    public var maxDelay: Duration

    public init(attempts: Int = 3, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(10)) {
        self.attempts = attempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The pause before attempt `attempt + 1` (1-based `attempt`): base, 2×base, 4×base…,
    /// or what a 429's Retry-After asks for, capped at `maxDelay`.
    public func delay(afterAttempt attempt: Int, retryAfter: String? = nil) -> Duration {
        if let retryAfter, let seconds = Int(retryAfter.trimmingCharacters(in: " ")), seconds >= 0 {
            return min(.seconds(seconds), maxDelay)
        }
        return min(baseDelay * (1 << max(0, min(attempt - 1, 16))), maxDelay)
    }

    /// A status worth retrying: 408, 429 and 5xx except 501 (not implemented) and 505.
    public static func isRetryable(status: Int) -> Bool {
        status == 408 || status == 429 || ((500...599).contains(status) && status != 501 && status != 505)
    }
}

extension String {
    func trimmingCharacters(in character: Character) -> String {
        String(drop { $0 == character }.reversed().drop { $0 == character }.reversed())
    }
}
