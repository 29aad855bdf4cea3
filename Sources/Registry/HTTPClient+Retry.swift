import Foundation

extension HTTPClient {
    /// Sends `request`, again after a transient connection error or a 408/429/5xx answer when
    /// it is idempotent (GET, HEAD), pausing as `policy` says between attempts.
    /// - Returns: the last response, whatever its status.
    /// - Throws: the last `HTTPTransportError` when every attempt failed to get an answer.
    public func send(_ request: HTTPRequest, limit: Int = defaultBodyLimit, retry policy: RetryPolicy) async throws -> HTTPResponse {
        var attempt = 1
        while true {
            let canRetry = request.isIdempotent && attempt < policy.attempts
            do {
                let response = try await send(request, limit: limit)
                guard canRetry, RetryPolicy.isRetryable(status: response.status) else { return response }
                try await Task.sleep(for: policy.delay(afterAttempt: attempt, retryAfter: response.header("Retry-After")))
            } catch let error as HTTPTransportError where canRetry && error.isTransient {
                try await Task.sleep(for: policy.delay(afterAttempt: attempt))
            }
            attempt += 1
        }
    }
}
