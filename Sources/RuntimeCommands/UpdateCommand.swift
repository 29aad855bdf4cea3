import ContainerRuntime
import Diagnostics
import LinuxSyscalls
import LiteJSON
import OCIRuntimeSpec

/// `update [options] ID`: new cgroup limits for a live container, from flags or from a
/// `linux.resources` JSON object (`-r FILE`, `-` for stdin; then the other flags are ignored,
/// as runc's are).
///
/// Kernel memory limits (`--kernel-memory`, `--kernel-memory-tcp`) are accepted and ignored
/// with a warning on v1 and v2 alike, as runc 1.1 does: kernels since 5.16 no longer enforce
/// them. Intel RDT schemas are refused: Berth has no resctrl support.
enum UpdateCommand: RuntimeCommand {
    static let name = "update"
    static let usage = "[options] <container-id>"
    static let abstract = "Update the resource limits of a running container."
    static let options: [OptionSpec] = [
        .value("resources", "r", help: "a linux.resources JSON file, '-' for stdin; other options are then ignored"),
        .value("blkio-weight", help: "per cgroup block IO weight, 10 to 1000"),
        .value("cpu-period", help: "CPU CFS period in microseconds (0: the system default)"),
        .value("cpu-quota", help: "CPU CFS quota in microseconds per period (-1: none)"),
        .value("cpu-share", "cpu-shares", help: "CPU shares (relative weight)"),
        .value("cpu-rt-period", help: "CPU realtime period in microseconds"),
        .value("cpu-rt-runtime", help: "CPU realtime runtime in microseconds per period"),
        .value("cpuset-cpus", help: "CPUs the container may use (0-3, 0,1)"),
        .value("cpuset-mems", help: "memory nodes the container may use"),
        .value("memory", help: "memory limit in bytes (64m, 1g; -1: unlimited)"),
        .value("memory-reservation", help: "memory soft limit in bytes"),
        .value("memory-swap", help: "memory plus swap limit in bytes (-1: unlimited swap)"),
        .value("kernel-memory", help: "ignored (kernel memory limits are deprecated)"),
        .value("kernel-memory-tcp", help: "ignored (kernel memory limits are deprecated)"),
        .value("pids-limit", help: "maximum number of pids (-1: unlimited)"),
        .value("l3-cache-schema", help: "Intel RDT L3 cache schema (not supported)"),
        .value("mem-bw-schema", help: "Intel RDT memory bandwidth schema (not supported)"),
    ]

    static func run(_ arguments: ParsedArguments, context: RuntimeContext) throws -> Int32 {
        let id = try arguments.requirePositionals(["<container-id>"], command: name)[0]
        try BerthError.wrap("update \(id)") {
            let (resources, warnings) = try self.resources(arguments, readInput: readInput)
            for warning in warnings { context.log.warning(warning) }
            try Container.load(id: id, options: context.options).update(resources)
        }
        return 0
    }

    /// The resources the flags (or the `-r` document) ask for; absent flags stay nil, so only
    /// what was given is written.
    /// - Parameter readInput: reads the `-r` path ("-" is stdin).
    /// - Returns: the resources and the warnings to log (ignored kernel memory).
    /// - Throws: `.invalidArgument` naming the flag whose value is malformed.
    static func resources(_ arguments: ParsedArguments,
                          readInput: (String) throws -> [UInt8]) throws -> (Resources, [String]) {
        if let path = arguments.value("resources") {
            let bytes = try readInput(path)
            do {
                return (try LiteJSONDecoder().decode(Resources.self, from: bytes), [])
            } catch {
                throw BerthError.invalid("decode resources from \(path == "-" ? "stdin" : path): \(error)")
            }
        }
        for flag in ["l3-cache-schema", "mem-bw-schema"] where arguments.value(flag) != nil {
            throw BerthError.invalid("--\(flag): intel rdt is not supported")
        }
        var warnings: [String] = []
        if arguments.value("kernel-memory") != nil || arguments.value("kernel-memory-tcp") != nil {
            warnings.append("kernel memory settings are ignored and will be removed")
        }
        var resources = Resources()
        var memory = MemoryResources()
        memory.limit = try arguments.value("memory").map { try memoryBytes($0, flag: "memory") }
        memory.reservation = try arguments.value("memory-reservation").map { try memoryBytes($0, flag: "memory-reservation") }
        memory.swap = try arguments.value("memory-swap").map { try memoryBytes($0, flag: "memory-swap") }
        if memory != MemoryResources() { resources.memory = memory }

        var cpu = CPUResources()
        cpu.shares = try number(arguments, "cpu-share")
        cpu.quota = try number(arguments, "cpu-quota")
        cpu.period = try number(arguments, "cpu-period")
        cpu.realtimeRuntime = try number(arguments, "cpu-rt-runtime")
        cpu.realtimePeriod = try number(arguments, "cpu-rt-period")
        cpu.cpus = arguments.value("cpuset-cpus")
        cpu.mems = arguments.value("cpuset-mems")
        if cpu != CPUResources() { resources.cpu = cpu }

        // 0 is runc's "unchanged" for both (its flags default to 0).
        if let limit: Int64 = try number(arguments, "pids-limit"), limit != 0 {
            resources.pids = PidsResources(limit: limit)
        }
        if let weight: UInt16 = try number(arguments, "blkio-weight"), weight != 0 {
            resources.blockIO = BlockIOResources(weight: weight)
        }
        return (resources, warnings)
    }

    /// The value of `flag` as an integer of type `T`, nil when the flag is absent.
    static func number<T: FixedWidthInteger>(_ arguments: ParsedArguments, _ flag: String) throws -> T? {
        guard let text = arguments.value(flag) else { return nil }
        guard let value = T(text) else { throw BerthError.invalid("invalid value \"\(text)\" for flag --\(flag)") }
        return value
    }

    /// A memory size: "-1" (unlimited) or a number of bytes with an optional binary unit,
    /// "512k", "64m", "1.5g", "2GiB" (docker's `units.RAMInBytes`, which runc uses).
    static func memoryBytes(_ text: String, flag: String) throws -> Int64 {
        if text == "-1" { return -1 }
        let invalid = BerthError.invalid("invalid value \"\(text)\" for flag --\(flag)")
        let lowered = text.lowercased()
        let digits = lowered.prefix { $0.isNumber || $0 == "." }
        var unit = lowered.dropFirst(digits.count).drop { $0 == " " }
        if unit.hasSuffix("b") { unit = unit.dropLast() }
        if unit.hasSuffix("i") && unit.count == 2 { unit = unit.dropLast() }
        let exponents: [Substring: Int] = ["": 0, "k": 1, "m": 2, "g": 3, "t": 4, "p": 5]
        guard let number = Double(digits), let exponent = exponents[unit] else { throw invalid }
        var bytes = number
        for _ in 0..<exponent { bytes *= 1024 }
        guard bytes < 9.2e18 else { throw invalid }
        return Int64(bytes)
    }

    /// The bytes of `path`, or of stdin for "-".
    static func readInput(_ path: String) throws -> [UInt8] {
        if path == "-" {
            let stdin = FileDescriptor(0)
            // Ours to read, not to close: the descriptor belongs to the caller.
            defer { _ = stdin.release() }
            return try stdin.readAll()
        }
        return try Files.read(path)
    }
}
