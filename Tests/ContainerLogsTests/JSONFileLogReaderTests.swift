import ContainerLogs
import LinuxSyscalls
import XCTest

final class JSONFileLogReaderTests: XCTestCase {
    var dir = ""
    var path: String { dir + "/c-json.log" }

    override func setUpWithError() throws { dir = try makeTemporaryDirectory() }
    override func tearDownWithError() throws { try Files.removeTree(dir) }

    private func writeNumbered(_ count: Int, maxSize: Int64? = 250, maxFiles: Int = 10) throws {
        let writer = try JSONFileLogWriter(path: path, maxSize: maxSize, maxFiles: maxFiles)
        for i in 0..<count { try writer.write(stream: i % 2 == 0 ? .stdout : .stderr, Array("n\(i)\n".utf8), time: at(Int64(i))) }
        try writer.close()
    }

    private func texts(_ entries: [LogEntry]) -> [String] { entries.map { String(decoding: $0.bytes, as: UTF8.self) } }

    func testTailAcrossRotatedFiles() throws {
        try writeNumbered(12)
        XCTAssertTrue(Files.exists(path + ".2"))  // several files
        let reader = JSONFileLogReader(path: path)
        XCTAssertEqual(texts(try reader.entries(tail: 5)), (7..<12).map { "n\($0)\n" })
        XCTAssertEqual(try reader.entries().count, 12)
        XCTAssertEqual(try reader.entries(tail: 0).count, 0)
        XCTAssertEqual(try reader.entries(tail: 100).count, 12)
        XCTAssertNil(try JSONFileLogReader.parseTail("all"))
        XCTAssertEqual(try JSONFileLogReader.parseTail("3"), 3)
        XCTAssertThrowsError(try JSONFileLogReader.parseTail("x"))
    }

    func testSinceAndUntil() throws {
        try writeNumbered(12)
        let reader = JSONFileLogReader(path: path)
        XCTAssertEqual(texts(try reader.entries(since: at(9))), ["n9\n", "n10\n", "n11\n"])
        XCTAssertEqual(texts(try reader.entries(since: at(3), until: at(5))), ["n3\n", "n4\n", "n5\n"])
        XCTAssertEqual(texts(try reader.entries(since: at(9), tail: 2)), ["n10\n", "n11\n"])
        let entry = try reader.entries(tail: 1)[0]
        XCTAssertEqual(entry.time, "2024-01-02T03:04:16Z")
        XCTAssertEqual(entry.seconds, t0.seconds + 11)
        XCTAssertEqual(entry.stream, .stderr)
    }

    func testTimeParsing() {
        XCTAssertEqual(LogTime.parseRFC3339("2024-01-02T03:04:05.123456789Z"), t0)
        XCTAssertEqual(LogTime.parseRFC3339("2024-01-02T04:04:05.123456789+01:00"), t0)
        XCTAssertEqual(LogTime.parseRFC3339("1970-01-01T00:00:00Z"), Timestamp(seconds: 0, nanoseconds: 0))
        XCTAssertEqual(LogTime.parseRFC3339("2024-01-02T03:04:05.5Z")?.nanoseconds, 500_000_000)
        XCTAssertNil(LogTime.parseRFC3339("2024-01-02 03:04:05"))
        XCTAssertEqual(LogTime.parseSince("1704164645.5"), Timestamp(seconds: 1_704_164_645, nanoseconds: 500_000_000))
        XCTAssertEqual(LogTime.parseSince("10m", now: at(600)), at(0))
        XCTAssertEqual(LogTime.parseSince("1h30m", now: at(5400)), at(0))
        XCTAssertEqual(LogTime.parseSince("2024-01-02T03:04:05"), Timestamp(seconds: t0.seconds, nanoseconds: 0))
        XCTAssertNil(LogTime.parseSince("soon"))
    }

    func testRendering() {
        let entry = LogEntry(stream: .stdout, time: "2024-01-02T03:04:05.12Z",
                             timestamp: Timestamp(seconds: t0.seconds, nanoseconds: 120_000_000), bytes: Array("hi\n".utf8))
        XCTAssertEqual(LogRenderer.render(entry, timestamps: false), Array("hi\n".utf8))
        XCTAssertEqual(String(decoding: LogRenderer.render(entry, timestamps: true), as: UTF8.self),
                       "2024-01-02T03:04:05.120000000Z hi\n")
    }

    func testSkipsATornLastLine() throws {
        try writeNumbered(2, maxSize: nil)
        let fd = try FileDescriptor.open(path, O_WRONLY | O_APPEND)
        try fd.writeAll("{\"log\":\"tor")
        XCTAssertEqual(try JSONFileLogReader(path: path).entries().count, 2)
    }

    /// Writes from inside `stopWhen` (called once per poll), so the test runs on one thread.
    func testFollowSeesAppendedLinesAndRotation() throws {
        let writer = try JSONFileLogWriter(path: path, maxSize: 400, maxFiles: 3)
        try writer.write(stream: .stdout, Array("before\n".utf8), time: at(0))
        let reader = JSONFileLogReader(path: path)
        var seen: [String] = []
        var polls = 0
        try reader.follow(pollInterval: 0.01, onEntry: { seen.append(String(decoding: $0.bytes, as: UTF8.self)) }, stopWhen: {
            polls += 1
            switch polls {
            case 2: try? writer.write(stream: .stdout, Array("a1\n".utf8), time: at(1))
            case 3: try? writer.write(stream: .stderr, Array("a2\npart".utf8), time: at(2))
            case 4:  // rotates once within this poll, with lines on both sides of the rotation
                for i in 0..<6 { try? writer.write(stream: .stdout, Array("r\(i) ................................\n".utf8), time: at(3)) }
            case 6: try? writer.write(stream: .stdout, Array("after\n".utf8), time: at(4))  // rotates again
            default: break
            }
            return seen.last == "after\n" || polls > 500
        })
        XCTAssertTrue(Files.exists(path + ".1"))
        XCTAssertEqual(seen, ["a1\n", "a2\n"] + (0..<6).map { "r\($0) ................................\n" } + ["after\n"])
        try writer.close()
    }

    func testFollowFromAPositionTakenBeforeARotation() throws {
        let writer = try JSONFileLogWriter(path: path, maxSize: 400, maxFiles: 3)
        try writer.write(stream: .stdout, Array("x0\n".utf8), time: at(0))
        let reader = JSONFileLogReader(path: path)
        let position = try reader.endPosition()
        for i in 1...4 { try writer.write(stream: .stdout, Array("x\(i) ..................................\n".utf8), time: at(Int64(i))) }
        XCTAssertTrue(Files.exists(path + ".1"))
        XCTAssertFalse(Files.exists(path + ".2"))
        var seen: [String] = []
        try reader.follow(from: position, pollInterval: 0.01, onEntry: { seen.append(String(decoding: $0.bytes, as: UTF8.self)) },
                          stopWhen: { true })
        XCTAssertEqual(seen.map { String($0.prefix(2)) }, ["x1", "x2", "x3", "x4"])
    }
}
