import Diagnostics
import LinuxSyscalls
import RuntimeClient
import XCTest

final class RuntimeErrorTests: XCTestCase {
    func testCreateErrorComesFromTheLastJSONErrorLine() throws {
        let fake = try FakeRuntime(name: "runc")
        let log = fake.directory + "/log.json"
        // An earlier call's error must not be reported again.
        try Files.create(log, Array(#"{"level":"error","msg":"old failure","time":"t"}"#.utf8 + [10]))
        try fake.set("fail", #"""
        {"level":"warning","msg":"something odd","time":"t"}
        {"level":"error","msg":"runc create failed: Unable to start container process: exec: \"/x\": stat /x: no such file or directory","time":"t"}
        {"level":"info","msg":"bye","time":"t"}

        """#)
        let runtime = OCIRuntime(path: fake.path, root: "/r", logPath: log)
        XCTAssertThrowsError(try runtime.create(id: "web", bundle: "/b", pidFile: "/p")) { error in
            let error = error as! BerthError
            XCTAssertEqual(error.message,
                           #"create web: unable to start container process: exec: "/x": stat /x: no such file or directory"#)
            XCTAssertEqual(error.code, .external)
        }
    }

    func testNoNewErrorLineMeansExitStatus() throws {
        let fake = try FakeRuntime(name: "crun")
        let log = fake.directory + "/log.json"
        try Files.create(log, Array(#"{"level":"error","msg":"old failure"}"#.utf8 + [10]))
        try fake.set("status", "3")
        let runtime = OCIRuntime(path: fake.path, root: "/r", logPath: log)
        XCTAssertThrowsError(try runtime.create(id: "db", bundle: "/b", pidFile: "/p")) { error in
            XCTAssertEqual((error as! BerthError).message, "create db: crun exited with status 3")
        }
    }

    func testStderrIsTheFallbackWithoutALog() throws {
        let fake = try FakeRuntime(name: "berth-runtime")
        try fake.set("fail", "some noise\nContainer web does not exist\n")
        XCTAssertThrowsError(try OCIRuntime(path: fake.path, root: "/r").state(id: "web")) { error in
            let error = error as! BerthError
            XCTAssertEqual(error.message, "state web: container web does not exist")
            XCTAssertEqual(error.code, .notFound)
        }
        // runc without --log: logrus text on stderr.
        try fake.set("fail", #"time="2026-12-06T05:00:00Z" level=error msg="cannot start an already running container""# + "\n")
        XCTAssertThrowsError(try OCIRuntime(path: fake.path, root: "/r").start(id: "web")) { error in
            let error = error as! BerthError
            XCTAssertEqual(error.message, "start web: cannot start an already running container")
            XCTAssertEqual(error.code, .invalidState)
        }
        // JSON on stderr.
        try fake.set("fail", #"{"level":"error","msg":"container \"web\" already exists"}"# + "\n")
        XCTAssertThrowsError(try OCIRuntime(path: fake.path, root: "/r").kill(id: "web", signal: 9)) { error in
            let error = error as! BerthError
            XCTAssertEqual(error.message, #"kill web: container "web" already exists"#)
            XCTAssertEqual(error.code, .alreadyExists)
        }
    }

    func testExecWithoutDetachReturnsTheProcessStatus() throws {
        let fake = try FakeRuntime()
        let log = fake.directory + "/log.json"
        let runtime = OCIRuntime(path: fake.path, root: "/r", logPath: log)
        try fake.set("status", "7")
        XCTAssertEqual(try runtime.exec(id: "web", processJSONPath: "/p.json", detach: false), 7)
        XCTAssertThrowsError(try runtime.exec(id: "web", processJSONPath: "/p.json")) { error in
            XCTAssertEqual("\(error)", "exec web: runc exited with status 7")
        }
        try fake.set("fail", #"{"level":"error","msg":"runc exec failed: container not running"}"# + "\n")
        XCTAssertThrowsError(try runtime.exec(id: "web", processJSONPath: "/p.json", detach: false)) { error in
            XCTAssertEqual("\(error)", "exec web: container not running")
        }
    }

    func testMissingBinary() throws {
        XCTAssertThrowsError(try OCIRuntime(path: "/nonexistent/runc", root: "/r").start(id: "a")) { error in
            XCTAssertEqual("\(error)", "run /nonexistent/runc: no such file or directory")
        }
    }
}
