import Glibc
import LinuxSyscalls
import XCTest

/// A fresh directory under /tmp, removed by `removeTree` in tearDown.
func makeTemporaryDirectory() throws -> String {
    var template = Array("/tmp/berth-logs-test-XXXXXX".utf8CString)
    guard let result = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
        throw XCTSkip("mkdtemp failed")
    }
    return String(cString: result)
}

func lines(_ path: String) throws -> [String] {
    try Files.readString(path).split(separator: "\n").map(String.init)
}

let t0 = Timestamp(seconds: 1_704_164_645, nanoseconds: 123_456_789)  // 2024-01-02T03:04:05.123456789Z

func at(_ seconds: Int64) -> Timestamp { Timestamp(seconds: t0.seconds + seconds, nanoseconds: 0) }
