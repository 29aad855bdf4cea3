import Diagnostics

/// Whether and when a container that exited is started again: docker's restart manager as a
/// pure function (moby `restartmanager/restartmanager.go`).
public enum RestartDecision {
    /// A container's restart policy, as docker's `--restart` spells it (EngineSpec's
    /// `RestartPolicy` validates the flag; this one is what the monitor acts on).
    public enum Policy: Sendable, Equatable {
        /// "no" (and ""): never restart.
        case no
        /// "on-failure[:N]": restart after a non-zero exit, at most N times (0: no limit).
        case onFailure(maximumRetries: Int)
        /// "always".
        case always
        /// "unless-stopped".
        case unlessStopped

        /// Parses docker's spelling.
        /// - Throws: `.invalidArgument` "invalid restart policy X".
        public init(parsing text: String) throws {
            switch text {
            case "", "no": self = .no
            case "always": self = .always
            case "unless-stopped": self = .unlessStopped
            case "on-failure": self = .onFailure(maximumRetries: 0)
            default:
                guard text.hasPrefix("on-failure:"), let count = Int(text.dropFirst("on-failure:".count)), count >= 0 else {
                    throw BerthError.invalid("invalid restart policy \(text)")
                }
                self = .onFailure(maximumRetries: count)
            }
        }
    }

    /// The first delay, and the one after a run of at least ``resetAfter``.
    public static let initialDelay: Duration = .milliseconds(100)
    /// The longest delay.
    public static let maximumDelay: Duration = .seconds(60)
    /// A run at least this long resets the delay to ``initialDelay``.
    public static let resetAfter: Duration = .seconds(10)

    /// The delay before the next restart, or nil when the container stays exited.
    ///
    /// Never after a manual stop. `always`/`unless-stopped` restart on any exit; `on-failure[:N]`
    /// when `exitCode != 0` and (N == 0 or `restartCount < N`). The delay starts at 100 ms,
    /// doubles with each consecutive restart, is capped at 60 s, and goes back to 100 ms when
    /// the container ran for 10 s or more.
    /// - Parameters:
    ///   - policy: the container's restart policy.
    ///   - exitCode: how the container exited.
    ///   - restartCount: restarts so far.
    ///   - manuallyStopped: the engine's stop/kill set it (docker's HasBeenManuallyStopped).
    ///   - ranFor: how long the container ran before this exit.
    ///   - previousDelay: the delay before the previous restart; nil when there was none.
    public static func next(policy: Policy, exitCode: Int32, restartCount: Int, manuallyStopped: Bool,
                            ranFor: Duration, previousDelay: Duration?) -> Duration? {
        if manuallyStopped { return nil }
        switch policy {
        case .no: return nil
        case .always, .unlessStopped: break
        case .onFailure(let maximum):
            if exitCode == 0 { return nil }
            if maximum > 0 && restartCount >= maximum { return nil }
        }
        guard let previousDelay, ranFor < resetAfter else { return initialDelay }
        return min(previousDelay * 2, maximumDelay)
    }
}
