import Diagnostics
import OCIRuntimeSpec
import Testing

@testable import RuntimeCommands

@Suite struct UpdateFlagsTests {
    func resources(_ words: [String], input: String = "") throws -> (Resources, [String]) {
        let parsed = try ParsedArguments(words[...], options: UpdateCommand.options)
        return try UpdateCommand.resources(parsed, readInput: { _ in Array(input.utf8) })
    }

    @Test func flagsBecomeOnlyTheGivenResources() throws {
        let (resources, warnings) = try self.resources([
            "--memory", "64m", "--memory-swap=-1", "--memory-reservation", "1024", "--cpu-share", "512",
            "--cpu-quota", "-1", "--cpu-period", "100000", "--cpuset-cpus", "0-1", "--pids-limit", "42",
            "--blkio-weight", "300", "c1",
        ])
        #expect(resources.memory == MemoryResources(limit: 67_108_864, reservation: 1024, swap: -1))
        #expect(resources.cpu == CPUResources(shares: 512, quota: -1, period: 100_000, cpus: "0-1"))
        #expect(resources.pids == PidsResources(limit: 42))
        #expect(resources.blockIO == BlockIOResources(weight: 300))
        #expect(resources.devices == nil)
        #expect(warnings.isEmpty)
    }

    @Test func noFlagsChangeNothing() throws {
        let (resources, _) = try self.resources(["c1"])
        #expect(resources == Resources())
    }

    @Test func zeroPidsAndWeightMeanUnchanged() throws {
        let (resources, _) = try self.resources(["--pids-limit", "0", "--blkio-weight", "0", "--cpu-shares", "2", "c1"])
        #expect(resources.pids == nil && resources.blockIO == nil)
        #expect(resources.cpu?.shares == 2)
    }

    @Test func kernelMemoryIsIgnoredWithAWarning() throws {
        let (resources, warnings) = try self.resources(["--kernel-memory", "1g", "c1"])
        #expect(resources.memory == nil)
        #expect(warnings == ["kernel memory settings are ignored and will be removed"])
    }

    @Test(arguments: [
        ("-1", -1), ("1024", 1024), ("512k", 524_288), ("64m", 67_108_864), ("1.5g", 1_610_612_736),
        ("2GiB", 2_147_483_648), ("100 MB", 104_857_600), ("3b", 3),
    ] as [(String, Int64)])
    func memorySizes(_ text: String, _ bytes: Int64) throws {
        #expect(try UpdateCommand.memoryBytes(text, flag: "memory") == bytes)
    }

    @Test(arguments: ["", "lots", "12x", "-2", "1e3"])
    func malformedMemoryIsRefused(_ text: String) {
        #expect(throws: BerthError.self) { try UpdateCommand.memoryBytes(text, flag: "memory") }
    }

    @Test func malformedNumbersNameTheFlag() {
        #expect(throws: BerthError.invalid("invalid value \"x\" for flag --pids-limit")) {
            try self.resources(["--pids-limit", "x", "c1"])
        }
    }

    @Test func resourcesDocumentWinsOverFlags() throws {
        let (resources, _) = try self.resources(["-r", "-", "--pids-limit", "5", "c1"],
                                                input: #"{"memory": {"limit": 1048576}, "pids": {"limit": 9}}"#)
        #expect(resources.memory?.limit == 1_048_576)
        #expect(resources.pids == PidsResources(limit: 9))
    }

    @Test func malformedDocumentIsAnError() {
        #expect(throws: BerthError.self) { try self.resources(["-r", "f.json", "c1"], input: "{\"pids\":") }
    }

    @Test func intelRdtIsRefused() {
        #expect(throws: BerthError.self) { try self.resources(["--l3-cache-schema", "L3:0=f", "c1"]) }
    }
}

@Suite struct EventsAndPsTests {
    @Test(arguments: [
        ("5s", 5_000_000_000), ("100ms", 100_000_000), ("1m30s", 90_000_000_000), ("1.5h", 5_400_000_000_000),
        ("250us", 250_000), ("7ns", 7),
    ] as [(String, UInt64)])
    func durations(_ text: String, _ nanoseconds: UInt64) throws {
        #expect(try EventsCommand.duration(text) == nanoseconds)
    }

    @Test(arguments: ["", "5", "0s", "s", "5x", "-1s"])
    func badDurations(_ text: String) {
        #expect(throws: BerthError.self) { try EventsCommand.duration(text) }
    }

    @Test func psTableKeepsTheHeaderAndTheContainersLines() throws {
        let output = """
            UID        PID  PPID  C STIME TTY          TIME CMD
            root         1     0  0 10:00 ?        00:00:01 /sbin/init
            root       648     1  0 10:01 ?        00:00:00 sleep 100
            root      1332   648  0 10:01 ?        00:00:00 sleep 100

            """
        let table = try PsCommand.table(psOutput: output, pids: [648, 1332])
        #expect(table == """
            UID        PID  PPID  C STIME TTY          TIME CMD
            root       648     1  0 10:01 ?        00:00:00 sleep 100
            root      1332   648  0 10:01 ?        00:00:00 sleep 100

            """)
    }

    @Test func psTableNeedsAPIDColumn() {
        #expect(throws: BerthError.self) { try PsCommand.table(psOutput: "COMMAND\nsleep\n", pids: [1]) }
    }
}
