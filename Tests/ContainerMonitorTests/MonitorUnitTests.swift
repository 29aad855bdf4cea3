@testable import ContainerMonitor
import Diagnostics
import XCTest

/// The pure parts: the config's JSON, attach framing, restart decisions, detach keys.
final class MonitorUnitTests: XCTestCase {
    static let config = MonitorConfig(
        storeRoot: "/var/lib/berth", containerID: String(repeating: "ab", count: 32),
        containerDirectory: "/var/lib/berth/containers/" + String(repeating: "ab", count: 32),
        runtimePath: "/usr/bin/berth-runtime", runtimeRoot: "/run/berth/runtime", runtimeLogPath: "/run/berth/log.json",
        bundle: "/var/lib/berth/bundles/x", pidFile: "/run/berth/x.pid", tty: true, openStdin: false,
        logPath: "/var/lib/berth/containers/x/x-json.log", logMaxSize: 10 << 20, logMaxFiles: 3,
        restartPolicy: "on-failure:5", rootfsPath: "/var/lib/berth/bundles/x/rootfs", autoRemove: true,
        anonymousVolumes: ["0123", "4567"])

    func testConfigRoundTrip() throws {
        let bytes = try Self.config.encoded()
        XCTAssertEqual(try MonitorConfig.decode(bytes), Self.config)
        var unlimited = Self.config
        unlimited.logMaxSize = nil
        XCTAssertEqual(try MonitorConfig.decode(try unlimited.encoded()), unlimited)
        XCTAssertThrowsError(try MonitorConfig.decode(Array(#"{"storeRoot":1}"#.utf8))) { error in
            XCTAssertEqual((error as? BerthError)?.code, .invalidArgument)
        }
    }

    func testAttachFraming() throws {
        let messages: [AttachMessage] = [
            .stdin(Array("in".utf8)), .stdout(Array("out".utf8)), .stderr([]), .exit(137), .exit(-1),
            .closeStdin, .resize(rows: 30, cols: 100), .resize(rows: 0xffff, cols: 0x0102),
        ]
        for message in messages { XCTAssertEqual(try AttachMessage.decode(message.encoded()), message) }
        XCTAssertEqual(AttachMessage.exit(3).encoded(), [3, 0, 0, 0, 3])
        XCTAssertEqual(AttachMessage.resize(rows: 30, cols: 100).encoded(), [5, 0, 30, 0, 100])
        XCTAssertEqual(AttachMessage.stdout([65]).encoded(), [1, 65])
        XCTAssertEqual(AttachMessage.closeStdin.encoded(), [4])
        for bad: [UInt8] in [[], [9], [3, 0, 0], [5, 1], [4, 0]] {
            XCTAssertThrowsError(try AttachMessage.decode(bad), "\(bad)")
        }
        XCTAssertThrowsError(try AttachMessage.decode([1] + [UInt8](repeating: 0, count: AttachMessage.maxPayload + 1)))
        let chunks = AttachMessage.chunked([UInt8](repeating: 7, count: 70_000)[...], AttachMessage.stdout)
        XCTAssertEqual(chunks.count, 3)
        XCTAssertEqual(chunks.map { $0.encoded().count - 1 }, [32768, 32768, 70_000 - 65536])
    }

    func testRestartPolicyParsing() throws {
        XCTAssertEqual(try RestartDecision.Policy(parsing: "no"), .no)
        XCTAssertEqual(try RestartDecision.Policy(parsing: ""), .no)
        XCTAssertEqual(try RestartDecision.Policy(parsing: "always"), .always)
        XCTAssertEqual(try RestartDecision.Policy(parsing: "unless-stopped"), .unlessStopped)
        XCTAssertEqual(try RestartDecision.Policy(parsing: "on-failure"), .onFailure(maximumRetries: 0))
        XCTAssertEqual(try RestartDecision.Policy(parsing: "on-failure:3"), .onFailure(maximumRetries: 3))
        for bad in ["sometimes", "on-failure:", "on-failure:-1", "always:2"] {
            XCTAssertThrowsError(try RestartDecision.Policy(parsing: bad), bad)
        }
    }

    func testRestartDecision() {
        func next(_ policy: RestartDecision.Policy, exit: Int32 = 1, count: Int = 0, stopped: Bool = false,
                  ran: Duration = .seconds(1), previous: Duration? = nil) -> Duration? {
            RestartDecision.next(policy: policy, exitCode: exit, restartCount: count, manuallyStopped: stopped,
                                 ranFor: ran, previousDelay: previous)
        }
        XCTAssertNil(next(.no))
        XCTAssertEqual(next(.always, exit: 0), .milliseconds(100))
        XCTAssertEqual(next(.unlessStopped, exit: 0), .milliseconds(100))
        XCTAssertNil(next(.always, stopped: true))
        XCTAssertNil(next(.unlessStopped, stopped: true))
        XCTAssertNil(next(.onFailure(maximumRetries: 0), exit: 0))
        XCTAssertEqual(next(.onFailure(maximumRetries: 0), count: 100), .milliseconds(100))
        XCTAssertEqual(next(.onFailure(maximumRetries: 2), count: 1), .milliseconds(100))
        XCTAssertNil(next(.onFailure(maximumRetries: 2), count: 2))
        XCTAssertNil(next(.onFailure(maximumRetries: 2), count: 0, stopped: true))
        // Doubling, the cap, and the reset after a long run.
        XCTAssertEqual(next(.always, previous: .milliseconds(100)), .milliseconds(200))
        XCTAssertEqual(next(.always, previous: .milliseconds(400)), .milliseconds(800))
        XCTAssertEqual(next(.always, previous: .seconds(40)), .seconds(60))
        XCTAssertEqual(next(.always, previous: .seconds(60)), .seconds(60))
        XCTAssertEqual(next(.always, ran: .seconds(10), previous: .seconds(60)), .milliseconds(100))
        XCTAssertEqual(next(.always, ran: .milliseconds(9999), previous: .seconds(1)), .seconds(2))
    }

    func testDetachKeys() {
        var keys = DetachKeys()
        XCTAssertEqual(keys.feed(Array("ab".utf8)).forward, Array("ab".utf8))
        var result = keys.feed([0x10])
        XCTAssertEqual(result.forward, [])
        XCTAssertFalse(result.detach)
        result = keys.feed([0x41])
        XCTAssertEqual(result.forward, [0x10, 0x41])
        result = keys.feed([0x61, 0x10, 0x11, 0x62])
        XCTAssertEqual(result.forward, [0x61])
        XCTAssertTrue(result.detach)
        var split = DetachKeys()
        XCTAssertFalse(split.feed([0x10]).detach)
        XCTAssertTrue(split.feed([0x11]).detach)
        var repeated = DetachKeys()
        result = repeated.feed([0x10, 0x10, 0x11])
        XCTAssertEqual(result.forward, [0x10])
        XCTAssertTrue(result.detach)
    }

    func testSyncMessages() throws {
        let (a, b) = try LocalSocketPair.make()
        try SyncMessage.created(42).send(on: a)
        XCTAssertEqual(try SyncMessage.receive(on: b), SyncMessage(created: 42))
        try SyncMessage.failed("create x: boom").send(on: b)
        XCTAssertEqual(try SyncMessage.receive(on: a)?.error, "create x: boom")
        b.close()
        XCTAssertNil(try SyncMessage.receive(on: a))
    }
}
