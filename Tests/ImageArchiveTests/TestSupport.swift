import Diagnostics
import Foundation
import ImageSpec
import ImageStore
import XCTest

/// A directory under /tmp for one test, removed by `remove()`.
struct TestDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/berth-archive-test-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BerthError(.system, "mkdtemp failed") }
        path = String(cString: made)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    /// A fresh image store in `<dir>/<name>`.
    func store(_ name: String) throws -> ImageStore { try ImageStore(root: file(name)) }
}

/// Runs a program; returns its exit status, standard output and standard error (which goes
/// through a file, so neither stream can fill up and stall the program).
@discardableResult
func runProgram(_ program: String, _ arguments: [String]) throws -> RunResult {
    let errorPath = "/tmp/berth-archive-test-stderr-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: errorPath) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle(forWritingAtPath: errorPath)
    try process.run()
    let output = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let errors = (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? ""
    return RunResult(status: process.terminationStatus, bytes: Array(output), error: errors)
}

struct RunResult {
    var status: Int32
    var bytes: [UInt8]
    var error: String
    var output: String { String(decoding: bytes, as: UTF8.self) }
}

/// The path of `name` on PATH, if it is installed.
func which(_ name: String) -> String? {
    for dir in ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"] {
        if FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") { return "\(dir)/\(name)" }
    }
    return nil
}

func readBytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

func writeBytes(_ bytes: [UInt8], to path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

func jsonBytes(_ object: Any) throws -> [UInt8] {
    Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
}

func jsonObject(_ bytes: [UInt8]) throws -> Any { try JSONSerialization.jsonObject(with: Data(bytes)) }

/// The small root filesystem the round trips import: a directory, files, a symlink, a hard link.
func rootfsTar() -> [UInt8] {
    var tar = TestTar()
    tar.add("etc/", kind: .directory)
    tar.add("etc/hostname", text: "berth-test\n")
    tar.add("etc/os-release", text: "NAME=berth-test\n")
    tar.add("bin/", kind: .directory)
    tar.add("bin/hello", Array("#!/bin/sh\necho hello\n".utf8), mode: 0o755)
    tar.add("bin/hi", kind: .symlink, link: "hello")
    tar.add("bin/hello2", kind: .hardlink, link: "bin/hello")
    return tar.archive
}

/// Skips the test unless it runs as root: the store unpacks layers with their owners.
func requireRoot() throws {
    try XCTSkipUnless(getuid() == 0, "the image store unpacks layers with ownership and device nodes: needs root")
}

/// Everything under the store's tmp/: empty after any load, good or bad.
func temporaries(of store: ImageStore) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: store.tmpPath)
}

func blobs(of store: ImageStore) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: store.blobsPath)
}

/// The error message of `body`, failing the test when it does not throw.
func errorMessage(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> String {
    do {
        try body()
        XCTFail("expected an error", file: file, line: line)
        return ""
    } catch let error as BerthError {
        return error.message
    } catch {
        return "\(error)"
    }
}
