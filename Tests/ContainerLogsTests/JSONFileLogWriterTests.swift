import ContainerLogs
import LinuxSyscalls
import XCTest

final class JSONFileLogWriterTests: XCTestCase {
    var dir = ""
    var path: String { dir + "/c-json.log" }

    override func setUpWithError() throws { dir = try makeTemporaryDirectory() }
    override func tearDownWithError() throws { try Files.removeTree(dir) }

    func testRecordFormat() {
        let record = JSONFileLogWriter.record(stream: .stdout, Array("hi\n".utf8), time: t0)
        XCTAssertEqual(String(decoding: record, as: UTF8.self),
                       "{\"log\":\"hi\\n\",\"stream\":\"stdout\",\"time\":\"2024-01-02T03:04:05.123456789Z\"}\n")
        // Go's RFC3339Nano drops trailing zeros.
        XCTAssertEqual(LogTime.fileFormat(Timestamp(seconds: t0.seconds, nanoseconds: 120_000_000)), "2024-01-02T03:04:05.12Z")
        XCTAssertEqual(LogTime.fileFormat(Timestamp(seconds: t0.seconds, nanoseconds: 0)), "2024-01-02T03:04:05Z")
    }

    func testEscapingAsDocker() {
        func log(_ bytes: [UInt8]) -> String {
            let record = String(decoding: JSONFileLogWriter.record(stream: .stderr, bytes, time: t0), as: UTF8.self)
            return String(record.dropFirst(7).prefix { $0 != "," })
        }
        XCTAssertEqual(log(Array("a\"b\\c\n".utf8)), #""a\"b\\c\n""#)
        XCTAssertEqual(log(Array("\t\r\u{1}<>&".utf8)), #""\u0009\r\u0001\u003c\u003e\u0026""#)
        XCTAssertEqual(log(Array("é€😀".utf8)), "\"é€😀\"")
        XCTAssertEqual(log([0x61, 0xFF, 0xC3, 0x62, 0xE2, 0x82]), #""a\ufffd\ufffdb\ufffd\ufffd""#)
        XCTAssertEqual(log([0xED, 0xA0, 0x80]), #""\ufffd\ufffd\ufffd""#)  // a surrogate is invalid UTF-8
        XCTAssertEqual(log(Array("\u{2028}\u{2029}".utf8)), #""\u2028\u2029""#)
    }

    func testSplitsLinesAndHoldsPartials() throws {
        let writer = try JSONFileLogWriter(path: path, maxSize: nil)
        try writer.write(stream: .stdout, Array("one\ntw".utf8), time: at(1))
        try writer.write(stream: .stderr, Array("err\r\n".utf8), time: at(2))
        try writer.write(stream: .stdout, Array("o\nthree".utf8), time: at(3))
        XCTAssertEqual(try lines(path).count, 3)
        try writer.close()
        let entries = try JSONFileLogReader(path: path).entries()
        XCTAssertEqual(entries.map { String(decoding: $0.bytes, as: UTF8.self) }, ["one\n", "err\r\n", "two\n", "three"])
        XCTAssertEqual(entries.map(\.stream), [.stdout, .stderr, .stdout, .stdout])
        XCTAssertTrue(try lines(path)[1].hasPrefix(#"{"log":"err\r\n","stream":"stderr","time":""#))
    }

    func testLongLineIsWrittenInPartialsOf16KiB() throws {
        let writer = try JSONFileLogWriter(path: path, maxSize: nil)
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: 40_000)
        try writer.write(stream: .stdout, long, time: t0)
        XCTAssertEqual(try JSONFileLogReader(path: path).entries().map(\.bytes.count), [16384, 16384])
        try writer.write(stream: .stdout, Array("\n".utf8), time: t0)
        let entries = try JSONFileLogReader(path: path).entries()
        XCTAssertEqual(entries.map(\.bytes.count), [16384, 16384, 40_000 - 32768 + 1])
        XCTAssertEqual(entries.flatMap(\.bytes), long + [10])
    }

    func testRotationNamingAndLimits() throws {
        let writer = try JSONFileLogWriter(path: path, maxSize: 300, maxFiles: 3)
        for i in 0..<20 { try writer.write(stream: .stdout, Array("line \(i) ........................\n".utf8), time: at(Int64(i))) }
        try writer.close()
        XCTAssertTrue(Files.exists(path))
        XCTAssertTrue(Files.exists(path + ".1"))
        XCTAssertTrue(Files.exists(path + ".2"))
        XCTAssertFalse(Files.exists(path + ".3"))
        for file in [path, path + ".1", path + ".2"] {
            var st = stat()
            XCTAssertEqual(stat(file, &st), 0)
            XCTAssertLessThanOrEqual(st.st_size, 300, file)
            XCTAssertEqual(st.st_mode & 0o137, 0)  // 0640, less whatever the umask removes
        }
        let entries = try JSONFileLogReader(path: path).entries()
        let numbers = entries.map { String(decoding: $0.bytes, as: UTF8.self).split(separator: " ")[1] }
        XCTAssertEqual(numbers.last, "19")
        XCTAssertEqual(numbers, (20 - numbers.count..<20).map { Substring(String($0)) })  // oldest first, contiguous
    }

    func testMaxFileOneTruncates() throws {
        let writer = try JSONFileLogWriter(path: path, maxSize: 200, maxFiles: 1)
        for i in 0..<10 { try writer.write(stream: .stdout, Array("line \(i) ........................\n".utf8), time: at(Int64(i))) }
        XCTAssertFalse(Files.exists(path + ".1"))
        XCTAssertEqual(try JSONFileLogReader(path: path).entries().last?.bytes, Array("line 9 ........................\n".utf8))
    }

    func testAppendsToExistingFileAndCountsItsSize() throws {
        try JSONFileLogWriter(path: path, maxSize: nil).write(stream: .stdout, Array("a\n".utf8), time: t0)
        let size = try Files.read(path).count
        let writer = try JSONFileLogWriter(path: path, maxSize: Int64(size * 2 - 1), maxFiles: 2)
        try writer.write(stream: .stdout, Array("b\n".utf8), time: t0)
        XCTAssertTrue(Files.exists(path + ".1"))
        XCTAssertEqual(try JSONFileLogReader(path: path).entries().map(\.bytes), [Array("a\n".utf8), Array("b\n".utf8)])
    }
}

extension JSONFileLogWriterTests {
    func testFlushWritesPartialsAndCloseRefusesLaterWrites() throws {
        let writer = try JSONFileLogWriter(path: path, maxSize: nil)
        try writer.write(stream: .stdout, Array("no newline".utf8), time: t0)
        XCTAssertEqual(try Files.read(path).count, 0)
        try writer.flush()
        XCTAssertEqual(try lines(path), [#"{"log":"no newline","stream":"stdout","time":"2024-01-02T03:04:05.123456789Z"}"#])
        try writer.close()
        XCTAssertThrowsError(try writer.write(stream: .stdout, Array("x\n".utf8), time: t0))
    }
}
