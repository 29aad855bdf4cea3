import Diagnostics
import Foundation
import LinuxSyscalls
import XCTest

@testable import LayerArchive

/// Layers written to escape: each must fail naming the entry, or land inside the layer, and
/// never create, change or link anything outside it.
final class HostileLayerTests: XCTestCase {
    var sandbox: Sandbox!
    var outsideBefore: [String] = []
    var passwdLinks: nlink_t = 0

    override func setUpWithError() throws {
        sandbox = try Sandbox()
        outsideBefore = try sandbox.outsideSnapshot()
        passwdLinks = try XCTUnwrap(lstatus("/etc/passwd")).st_nlink
    }

    override func tearDownWithError() throws {
        XCTAssertEqual(try sandbox.outsideSnapshot(), outsideBefore, "the sibling directory changed")
        XCTAssertEqual(lstatus("/etc/passwd")?.st_nlink, passwdLinks, "a host file gained a link")
        sandbox.cleanUp()
    }

    func testDotDotPath() {
        var tar = RawTar()
        tar.add("../outside/escape", data: [1])
        assertThrows(["unpack layer: entry '../outside/escape': path leaves the layer"]) { try self.sandbox.unpack(tar.archive) }
        var nested = RawTar()
        nested.add("a/b/../../../outside/secret", data: [1])
        assertThrows(["entry 'a/b/../../../outside/secret': path leaves the layer"]) { try self.sandbox.unpack(nested.archive) }
    }

    func testAbsolutePathLandsInside() throws {
        let name = "berth-absolute-\(getpid())"
        var tar = RawTar()
        tar.add("/" + name, data: [1])
        tar.add(sandbox.secret, data: Array("overwritten".utf8))
        try sandbox.unpack(tar.archive)
        XCTAssertNil(lstatus("/" + name))
        XCTAssertEqual(try Files.read(sandbox.layer + "/" + name), [1])
        XCTAssertEqual(try Files.readString(sandbox.layer + sandbox.secret), "overwritten")
    }

    func testWriteThroughSymlinkPointingOut() throws {
        var tar = RawTar()
        tar.add("evil", .symlink, link: sandbox.outside)
        tar.add("evil/file", data: Array("pwned".utf8))
        do {
            try sandbox.unpack(tar.archive)
            // If it was written, it went to the layer's own copy of that path.
            XCTAssertEqual(try Files.readString(sandbox.layer + sandbox.outside + "/file"), "pwned")
        } catch let error as BerthError {
            XCTAssertTrue(error.message.contains("entry 'evil/file'"), error.message)
        }
        XCTAssertNil(lstatus(sandbox.outside + "/file"))
    }

    func testWriteThroughSymlinkToExistingOutsideFile() throws {
        var tar = RawTar()
        tar.add("evil", .symlink, link: sandbox.secret)
        tar.add("evil", data: Array("pwned".utf8))
        try sandbox.unpack(tar.archive)
        XCTAssertEqual(try Files.readString(sandbox.layer + "/evil"), "pwned")
    }

    func testSymlinkClimbingUpThenWrite() throws {
        let name = "berth-escape-\(getpid())"
        var tar = RawTar()
        tar.add("up", .symlink, link: "../../..")
        tar.add("up/" + name, data: [1])
        tar.add("up2", .symlink, link: "../outside")
        tar.add("up2/secret", data: [2])
        do {
            try sandbox.unpack(tar.archive)
        } catch let error as BerthError {
            XCTAssertTrue(error.message.contains("entry 'up"), error.message)
        }
        XCTAssertNil(lstatus("/" + name))
        XCTAssertNil(lstatus("/tmp/" + name))
    }

    func testHardLinkToHostFile() {
        var tar = RawTar()
        tar.add("passwd", .hardLink, link: "/etc/passwd")
        assertThrows(["unpack layer: entry 'passwd': hard link to '/etc/passwd'"]) { try self.sandbox.unpack(tar.archive) }
    }

    func testHardLinkOutOfTheLayer() {
        var tar = RawTar()
        tar.add("link", .hardLink, link: "../outside/secret")
        assertThrows(["entry 'link': hard link to '../outside/secret' leaves the layer"]) { try self.sandbox.unpack(tar.archive) }
    }

    func testHardLinkThroughSymlinkPointingOut() {
        var tar = RawTar()
        tar.add("etc", .symlink, link: "/etc")
        tar.add("stolen", .hardLink, link: "etc/passwd")
        assertThrows(["entry 'stolen': hard link to 'etc/passwd'"]) { try self.sandbox.unpack(tar.archive) }
        var up = RawTar()
        up.add("up", .symlink, link: "../outside")
        up.add("stolen", .hardLink, link: "up/secret")
        assertThrows(["entry 'stolen': hard link to 'up/secret'"]) { try self.sandbox.unpack(up.archive) }
    }

    func testHardLinkToSymlinkLinksTheSymlink() throws {
        var tar = RawTar()
        tar.add("evil", .symlink, link: sandbox.secret)
        tar.add("twin", .hardLink, link: "evil")
        try sandbox.unpack(tar.archive)
        XCTAssertEqual(try Files.readLink(sandbox.layer + "/twin"), sandbox.secret)
    }

    func testSymlinkDirectoryThenFileUnderIt() throws {
        var tar = RawTar()
        tar.add("dir", .symlink, link: sandbox.outside)
        tar.add("dir/secret", data: Array("pwned".utf8))
        tar.add("rel", .symlink, link: "../../outside")
        tar.add("rel/secret", data: Array("pwned".utf8))
        do { try sandbox.unpack(tar.archive) } catch let error as BerthError {
            XCTAssertTrue(error.message.contains("entry 'dir/secret'") || error.message.contains("entry 'rel/secret'"), error.message)
        }
    }

    func testDeviceNamesWithDotDot() {
        var tar = RawTar()
        tar.add("../outside/null", .characterDevice, mode: 0o666, major: 1, minor: 3)
        assertThrows(["entry '../outside/null': path leaves the layer"]) { try self.sandbox.unpack(tar.archive) }
        var whiteout = RawTar()
        whiteout.add("x/.wh...", data: [])
        assertThrows(["entry 'x/.wh...': path leaves the layer"]) { try self.sandbox.unpack(whiteout.archive) }
    }

    func testDeviceUnderASymlinkToProcNamesTheEntry() throws {
        var tar = RawTar()
        tar.add("proc", .symlink, link: "/proc/self")
        tar.add("proc/null", .characterDevice, major: 1, minor: 3)
        assertThrows(["unpack layer: entry 'proc/null': "]) { try self.sandbox.unpack(tar.archive) }
    }
}
