import CArchive
import Diagnostics
import Foundation
import LinuxSyscalls
import XCTest

@testable import LayerArchive

/// Ownership, devices, whiteouts, xattrs and file capabilities: root only.
final class PrivilegedUnpackTests: XCTestCase {
    var sandbox: Sandbox!

    override func setUpWithError() throws {
        try XCTSkipUnless(isRoot, "needs root: chown, mknod, trusted.* and security.* xattrs")
        sandbox = try Sandbox()
    }

    override func tearDown() { sandbox?.cleanUp() }

    func testOwnershipAndDevices() throws {
        var tar = RawTar()
        tar.add("home/user/", .directory, mode: 0o700, uid: 1000, gid: 1000)
        tar.add("home/user/file", data: [1], mode: 0o2755, uid: 1000, gid: 50)
        tar.add("home/user/link", .symlink, link: "file", uid: 1001, gid: 1001)
        tar.add("dev/null", .characterDevice, mode: 0o666, major: 1, minor: 3)
        tar.add("dev/loop9", .blockDevice, mode: 0o660, gid: 6, major: 7, minor: 9)
        tar.add("dev/pipe", .fifo, mode: 0o620)
        try sandbox.unpack(tar.archive)
        let layer = sandbox.layer
        let directory = try XCTUnwrap(lstatus(layer + "/home/user"))
        XCTAssertEqual([directory.st_uid, directory.st_gid, directory.st_mode & 0o7777], [1000, 1000, 0o700])
        let file = try XCTUnwrap(lstatus(layer + "/home/user/file"))
        XCTAssertEqual([file.st_uid, file.st_gid, file.st_mode & 0o7777], [1000, 50, 0o2755])
        let link = try XCTUnwrap(lstatus(layer + "/home/user/link"))
        XCTAssertEqual([link.st_uid, link.st_gid], [1001, 1001])
        let null = try XCTUnwrap(lstatus(layer + "/dev/null"))
        XCTAssertEqual(null.st_mode & S_IFMT, S_IFCHR)
        XCTAssertEqual(null.st_mode & 0o7777, 0o666, "the umask does not apply")
        XCTAssertEqual([major(null.st_rdev), minor(null.st_rdev)], [1, 3])
        let loop = try XCTUnwrap(lstatus(layer + "/dev/loop9"))
        XCTAssertEqual(loop.st_mode & S_IFMT, S_IFBLK)
        XCTAssertEqual([major(loop.st_rdev), minor(loop.st_rdev), loop.st_gid], [7, 9, 6])
        XCTAssertEqual(try XCTUnwrap(lstatus(layer + "/dev/pipe")).st_mode, S_IFIFO | 0o620)
    }

    func testWhiteoutsAndOpaqueDirectories() throws {
        var tar = RawTar()
        tar.add("etc/", .directory)
        tar.add("etc/.wh.motd", data: [], uid: 7, gid: 7)
        tar.add("var/", .directory)
        tar.add("var/.wh..wh..opq", data: [])
        tar.add("var/.wh..wh.plnk/", .directory)     // aufs bookkeeping: skipped
        tar.add(".wh.top", data: [])
        try sandbox.unpack(tar.archive)
        let layer = sandbox.layer
        for path in ["/etc/motd", "/top"] {
            let whiteout = try XCTUnwrap(lstatus(layer + path), path)
            XCTAssertEqual(whiteout.st_mode & S_IFMT, S_IFCHR, path)
            XCTAssertEqual(whiteout.st_rdev, 0, path)
        }
        XCTAssertEqual(try XCTUnwrap(lstatus(layer + "/etc/motd")).st_uid, 7)
        XCTAssertNil(lstatus(layer + "/etc/.wh.motd"))
        XCTAssertEqual(try xattr(layer + "/var", "trusted.overlay.opaque"), Array("y".utf8))
        XCTAssertEqual(try Files.list(layer + "/var"), [])
    }

    func testXattrsAndCapabilitiesSurviveChown() throws {
        // vfs_cap_data revision 2, effective, permitted = cap_net_bind_service (10).
        var capability: [UInt8] = [0x01, 0x00, 0x00, 0x02]
        capability += [0x00, 0x04, 0x00, 0x00] + [UInt8](repeating: 0, count: 12)
        var tar = RawTar()
        tar.pax([("SCHILY.xattr.security.capability", capability), ("SCHILY.xattr.user.note", Array("hi".utf8))])
        tar.add("ping", data: [0x7f], mode: 0o755, uid: 1000, gid: 1000)
        tar.pax([("SCHILY.xattr.user.dir", Array("d".utf8))])
        tar.add("dir/", .directory, mode: 0o555)
        tar.pax([("SCHILY.xattr.trusted.link", Array("l".utf8))])
        tar.add("link", .symlink, link: "ping")
        try sandbox.unpack(tar.archive)
        let layer = sandbox.layer
        XCTAssertEqual(try xattr(layer + "/ping", "security.capability"), capability)
        XCTAssertEqual(try xattr(layer + "/ping", "user.note"), Array("hi".utf8))
        XCTAssertEqual(try xattr(layer + "/dir", "user.dir"), Array("d".utf8))
        XCTAssertEqual(try xattr(layer + "/link", "trusted.link", follow: false), Array("l".utf8))
        XCTAssertEqual(try XCTUnwrap(lstatus(layer + "/ping")).st_uid, 1000)
        let getcap = String(decoding: try runProgram("/usr/sbin/getcap", [layer + "/ping"]), as: UTF8.self)
        XCTAssertTrue(getcap.contains("cap_net_bind_service"), getcap)
    }

    private func xattr(_ path: String, _ name: String, follow: Bool = true) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = follow ? getxattr(path, name, &buffer, buffer.count) : lgetxattr(path, name, &buffer, buffer.count)
        guard count >= 0 else { throw BerthError.system("getxattr \(name)", path: path) }
        return Array(buffer[0..<count])
    }
}
