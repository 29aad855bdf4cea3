import Diagnostics
import EngineState
import Foundation
import LinuxSyscalls
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under /tmp, removed by `tearDown`.
class StoreTestCase: XCTestCase {
    var root = ""

    override func setUpWithError() throws {
        var template = Array("/tmp/berth-state-test.XXXXXX".utf8CString)
        root = String(cString: mkdtemp(&template)!)
    }

    override func tearDownWithError() throws {
        try Files.removeTree(root)
    }

    /// Runs `body(i)` for i in 0..<count, each on its own thread, all released at once.
    func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        let start = DispatchSemaphore(value: 0)
        for i in 0..<count {
            group.enter()
            let thread = Thread {
                start.wait()
                body(i)
                group.leave()
            }
            thread.start()
        }
        for _ in 0..<count { start.signal() }
        group.wait()
    }

    /// The pid of a child that has exited and been reaped: a pid no live process has (for now).
    func deadPid() throws -> Int32 {
        var pid: pid_t = 0
        let path = "/bin/true"
        var argv: [UnsafeMutablePointer<CChar>?] = [strdup(path), nil]
        defer { free(argv[0]) }
        XCTAssertEqual(posix_spawn(&pid, path, nil, nil, &argv, environ), 0)
        try Processes.wait(pid)
        return pid
    }

    func assertError(_ code: BerthError.Code, _ message: String, file: StaticString = #filePath, line: UInt = #line,
                     _ body: () throws -> some Any) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            guard let error = error as? BerthError else { return XCTFail("\(error)", file: file, line: line) }
            XCTAssertEqual(error.code, code, "\(error)", file: file, line: line)
            XCTAssertTrue(error.message.contains(message), "\(error)", file: file, line: line)
        }
    }
}

/// Results gathered from several threads.
final class Collector<T>: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var items: [T] = []

    func add(_ item: T) {
        lock.lock()
        items.append(item)
        lock.unlock()
    }
}
