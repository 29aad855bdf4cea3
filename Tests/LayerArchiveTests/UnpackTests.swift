import Diagnostics
import Foundation
import ImageSpec
import LinuxSyscalls
import XCTest

@testable import LayerArchive

final class UnpackTests: XCTestCase {
    var sandbox: Sandbox!

    override func setUpWithError() throws { sandbox = try Sandbox() }
    override func tearDown() { sandbox.cleanUp() }

    /// A small tree: directories, files, a symlink, a hard link, a name with "./" in front.
    func sampleLayer() -> [UInt8] {
        var tar = RawTar()
        tar.add("./", .directory, mode: 0o755)
        tar.add("./etc/", .directory, mode: 0o750, mtime: 1_500_000_000)
        tar.add("./etc/hostname", data: Array("box\n".utf8), mode: 0o640, mtime: 1_400_000_000)
        tar.add("bin/", .directory, mode: 0o755)
        tar.add("bin/tool", data: Array("#!/bin/sh\n".utf8), mode: 0o4755)
        tar.add("bin/alias", .hardLink, link: "bin/tool")
        tar.add("bin/sh", .symlink, link: "/bin/tool")
        tar.add("/usr/lib/deep/file", data: [1, 2, 3])
        return tar.archive
    }

    func testUnpacksFilesDirectoriesAndLinks() throws {
        let result = try sandbox.unpack(sampleLayer())
        let layer = sandbox.layer
        XCTAssertEqual(try Files.readString(layer + "/etc/hostname"), "box\n")
        XCTAssertEqual(try Files.readLink(layer + "/bin/sh"), "/bin/tool")
        XCTAssertEqual(try Files.read(layer + "/usr/lib/deep/file"), [1, 2, 3])
        XCTAssertEqual(result.entryCount, 8)
        XCTAssertEqual(result.size, 4 + 10 + 3 + 9)
        let tool = try XCTUnwrap(lstatus(layer + "/bin/tool"))
        let alias = try XCTUnwrap(lstatus(layer + "/bin/alias"))
        XCTAssertEqual(tool.st_ino, alias.st_ino, "a hard link shares the inode")
        XCTAssertEqual(tool.st_nlink, 2)
        XCTAssertEqual(tool.st_mode & 0o7777, 0o4755, "set-user-id survives (chmod after chown)")
        // Missing parents are made 0755, as docker does.
        XCTAssertEqual(try XCTUnwrap(lstatus(layer + "/usr/lib")).st_mode & 0o7777, 0o755)
    }

    func testModesAndTimes() throws {
        try sandbox.unpack(sampleLayer())
        let hostname = try XCTUnwrap(lstatus(sandbox.layer + "/etc/hostname"))
        XCTAssertEqual(hostname.st_mode & 0o7777, 0o640)
        XCTAssertEqual(hostname.st_mtim.tv_sec, 1_400_000_000)
        // A directory's mtime is set after its children are made.
        let etc = try XCTUnwrap(lstatus(sandbox.layer + "/etc"))
        XCTAssertEqual(etc.st_mode & 0o7777, 0o750)
        XCTAssertEqual(etc.st_mtim.tv_sec, 1_500_000_000)
        XCTAssertEqual(try XCTUnwrap(lstatus(sandbox.layer + "/bin/sh")).st_mtim.tv_sec, 1_600_000_000, "symlink mtime, not its target's")
    }

    func testDiffIDIsTheSHA256OfTheUncompressedTar() throws {
        let tar = sampleLayer() + [UInt8](repeating: 0, count: 8192)  // trailing padding is covered too
        let expected = String(decoding: try runProgram("/usr/bin/sha256sum", [], input: tar).prefix(64), as: UTF8.self)
        let result = try sandbox.unpack(tar)
        XCTAssertEqual(result.diffID, Digest(sha256Hex: expected))
    }

    func testGzipAndZstdLayers() throws {
        let tar = sampleLayer()
        let expected = Digest(sha256Hex: sha256Hex(tar))
        for (program, arguments) in [("/usr/bin/gzip", ["-c"]), ("/usr/bin/zstd", ["-c", "-q"])] {
            let compressed = try runProgram(program, arguments, input: tar)
            XCTAssertNotEqual(compressed.prefix(4), tar.prefix(4))
            try Files.removeTree(sandbox.layer)
            try Files.makeDirectory(sandbox.layer)
            let result = try LayerUnpacker(options: UnpackOptions(rootless: !isRoot))
                .unpack(BytesByteSource(compressed), compression: .gzip, into: sandbox.layer)
            XCTAssertEqual(result.diffID, expected, program)
            XCTAssertEqual(try Files.readString(sandbox.layer + "/etc/hostname"), "box\n", program)
        }
    }

    func testLaterEntriesReplaceEarlierOnes() throws {
        var tar = RawTar()
        tar.add("a", data: Array("one".utf8))
        tar.add("a", data: Array("two".utf8))
        tar.add("b", .symlink, link: "a")
        tar.add("b", data: Array("file".utf8))          // a file replaces a symlink, not its target
        tar.add("d/", .directory)
        tar.add("d/x", data: [1])
        tar.add("d", .symlink, link: "a")               // a symlink replaces a whole directory
        tar.add("e/", .directory, mode: 0o700)
        tar.add("e/", .directory, mode: 0o711)          // an existing directory is kept, metadata updated
        tar.add("f", data: [1])
        tar.add("f/", .directory)                       // a directory replaces a file
        try sandbox.unpack(tar.archive)
        let layer = sandbox.layer
        XCTAssertEqual(try Files.readString(layer + "/a"), "two")
        XCTAssertEqual(try Files.readString(layer + "/b"), "file")
        XCTAssertEqual(try Files.readLink(layer + "/d"), "a")
        XCTAssertEqual(try XCTUnwrap(lstatus(layer + "/e")).st_mode & 0o7777, 0o711)
        XCTAssertTrue(Files.isDirectory(layer + "/f"))
    }

    func testSparseFileKeepsItsSize() throws {
        // GNU tar's sparse format, from the real tool.
        let source = sandbox.base + "/sparse-src"
        try Files.makeDirectory(source)
        let fd = try FileDescriptor.open(source + "/holes", O_WRONLY | O_CREAT, mode: 0o644)
        XCTAssertEqual(pwrite(fd.rawValue, "end", 3, 8 << 20), 3)
        fd.close()
        let tar = try runProgram("/usr/bin/tar", ["-C", source, "--sparse", "-cf", "-", "holes"])
        try sandbox.unpack(tar)
        let status = try XCTUnwrap(lstatus(sandbox.layer + "/holes"))
        XCTAssertEqual(status.st_size, (8 << 20) + 3)
        XCTAssertLessThan(Int(status.st_blocks) * 512, 1 << 20, "holes stay holes")
        let bytes = try Files.read(sandbox.layer + "/holes", limit: 16 << 20)
        XCTAssertEqual(Array(bytes.suffix(3)), Array("end".utf8))
    }

    func testNonASCIINamesPassThrough() throws {
        // pax `path` records are UTF-8; the C locale must not turn them into "?".
        let source = sandbox.base + "/names"
        try Files.makeDirectory(source)
        let name = "caf\u{e9}-\u{65e5}\u{672c}-" + String(repeating: "x", count: 120)
        try Files.create(source + "/" + name, [7])
        let tar = try runProgram("/usr/bin/tar", ["-C", source, "--format=pax", "-cf", "-", name])
        try sandbox.unpack(tar)
        XCTAssertEqual(try Files.list(sandbox.layer), [name])
    }

    func testRejectsWhatIsNotATar() throws {
        assertThrows(["unpack layer: not a tar archive"]) { try self.sandbox.unpack(Array("hello, world".utf8)) }
        assertThrows(["unpack layer: not a tar archive"]) { try self.sandbox.unpack([]) }
        let gzipGarbage = try runProgram("/usr/bin/gzip", ["-c"], input: Array(repeating: 65, count: 4096))
        assertThrows(["unpack layer: not a tar archive"]) { try self.sandbox.unpack(gzipGarbage) }
        var corrupt = try runProgram("/usr/bin/gzip", ["-c"], input: sampleLayer())
        corrupt[corrupt.count / 2] ^= 0xff
        assertThrows(["unpack layer: "]) { try self.sandbox.unpack(corrupt) }
    }

    func testEmptyLayer() throws {
        let result = try sandbox.unpack([UInt8](repeating: 0, count: 1024))
        XCTAssertEqual(result.entryCount, 0)
        XCTAssertEqual(result.diffID, Digest(sha256Hex: sha256Hex([UInt8](repeating: 0, count: 1024))))
        XCTAssertEqual(try Files.list(sandbox.layer), [])
    }

    func testSourceErrorsPassThrough() throws {
        final class Failing: ByteSource {
            func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
                throw BerthError(.system, "read blob: connection reset")
            }
        }
        assertThrows(["unpack layer: read blob: connection reset"]) {
            _ = try LayerUnpacker().unpack(Failing(), compression: nil, into: self.sandbox.layer)
        }
    }

    func testRootlessSkipsDevicesAndOwnership() throws {
        var tar = RawTar()
        tar.add("null", .characterDevice, mode: 0o666, major: 1, minor: 3)
        tar.add("pipe", .fifo, mode: 0o600)
        tar.add("owned", data: [1], uid: 4242, gid: 4242)
        try sandbox.unpack(tar.archive, rootless: true)
        XCTAssertNil(lstatus(sandbox.layer + "/null"))
        XCTAssertEqual(try XCTUnwrap(lstatus(sandbox.layer + "/pipe")).st_mode & S_IFMT, S_IFIFO)
        XCTAssertEqual(try XCTUnwrap(lstatus(sandbox.layer + "/owned")).st_uid, geteuid())
    }

    func testFiftyMegabyteLayer() throws {
        var tar = RawTar()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        for index in chunk.indices { chunk[index] = UInt8(truncatingIfNeeded: index &* 2_654_435_761 >> 13) }
        tar.add("big/", .directory)
        for index in 0..<45 { tar.add("big/file\(index)", data: chunk) }
        for index in 0..<2000 { tar.add("small/\(index / 100)/f\(index)", data: Array(chunk[0..<(index % 5000)])) }
        let bytes = tar.archive
        let start = DispatchTime.now()
        let result = try sandbox.unpack(bytes)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        print("unpacked \(bytes.count >> 20) MiB in \(result.entryCount) entries in \(String(format: "%.3f", seconds)) s")
        XCTAssertEqual(result.diffID, Digest(sha256Hex: sha256Hex(bytes)))
        XCTAssertEqual(try Files.read(sandbox.layer + "/big/file44", limit: 2 << 20), chunk)
    }
}
