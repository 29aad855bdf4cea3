import ArgumentParser
import ContainerEngine
import Diagnostics
import EngineState
import LinuxSyscalls
import LiteJSON

#if canImport(Glibc)
import Glibc
#endif

/// `berth stats [--no-stream] [CONTAINER...]`: docker's live resource table (running containers).
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Display a live stream of container(s) resource usage statistics.")

    @OptionGroup var global: GlobalOptions
    @Flag(name: .shortAndLong, help: "Show all containers (default shows just running).") var all = false
    @Flag(name: .customLong("no-stream"), help: "Disable streaming stats and only pull the first result.") var noStream = false
    @Flag(name: .customLong("no-trunc"), help: "Do not truncate output.") var noTrunc = false
    @Option(help: "Format output: table or json.") var format: String?
    @Argument(help: "CONTAINER") var containers: [String] = []

    struct Sample {
        var cpu: UInt64
        var time: Int64
    }

    func run() throws {
        let engine = try global.engine()
        var previous: [String: Sample] = [:]
        let interactive = isatty(1) == 1 && !noStream
        while true {
            let records = try selected(engine)
            // The first CPU figure needs two samples: take the first one a moment before.
            if previous.isEmpty {
                for record in records where record.state == .running { previous[record.id] = sample(engine, record.id).0 }
                usleep(500_000)
            }
            var table = Table(["CONTAINER ID", "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "NET I/O", "BLOCK I/O", "PIDS"])
            var lines: [String] = []
            for record in records {
                let (now, data) = record.state == .running ? sample(engine, record.id) : (nil, nil)
                let row = Self.row(record, data: data, now: now, before: previous[record.id], truncate: !noTrunc)
                if let now { previous[record.id] = now }
                table.add(row.map { $0.1 })
                lines.append(String(decoding: JSONValue.object(row.map { ($0.0, .string($0.1)) }).serialized(), as: UTF8.self))
            }
            if interactive { FileOutput.standardOutput.write("\u{1B}[2J\u{1B}[H") }
            if format == "json" { lines.forEach(emit) } else { FileOutput.standardOutput.write(table.render()) }
            if noStream { return }
            usleep(1_000_000)
        }
    }

    func selected(_ engine: Engine) throws -> [ContainerRecord] {
        if !containers.isEmpty { return try containers.map { try engine.container($0) } }
        return try engine.allContainers().filter { all || $0.state == .running }
    }

    func sample(_ engine: Engine, _ id: String) -> (Sample?, JSONValue?) {
        guard let data = try? engine.statistics(id) else { return (nil, nil) }
        let cpu = data["cpu"]?["usage"]?["total"]?.uint64 ?? 0
        return (Sample(cpu: cpu, time: Self.monotonicNanoseconds()), data)
    }

    static func monotonicNanoseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec)
    }

    /// docker's columns (with its JSON keys) for one container.
    static func row(_ record: ContainerRecord, data: JSONValue?, now: Sample?, before: Sample?, truncate: Bool) -> [(String, String)] {
        var cpu = "0.00%", memUsage = "0B / 0B", memPercent = "0.00%", block = "0B / 0B", pids = "0"
        if let data {
            if let now, let before, now.time > before.time, now.cpu >= before.cpu {
                cpu = String(format2: Double(now.cpu - before.cpu) / Double(now.time - before.time) * 100) + "%"
            }
            let memory = data["memory"]
            let raw = memory?["raw"]
            let inactive = raw?["total_inactive_file"]?.uint64 ?? raw?["inactive_file"]?.uint64 ?? 0
            let usage = (memory?["usage"]?["usage"]?.uint64 ?? 0).subtractingClamped(inactive)
            var limit = memory?["usage"]?["limit"]?.uint64 ?? 0
            let host = hostMemory()
            if limit == 0 || limit > host { limit = host }
            memUsage = "\(binarySize(usage)) / \(binarySize(limit))"
            if limit > 0 { memPercent = String(format2: Double(usage) / Double(limit) * 100) + "%" }
            var read: UInt64 = 0, write: UInt64 = 0
            if case .array(let entries)? = data["blkio"]?["ioServiceBytesRecursive"] {
                for entry in entries {
                    let value = entry["value"]?.uint64 ?? 0
                    switch entry["op"]?.stringValue?.lowercased() {
                    case "read": read += value
                    case "write": write += value
                    default: break
                    }
                }
            }
            block = "\(HumanUnits.size(Int64(read))) / \(HumanUnits.size(Int64(write)))"
            pids = String(data["pids"]?["current"]?.uint64 ?? 0)
        }
        return [("ID", truncate ? String(record.id.prefix(12)) : record.id), ("Name", record.name), ("CPUPerc", cpu),
                ("MemUsage", memUsage), ("MemPerc", memPercent), ("NetIO", "0B / 0B"), ("BlockIO", block), ("PIDs", pids)]
    }

    /// MemTotal of /proc/meminfo, bytes.
    static func hostMemory() -> UInt64 {
        guard let text = try? Files.readString("/proc/meminfo") else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let number = line.split(separator: " ").dropFirst().first.flatMap { UInt64($0) } ?? 0
            return number * 1024
        }
        return 0
    }

    /// go-units BytesSize: "%.4g" with binary units ("1.5MiB").
    static func binarySize(_ bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return HumanUnits.significant(value, 4) + units[unit]
    }
}

extension UInt64 {
    func subtractingClamped(_ other: UInt64) -> UInt64 { self > other ? self - other : 0 }
}

extension String {
    /// `%.2f`.
    init(format2 value: Double) {
        let hundredths = Int64((value * 100).rounded())
        let fraction = abs(hundredths % 100)
        self = "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

extension JSONValue {
    var uint64: UInt64? {
        if case .number(let text) = self { return UInt64(text) ?? Double(text).map { UInt64(max(0, $0)) } }
        return nil
    }
}
