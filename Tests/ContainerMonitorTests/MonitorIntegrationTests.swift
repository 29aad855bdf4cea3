import CBerthShim
@testable import ContainerMonitor
import Diagnostics
import EngineState
import LinuxSyscalls
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// berth-monitor driving the release berth-runtime on a busybox bundle, as the engine will.
/// Needs root, /bin/busybox, and `swift build -c release --scratch-path .build-monitor`
/// (products berth-runtime and berth-monitor); skipped otherwise.
final class MonitorIntegrationTests: XCTestCase {
    func testExitCodeLogAndAttach() throws {
        let fixture = try MonitorFixture(args: ["sh", "-c", "echo out; echo err >&2; exit 3"])
        defer { fixture.cleanUp() }
        let session = try fixture.launch()
        XCTAssertGreaterThan(session.containerPid, 0)
        XCTAssertEqual(try fixture.record().pid, session.containerPid)
        XCTAssertEqual(try fixture.record().monitorPid, session.monitorPid)
        let client = try AttachClient(containerDirectory: fixture.config.containerDirectory)
        try session.start()
        let seen = try MonitorFixture.collect(client)
        XCTAssertEqual(seen.stdout, "out\n")
        XCTAssertEqual(seen.stderr, "err\n")
        XCTAssertEqual(seen.exit, 3)
        XCTAssertEqual(try fixture.waitForMonitor(), 0)
        session.release()

        let log = try Files.readString(fixture.config.logPath)
        XCTAssertTrue(log.contains(#"{"log":"out\n","stream":"stdout","time":"#), log)
        XCTAssertTrue(log.contains(#"{"log":"err\n","stream":"stderr","time":"#), log)
        let record = try fixture.record()
        XCTAssertEqual(record.state, .exited)
        XCTAssertEqual(record.exitCode, 3)
        XCTAssertEqual(record.pid, 0)
        XCTAssertEqual(record.monitorPid, 0)
        XCTAssertNotNil(record.startedAt)
        XCTAssertNotNil(record.finishedAt)
        XCTAssertNil(record.error)
        // The runtime's container is deleted, and the socket is gone: attaching now fails.
        XCTAssertThrowsError(try fixture.runtime.state(id: fixture.id))
        XCTAssertThrowsError(try AttachClient(containerDirectory: fixture.config.containerDirectory)) { error in
            XCTAssertEqual((error as? BerthError)?.code, .invalidState)
            XCTAssertEqual("\(error)", "container is not running")
        }
    }

    func testInteractiveStdinAndCloseStdin() throws {
        let fixture = try MonitorFixture(args: ["cat"], openStdin: true)
        defer { fixture.cleanUp() }
        let session = try fixture.launch()
        let client = try AttachClient(containerDirectory: fixture.config.containerDirectory)
        let second = try AttachClient(containerDirectory: fixture.config.containerDirectory)
        try session.start()
        try client.send(.stdin(Array("hello\n".utf8)))
        try client.send(.stdin(Array("world\n".utf8)))
        try client.send(.closeStdin)
        let seen = try MonitorFixture.collect(client)
        XCTAssertEqual(seen.stdout, "hello\nworld\n")
        XCTAssertEqual(seen.exit, 0)
        let other = try MonitorFixture.collect(second)
        XCTAssertEqual(other.stdout, "hello\nworld\n")
        XCTAssertEqual(other.exit, 0)
        XCTAssertEqual(try fixture.waitForMonitor(), 0)
        XCTAssertEqual(try fixture.record().exitCode, 0)
    }

    func testLargeInputAndOutput() throws {
        let fixture = try MonitorFixture(args: ["cat"], openStdin: true)
        defer { fixture.cleanUp() }
        let session = try fixture.launch()
        let client = try AttachClient(containerDirectory: fixture.config.containerDirectory)
        try session.start()
        var line = Array("0123456789abcdef".utf8)
        line += line + line + line + [UInt8(ascii: "\n")]  // 65 bytes
        let chunk = [UInt8]((0..<500).flatMap { _ in line })  // 32,500 bytes
        for _ in 0..<16 { try client.send(.stdin(chunk)) }
        try client.send(.closeStdin)
        let seen = try MonitorFixture.collect(client)
        XCTAssertEqual(seen.stdout.utf8.count, 16 * chunk.count)
        XCTAssertEqual(seen.exit, 0)
        XCTAssertEqual(try fixture.waitForMonitor(), 0)
        let lines = try Files.readString(fixture.config.logPath).split(separator: "\n")
        XCTAssertEqual(lines.count, 16 * 500)
    }

    func testTerminalAndResize() throws {
        let fixture = try MonitorFixture(args: ["sh", "-c", "stty size; tty"], tty: true)
        defer { fixture.cleanUp() }
        let session = try fixture.launch()
        let client = try AttachClient(containerDirectory: fixture.config.containerDirectory)
        try client.sendResize(rows: 30, cols: 100)
        try session.start()
        let seen = try MonitorFixture.collect(client)
        XCTAssertTrue(seen.stdout.contains("30 100"), seen.stdout)
        XCTAssertTrue(seen.stdout.contains("/dev/pts/0"), seen.stdout)
        XCTAssertEqual(seen.stderr, "")
        XCTAssertEqual(seen.exit, 0)
        XCTAssertEqual(try fixture.waitForMonitor(), 0)
        XCTAssertTrue(try Files.readString(fixture.config.logPath).contains("30 100"))
    }

    func testRestartOnFailure() throws {
        let fixture = try MonitorFixture(args: ["sh", "-c", "echo run; exit 1"], restart: "on-failure:2")
        defer { fixture.cleanUp() }
        let session = try fixture.launch()
        try session.start()
        XCTAssertEqual(try fixture.waitForMonitor(), 0)
        let record = try fixture.record()
        XCTAssertEqual(record.restartCount, 2)
        XCTAssertEqual(record.state, .exited)
        XCTAssertEqual(record.exitCode, 1)
        XCTAssertEqual(record.monitorPid, 0)
        let runs = try Files.readString(fixture.config.logPath).split(separator: "\n").filter { $0.contains(#""log":"run\n""#) }
        XCTAssertEqual(runs.count, 3)
    }

    func testBadExecutable() throws {
        let fixture = try MonitorFixture(args: ["nosuch"])
        defer { fixture.cleanUp() }
        XCTAssertThrowsError(try fixture.launch()) { error in
            XCTAssertTrue("\(error)".contains("nosuch"), "\(error)")
            XCTAssertTrue("\(error)".hasPrefix("create \(fixture.id): "), "\(error)")
            print("launch error: \(error)")
        }
        XCTAssertThrowsError(try fixture.runtime.state(id: fixture.id))
        let record = try fixture.record()
        XCTAssertEqual(record.state, .created)
        XCTAssertEqual(record.monitorPid, 0)
        XCTAssertTrue(record.error?.contains("nosuch") ?? false, "\(String(describing: record.error))")
    }

    func testSIGTERMStopsForGood() throws {
        let fixture = try MonitorFixture(args: ["sleep", "100"], restart: "always")
        defer { fixture.cleanUp() }
        let session = try fixture.launch()
        try session.start()
        XCTAssertEqual(try fixture.record().state, .running)
        usleep(200_000)  // the monitor trims its resident set once the container runs
        let rss = MonitorFixture.residentKilobytes(session.monitorPid)
        print("berth-monitor VmRSS: \(rss.map { "\($0) kB" } ?? "unknown") (pid \(session.monitorPid))")
        XCTAssertNotNil(rss)
        kill(session.monitorPid, SIGTERM)
        XCTAssertEqual(try fixture.waitForMonitor(), 0)
        XCTAssertNotEqual(kill(session.containerPid, 0), 0, "the container's init still runs")
        let record = try fixture.record()
        XCTAssertEqual(record.state, .exited)
        XCTAssertEqual(record.exitCode, 137)
        XCTAssertEqual(record.restartCount, 0)
        XCTAssertEqual(record.monitorPid, 0)
        XCTAssertNotEqual(kill(session.monitorPid, 0), 0)
    }

    func testAutoRemove() throws {
        let fixture = try MonitorFixture(args: ["true"])
        defer { fixture.cleanUp() }
        let volumes = try VolumeStore(root: fixture.store.root)
        let volume = try volumes.create()
        fixture.config.autoRemove = true
        fixture.config.anonymousVolumes = [volume.name]
        let session = try fixture.launch()
        try session.start()
        XCTAssertEqual(try fixture.waitForMonitor(), 0)
        XCTAssertThrowsError(try fixture.record()) { XCTAssertEqual(($0 as? BerthError)?.code, .notFound) }
        XCTAssertFalse(Files.exists(fixture.config.containerDirectory))
        XCTAssertThrowsError(try volumes.inspect(volume.name))
    }
}

/// The CLI-side relays, on their output-only paths (the test's own fd 1 gets the output).
final class RelayTests: XCTestCase {
    func testAttachRelayReturnsExitCode() throws {
        let fixture = try MonitorFixture(args: ["sh", "-c", "echo relayed; exit 5"])
        defer { fixture.cleanUp() }
        let session = try fixture.launch()
        let client = try AttachClient(containerDirectory: fixture.config.containerDirectory)
        try session.start()
        XCTAssertEqual(try client.relay(stdin: false, tty: false), .exited(5))
        XCTAssertEqual(try fixture.waitForMonitor(), 0)
    }

    func testTerminalRelayEndsWhenTheSlaveHangsUp() throws {
        let (master, slave) = try Self.openPTY()
        try slave.writeAll("from the slave\n")
        slave.close()
        XCTAssertEqual(try TerminalRelay.relay(master: master, stdin: false), .disconnected)
    }

    func testTerminalRelayStopsWhenDone() throws {
        let (master, slave) = try Self.openPTY()
        var polls = 0
        XCTAssertEqual(try TerminalRelay.relay(master: master, stdin: false) { polls += 1; return polls > 2 }, .disconnected)
        slave.close()
    }

    /// A new pty pair from /dev/ptmx (posix_openpt and ptsname are hidden from Swift's Glibc).
    static func openPTY() throws -> (master: FileDescriptor, slave: FileDescriptor) {
        let master = try FileDescriptor.open("/dev/ptmx", O_RDWR | O_NOCTTY)
        try syscall("unlockpt") { bt_ioctl_unlock_pt(master.rawValue) }
        var number: UInt32 = 0
        try syscall("TIOCGPTN") { bt_ioctl_get_ptn(master.rawValue, &number) }
        return (master, try FileDescriptor.open("/dev/pts/\(number)", O_RDWR | O_NOCTTY))
    }
}
