import Cgroups
import ContainerRuntime
import Diagnostics
import LiteJSON

#if canImport(Glibc)
import Glibc
#endif

/// `events [--stats] [--interval D] ID`: the container's resource usage as runc's JSON event
/// records, `{"type":"stats","id":ID,"data":{...}}`. With `--stats`, one record; without, one
/// every interval until the container stops or is deleted.
///
/// runc also reports `oom` events from the memory cgroup's eventfd; Berth does not (yet).
enum EventsCommand: RuntimeCommand {
    static let name = "events"
    static let usage = "[options] <container-id>"
    static let abstract = "Print the container's resource usage statistics as JSON events."
    static let options: [OptionSpec] = [
        .value("interval", help: "the stats collection interval (default: 5s)"),
        .flag("stats", help: "print the container's stats once, then exit"),
    ]

    /// One line of output: runc's `types.Event`.
    struct Event: Encodable {
        var type = "stats"
        var id: String
        var data: CgroupStats
    }

    static func run(_ arguments: ParsedArguments, context: RuntimeContext) throws -> Int32 {
        let id = try arguments.requirePositionals(["<container-id>"], command: name)[0]
        try BerthError.wrap("events \(id)") {
            let interval = try duration(arguments.value("interval") ?? "5s")
            // The first sample reports a missing or stopped container as an error.
            try emit(Event(id: id, data: sample(id, context: context)))
            guard !arguments.flag("stats") else { return }
            while true {
                sleep(nanoseconds: interval)
                do {
                    try emit(Event(id: id, data: sample(id, context: context)))
                } catch let error as BerthError where error.code == .notFound || error.code == .invalidState {
                    return  // deleted or stopped: the stream ends, as runc's does
                } catch let error as BerthError {
                    // A transient read failure costs one sample, not the stream (runc logs it too).
                    context.log.warning("events \(id): \(error.message)")
                }
            }
        }
        return 0
    }

    /// The stats, read under a shared lock that is released before the next sleep.
    static func sample(_ id: String, context: RuntimeContext) throws -> CgroupStats {
        try Container.load(id: id, options: context.options, exclusive: false).stats()
    }

    static func emit(_ event: Event) throws {
        print(String(decoding: try LiteJSONEncoder().encode(event), as: UTF8.self))
        // A pipe reader (a monitoring agent) wants each record as it happens.
        fflush(nil)  // every stream: stdout is a C global Swift 6 will not touch
    }

    /// A Go duration ("5s", "500ms", "1m30s", "1.5h") in nanoseconds, as runc's --interval takes.
    /// - Throws: `.invalidArgument` when malformed or not positive.
    static func duration(_ text: String) throws -> UInt64 {
        let invalid = BerthError.invalid("invalid value \"\(text)\" for flag --interval: use a duration like 5s or 500ms")
        let units: [(String, Double)] = [
            ("ns", 1), ("us", 1e3), ("µs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
        ]
        var rest = Substring(text)
        var total = 0.0
        guard !rest.isEmpty else { throw invalid }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isNumber || $0 == "." }
            guard let value = Double(digits) else { throw invalid }
            rest = rest.dropFirst(digits.count)
            // Longest unit first: "ms" before "m".
            guard let unit = units.filter({ rest.hasPrefix($0.0) }).max(by: { $0.0.count < $1.0.count }) else {
                throw invalid
            }
            rest = rest.dropFirst(unit.0.count)
            total += value * unit.1
        }
        guard total >= 1, total < 1e18 else {
            throw BerthError.invalid("invalid value \"\(text)\" for flag --interval: duration interval must be greater than 0")
        }
        return UInt64(total)
    }

    static func sleep(nanoseconds: UInt64) {
        var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        var remaining = timespec()
        // Signals (SIGWINCH from a terminal) interrupt nanosleep: sleep the rest.
        while nanosleep(&request, &remaining) == -1 && errno == EINTR { request = remaining }
    }
}
