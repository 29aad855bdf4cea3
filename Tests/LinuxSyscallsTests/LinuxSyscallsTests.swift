import Diagnostics
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import LinuxSyscalls

@Suite struct TimestampTests {
    @Test(arguments: [
        (0, 0, "1970-01-01T00:00:00Z"),
        (0, 120_000_000, "1970-01-01T00:00:00.12Z"),
        (951_782_400, 5, "2000-02-29T00:00:00.000000005Z"),
        (1_795_955_268, 123_456_789, "2026-11-29T12:27:48.123456789Z"),
        (-1, 0, "1969-12-31T23:59:59Z"),
    ] as [(Int64, Int64, String)])
    func rfc3339(_ seconds: Int64, _ nanos: Int64, _ expected: String) {
        #expect(Timestamp(seconds: seconds, nanoseconds: nanos).rfc3339() == expected)
    }

    @Test func withoutFraction() {
        #expect(Timestamp(seconds: 0, nanoseconds: 9).rfc3339(fraction: false) == "1970-01-01T00:00:00Z")
        #expect(Timestamp(seconds: 0, nanoseconds: 120_000_000).rfc3339(fixed: true) == "1970-01-01T00:00:00.120000000Z")
    }
}

@Suite struct FilesTests {
    @Test(arguments: [("/a/./b/../c", "/a/c"), ("/../..", "/"), ("a//b/", "a/b"), ("/", "/"), ("..", ".")])
    func normalize(_ input: String, _ expected: String) {
        #expect(Files.normalize(input) == expected)
    }

    @Test func atomicWriteAndRead() throws {
        let dir = "/tmp/berth-unit-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try Files.makeDirectories(dir + "/x/y")
        defer { try? Files.removeTree(dir) }
        try Files.writeAtomically(dir + "/x/f", Array("one".utf8))
        try Files.writeAtomically(dir + "/x/f", Array("two".utf8))
        #expect(try Files.readString(dir + "/x/f") == "two")
        #expect(try Files.list(dir + "/x").sorted() == ["f", "y"])
        #expect(throws: BerthError.self) { try Files.create(dir + "/x/f", [1]) }
    }

    @Test func errorsNameTheOperationAndPath() {
        #expect(throws: BerthError(.notFound, "open /nonexistent/berth: no such file or directory", errno: ENOENT)) {
            try Files.read("/nonexistent/berth")
        }
    }
}

@Suite struct ProcessesTests {
    @Test func ownStartTime() {
        let start = Processes.startTime(getpid())
        #expect(start != nil)
        #expect(Processes.isAlive(getpid(), startTime: start!))
        #expect(!Processes.isAlive(getpid(), startTime: start! + 1))
    }

    @Test(arguments: [(0, 0), (3 << 8, 3), (9, 137), (15, 143)] as [(Int32, Int32)])
    func exitCodes(_ status: Int32, _ code: Int32) {
        #expect(Processes.exitCode(fromWaitStatus: status) == code)
    }
}
