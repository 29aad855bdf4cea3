import Diagnostics
import Foundation
import Hashing
import LinuxSyscalls
import XCTest

@testable import LayerArchive

/// A temporary directory with an empty `layer` to unpack into and an `outside` sibling holding
/// a file that no layer may touch. Removed by `cleanUp()`.
final class Sandbox {
    let base: String
    var layer: String { base + "/layer" }
    var outside: String { base + "/outside" }
    var secret: String { outside + "/secret" }

    init() throws {
        base = "/tmp/berth-layers-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try Files.makeDirectories(base + "/layer")
        try Files.makeDirectories(base + "/outside")
        try Files.create(secret, Array("secret\n".utf8))
    }

    func cleanUp() {
        // Undo anything immutable or read-only a test made, then remove everything.
        _ = try? runProgram("/bin/chmod", ["-R", "u+rwx", base])
        try? Files.removeTree(base)
    }

    /// Every path under `outside` with its kind, size, mode, mtime and content hash.
    func outsideSnapshot() throws -> [String] {
        try snapshot(outside)
    }

    func snapshot(_ directory: String) throws -> [String] {
        var lines: [String] = []
        for name in try Files.list(directory).sorted() {
            let path = directory + "/" + name
            var status = stat()
            guard lstat(path, &status) == 0 else { throw BerthError.system("lstat", path: path) }
            var line = "\(name) \(status.st_mode) \(status.st_size) \(status.st_nlink) \(status.st_mtim.tv_sec)"
            if status.st_mode & S_IFMT == S_IFREG { line += " " + SHA256Hasher.hex(SHA256Hasher.hash(try Files.read(path))) }
            lines.append(line)
            if status.st_mode & S_IFMT == S_IFDIR { lines += try snapshot(path).map { name + "/" + $0 } }
        }
        return lines
    }

    /// Unpacks `bytes` into `layer`.
    @discardableResult
    func unpack(_ bytes: [UInt8], rootless: Bool = !isRoot) throws -> UnpackResult {
        try LayerUnpacker(options: UnpackOptions(rootless: rootless))
            .unpack(BytesByteSource(bytes), compression: nil, into: layer)
    }
}

/// Writes ustar headers by hand, so tests can make any archive, hostile ones included.
struct RawTar {
    private(set) var bytes: [UInt8] = []

    enum Kind: UInt8 {
        case file = 48, hardLink = 49, symlink = 50, characterDevice = 51, blockDevice = 52, directory = 53, fifo = 54
        case paxHeader = 120
    }

    mutating func add(_ name: String, _ kind: Kind = .file, data: [UInt8] = [], link: String = "", mode: Int? = nil,
                      uid: Int = 0, gid: Int = 0, mtime: Int = 1_600_000_000, major: Int = 0, minor: Int = 0) {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, _ offset: Int, _ width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { header[offset + index] = byte }
        }
        func octal(_ value: Int, _ offset: Int, _ width: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: width - 1 - digits.count) + digits, offset, width - 1)
        }
        put(name, 0, 100)
        octal(mode ?? (kind == .directory ? 0o755 : 0o644), 100, 8)
        octal(uid, 108, 8)
        octal(gid, 116, 8)
        octal(data.count, 124, 12)
        octal(mtime, 136, 12)
        header[156] = kind.rawValue
        put(link, 157, 100)
        put("ustar", 257, 6)
        put("00", 263, 2)
        octal(major, 329, 8)
        octal(minor, 337, 8)
        for index in 148..<156 { header[index] = 32 }
        let sum = header.reduce(0) { $0 + Int($1) }
        let digits = String(sum, radix: 8)
        put(String(repeating: "0", count: 6 - digits.count) + digits, 148, 6)
        header[154] = 0
        bytes += header + data
        bytes += [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    /// A pax extended header for the next entry: "LEN key=value\n" records.
    mutating func pax(_ records: [(String, [UInt8])]) {
        var data: [UInt8] = []
        for (key, value) in records {
            let body = Array(" \(key)=".utf8) + value + [10]
            var length = body.count + 1
            while String(length).count + body.count != length { length += 1 }
            data += Array(String(length).utf8) + body
        }
        add("PaxHeaders/x", .paxHeader, data: data)
    }

    /// The archive with its two zero blocks.
    var archive: [UInt8] { bytes + [UInt8](repeating: 0, count: 1024) }
}

/// Runs a program and returns its standard output; fails the test on a non-zero exit.
@discardableResult
func runProgram(_ program: String, _ arguments: [String], input: [UInt8]? = nil) throws -> [UInt8] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    let inputPipe = Pipe()
    if input != nil { process.standardInput = inputPipe }
    try process.run()
    if let input {
        let writer = inputPipe.fileHandleForWriting
        DispatchQueue.global().async {
            writer.write(Data(input))
            try? writer.close()
        }
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw BerthError(.external, "\(program) \(arguments.joined(separator: " ")): exit \(process.terminationStatus)")
    }
    return [UInt8](data)
}

func lstatus(_ path: String) -> stat? {
    var status = stat()
    return lstat(path, &status) == 0 ? status : nil
}

func sha256Hex(_ bytes: [UInt8]) -> String { SHA256Hasher.hex(SHA256Hasher.hash(bytes)) }

/// Asserts `body` throws a BerthError whose message contains every one of `fragments`.
func assertThrows(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("no error; expected one with \(fragments)", file: file, line: line)
    } catch let error as BerthError {
        for fragment in fragments where !error.message.contains(fragment) {
            XCTFail("\"\(error.message)\" lacks \"\(fragment)\"", file: file, line: line)
        }
    } catch {
        XCTFail("not a BerthError: \(error)", file: file, line: line)
    }
}

var isRoot: Bool { geteuid() == 0 }

/// glibc's gnu_dev_major / gnu_dev_minor.
func major(_ device: dev_t) -> UInt32 { UInt32(truncatingIfNeeded: ((device >> 8) & 0xfff) | ((device >> 32) & ~0xfff)) }
func minor(_ device: dev_t) -> UInt32 { UInt32(truncatingIfNeeded: (device & 0xff) | ((device >> 12) & ~0xff)) }
