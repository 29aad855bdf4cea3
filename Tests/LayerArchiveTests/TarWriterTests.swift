import CArchive
import Diagnostics
import Foundation
import Hashing
import ImageSpec
import LinuxSyscalls
import XCTest

@testable import LayerArchive

final class TarWriterTests: XCTestCase {
    var sandbox: Sandbox!

    override func setUpWithError() throws { sandbox = try Sandbox() }
    override func tearDown() { sandbox.cleanUp() }

    private func write(_ options: TarWriter.Options = .init(), _ body: (TarWriter) throws -> Void) throws -> ([UInt8], TarWriter.Summary) {
        let path = sandbox.base + "/out.tar"
        let fd = try FileDescriptor.open(path, O_WRONLY | O_CREAT | O_TRUNC)
        let writer = try TarWriter(fd: fd, options: options)
        try body(writer)
        let summary = try writer.finish()
        fd.close()
        return (try Files.read(path, limit: 256 << 20), summary)
    }

    private func entries(_ bytes: [UInt8]) throws -> [TarEntry] {
        let reader = try TarReader(source: BytesByteSource(bytes))
        var result: [TarEntry] = []
        while let entry = try reader.next() { result.append(entry) }
        return result
    }

    func testWritesWhatTheReaderReads() throws {
        let (bytes, summary) = try write(.init(computeDigests: true)) { writer in
            try writer.addDirectory(path: "etc", mode: 0o750, uid: 1, gid: 2, mtime: 1000)
            try writer.addFile(path: "etc/hosts", mode: 0o600, mtime: 2000, bytes: Array("127.0.0.1 localhost\n".utf8))
            try writer.addSymlink(path: "etc/alias", target: "hosts")
            try writer.addHardLink(path: "etc/twin", target: "etc/hosts")
            try writer.addFile(path: "dir/" + String(repeating: "long", count: 40), size: 3, source: BytesByteSource([1, 2, 3]))
        }
        XCTAssertEqual(bytes.count % 512, 0)
        XCTAssertEqual(Array(bytes.suffix(1024)), [UInt8](repeating: 0, count: 1024), "ends with two zero blocks, unpadded")
        XCTAssertEqual(summary.diffID, Digest(sha256Hex: sha256Hex(bytes)))
        XCTAssertEqual(summary.digest, summary.diffID)
        XCTAssertEqual(summary.size, Int64(bytes.count))
        let found = try entries(bytes)
        XCTAssertEqual(found.map(\.path), ["etc/", "etc/hosts", "etc/alias", "etc/twin", "dir/" + String(repeating: "long", count: 40)])
        XCTAssertEqual(found[0], TarEntry(path: "etc/", kind: .directory, mode: 0o750, uid: 1, gid: 2, mtime: 1000))
        XCTAssertEqual(found[1].size, 20)
        XCTAssertEqual(found[1].mode, 0o600)
        XCTAssertEqual(found[2].kind, .symlink)
        XCTAssertEqual(found[2].linkTarget, "hosts")
        XCTAssertEqual(found[3].kind, .hardLink)
        XCTAssertEqual(found[3].linkTarget, "etc/hosts")
        // And it unpacks.
        let result = try sandbox.unpack(bytes)
        XCTAssertEqual(result.diffID, summary.diffID)
        XCTAssertEqual(try Files.readString(sandbox.layer + "/etc/hosts"), "127.0.0.1 localhost\n")
    }

    func testShortSourceFails() throws {
        assertThrows(["write tar: entry 'f': source ended after 2 of 5 bytes"]) {
            _ = try self.write { try $0.addFile(path: "f", size: 5, source: BytesByteSource([1, 2])) }
        }
    }

    func testCompressedOutputHasBothDigests() throws {
        for compression in [LayerCompression.gzip, .zstd] {
            let (bytes, summary) = try write(.init(compression: compression, computeDigests: true)) { writer in
                try writer.addFile(path: "a", bytes: [UInt8](repeating: 7, count: 100_000))
            }
            XCTAssertEqual(LayerCompression.sniff(bytes), compression)
            XCTAssertEqual(summary.digest, Digest(sha256Hex: sha256Hex(bytes)))
            XCTAssertLessThan(summary.size, summary.tarSize)
            let plain = try Files.read(sandbox.base + "/out.tar", limit: 1 << 20)
            let decompressed = Decompressor.decompressed(BytesByteSource(plain))
            var tar: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = try buffer.withUnsafeMutableBytes { try decompressed.read(into: $0) }
                if count == 0 { break }
                tar += buffer[0..<count]
            }
            XCTAssertEqual(Int64(tar.count), summary.tarSize)
            XCTAssertEqual(summary.diffID, Digest(sha256Hex: sha256Hex(tar)))
            try Files.removeTree(sandbox.layer)
            try Files.makeDirectory(sandbox.layer)
            XCTAssertEqual(try sandbox.unpack(bytes).diffID, summary.diffID)
        }
    }

    func testGzipIsReproducible() throws {
        let first = try write(.init(compression: .gzip)) { try $0.addFile(path: "a", bytes: [1]) }.0
        sleep(1)
        let second = try write(.init(compression: .gzip)) { try $0.addFile(path: "a", bytes: [1]) }.0
        XCTAssertEqual(first, second)
    }

    func testReaderReadsGzipAndCopiesData() throws {
        let tar = try write { try $0.addFile(path: "blob", bytes: Array(repeating: 9, count: 3_000_000)) }.0
        let gzipped = try runProgram("/usr/bin/gzip", ["-c"], input: tar)
        let reader = try TarReader(source: BytesByteSource(gzipped))
        let entry = try XCTUnwrap(try reader.next())
        XCTAssertEqual(entry.size, 3_000_000)
        let path = sandbox.base + "/copy"
        let fd = try FileDescriptor.open(path, O_WRONLY | O_CREAT)
        let hasher = SHA256Hasher()
        XCTAssertEqual(try reader.copyData(to: fd, hasher: hasher), 3_000_000)
        XCTAssertEqual(SHA256Hasher.hex(hasher.finalize()), sha256Hex(Array(repeating: 9, count: 3_000_000)))
        XCTAssertNil(try reader.next())
        assertThrows(["read tar: not a tar archive"]) { _ = try TarReader(source: BytesByteSource(Array("nope".utf8))).next() }
    }

    func testReaderReadsSmallEntries() throws {
        let tar = try write { writer in
            try writer.addFile(path: "manifest.json", bytes: Array("[1]".utf8))
            try writer.addFile(path: "big", bytes: Array(repeating: 1, count: 100))
        }.0
        let reader = try TarReader(source: BytesByteSource(tar))
        XCTAssertEqual(try reader.next()?.path, "manifest.json")
        XCTAssertEqual(try reader.readData(limit: 10), Array("[1]".utf8))
        XCTAssertEqual(try reader.next()?.path, "big")
        assertThrows(["entry larger than 10 bytes"]) { _ = try reader.readData(limit: 10) }
    }

    func testDecompressorPassesPlainBytesThrough() throws {
        let plain = Array("just some bytes".utf8)
        let source = Decompressor.decompressed(BytesByteSource(plain))
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
        XCTAssertEqual(Array(buffer[0..<count]), plain)
        XCTAssertEqual(try buffer.withUnsafeMutableBytes { try source.read(into: $0) }, 0)
        let empty = Decompressor.decompressed(BytesByteSource([]))
        XCTAssertEqual(try buffer.withUnsafeMutableBytes { try empty.read(into: $0) }, 0)
    }

    func testTreeRoundTrip() throws {
        let tree = sandbox.base + "/tree"
        try Files.makeDirectories(tree + "/b/c")
        try Files.create(tree + "/a", Array("alpha".utf8), mode: 0o640)
        try Files.create(tree + "/b/c/d", Array("delta".utf8))
        XCTAssertEqual(link(tree + "/a", tree + "/b/hard"), 0)
        XCTAssertEqual(Glibc.symlink("../a", tree + "/b/soft"), 0)
        XCTAssertEqual(mkfifo(tree + "/fifo", 0o600), 0)
        var times = [timespec(tv_sec: 1_234_567_890, tv_nsec: 5), timespec(tv_sec: 1_234_567_890, tv_nsec: 5)]
        XCTAssertEqual(utimensat(AT_FDCWD, tree + "/a", &times, 0), 0)
        let (bytes, summary) = try write(.init(computeDigests: true)) { try $0.addTree(tree) }
        let found = try entries(bytes)
        XCTAssertEqual(found.map(\.path), ["a", "b/", "b/c/", "b/c/d", "b/hard", "b/soft", "fifo"])
        XCTAssertEqual(found[4].kind, .hardLink)
        XCTAssertEqual(found[4].linkTarget, "a")
        XCTAssertEqual(found[0].mtime, 1_234_567_890)
        XCTAssertEqual(found[0].mode, 0o640)
        // The same tree gives the same tar.
        XCTAssertEqual(try write(.init(computeDigests: true)) { try $0.addTree(tree) }.1.diffID, summary.diffID)
        try sandbox.unpack(bytes)
        XCTAssertEqual(try sandbox.snapshot(sandbox.layer).filter { !$0.hasPrefix("b ") && !$0.hasPrefix("b/c ") },
                       try sandbox.snapshot(tree).filter { !$0.hasPrefix("b ") && !$0.hasPrefix("b/c ") })
        let prefixed = try write { try $0.addTree(tree + "/b/c", prefix: "/x/y/") }.0
        XCTAssertEqual(try entries(prefixed).map(\.path), ["x/y/", "x/y/d"])
    }

    func testTreeTranslatesOverlayWhiteouts() throws {
        try XCTSkipUnless(isRoot, "needs root: mknod 0/0 and trusted.overlay.opaque")
        let tree = sandbox.base + "/upper"
        try Files.makeDirectories(tree + "/opaque")
        try Files.create(tree + "/opaque/kept", [1])
        XCTAssertEqual(mknod(tree + "/gone", S_IFCHR | 0o600, 0), 0)
        XCTAssertEqual(setxattr(tree + "/opaque", "trusted.overlay.opaque", "y", 1, 0), 0)
        XCTAssertEqual(setxattr(tree + "/opaque/kept", "user.keep", "1", 1, 0), 0)
        let bytes = try write(.init(overlayWhiteouts: true)) { try $0.addTree(tree) }.0
        XCTAssertEqual(try entries(bytes).map(\.path), [".wh.gone", "opaque/", "opaque/.wh..wh..opq", "opaque/kept"])
        // Unpacking turns them back into overlayfs's form.
        try sandbox.unpack(bytes)
        XCTAssertEqual(try XCTUnwrap(lstatus(sandbox.layer + "/gone")).st_mode & S_IFMT, S_IFCHR)
        var value = [UInt8](repeating: 0, count: 8)
        XCTAssertEqual(getxattr(sandbox.layer + "/opaque", "trusted.overlay.opaque", &value, 8), 1)
        XCTAssertEqual(getxattr(sandbox.layer + "/opaque/kept", "user.keep", &value, 8), 1)
        // Without the option, a whiteout is a device like any other.
        let raw = try write { try $0.addTree(tree) }.0
        XCTAssertEqual(try entries(raw).map(\.kind), [.characterDevice, .directory, .file])
    }
}
