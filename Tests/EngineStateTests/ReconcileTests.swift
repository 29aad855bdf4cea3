import Diagnostics
@testable import EngineState
import LinuxSyscalls
import LiteJSON
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class ReconcileTests: StoreTestCase {
    /// Writes what a creator killed after reserving the name leaves: a `creating` record and its name.
    func writeHalfMadeRecord(name: String, creatorPid: Int32, creatorStartTime: UInt64) throws -> String {
        let id = String(repeating: "ab", count: 31) + randomHex(1)
        var record = ContainerRecord(id: id, name: name, image: "busybox", imageID: "sha256:1", created: Timestamp.now().rfc3339())
        record.creating = true
        record.creatorPid = creatorPid
        record.creatorStartTime = creatorStartTime
        try Files.makeDirectory("\(root)/containers/\(id)")
        try Files.writeAtomically("\(root)/containers/\(id)/container.json", try record.serialized())
        try Files.create("\(root)/names/\(name)", Array(id.utf8))
        return id
    }

    func testReconcileRemovesAHalfMadeRecordOfADeadCreator() throws {
        let store = try ContainerStore(root: root)
        let dead = try deadPid()
        let id = try writeHalfMadeRecord(name: "orphan", creatorPid: dead, creatorStartTime: 1)
        // Hidden while half-made, and its name is still taken.
        XCTAssertEqual(try store.list(), [])
        assertError(.notFound, "no such container: orphan") { try store.load("orphan") }
        assertError(.alreadyExists, "already in use by container \"\(id)\"") {
            try store.create(name: "orphan", image: "busybox", imageID: "sha256:1")
        }

        let repairs = try store.reconcile()
        XCTAssertEqual(repairs.removedContainers, [id])
        XCTAssertEqual(repairs.removedNames, [])  // removed with its record
        XCTAssertFalse(Files.exists("\(root)/containers/\(id)"))
        XCTAssertEqual(try Files.list("\(root)/names"), [])
        XCTAssertEqual(try Files.list("\(root)/staging"), [])
        XCTAssertTrue(try store.reconcile().isEmpty)
        XCTAssertEqual(try store.create(name: "orphan", image: "busybox", imageID: "sha256:1").name, "orphan")
    }

    func testReconcileKeepsRecordsOfALiveCreatorAndNotOfAReusedPid() throws {
        let store = try ContainerStore(root: root)
        let me = getpid()
        let start = try XCTUnwrap(Processes.startTime(me))
        let alive = try writeHalfMadeRecord(name: "alive", creatorPid: me, creatorStartTime: start)
        let reused = try writeHalfMadeRecord(name: "reused", creatorPid: me, creatorStartTime: start + 1)
        let repairs = try store.reconcile()
        XCTAssertEqual(repairs.removedContainers, [reused])
        XCTAssertTrue(Files.exists("\(root)/containers/\(alive)/container.json"))
        XCTAssertEqual(try Files.list("\(root)/names"), ["alive"])
    }

    func testReconcileRemovesStaleNamesAndDeadTemporaries() throws {
        let store = try ContainerStore(root: root)
        let kept = try store.create(name: "kept", image: "busybox", imageID: "sha256:1")
        // A command killed between removing a record and its name.
        try Files.create("\(root)/names/ghost", Array(String(repeating: "f", count: 64).utf8))
        // A command killed mid-rename, after the record took the new name.
        try Files.create("\(root)/names/old-kept", Array(kept.id.utf8))
        // staging/ entries of a dead process and of this one.
        let dead = try deadPid()
        try Files.makeDirectory("\(root)/staging/create-\(dead)-1-\(String(repeating: "c", count: 64))")
        try Files.create("\(root)/staging/name-\(dead)-1-abcd", Array("x".utf8))
        let mine = store.staging.newPath("name")
        try Files.create(mine, Array("y".utf8))

        let repairs = try store.reconcile()
        XCTAssertEqual(Set(repairs.removedNames), ["ghost", "old-kept"])
        XCTAssertEqual(repairs.removedContainers, [])
        XCTAssertEqual(repairs.removedTemporaries.count, 2)
        XCTAssertEqual(try Files.list("\(root)/names"), ["kept"])
        XCTAssertEqual(try Files.list("\(root)/staging").map { "\(root)/staging/\($0)" }, [mine])
        XCTAssertEqual(try store.load("kept"), kept)
    }

    func testCreateTakesOverANameWhoseContainerIsGone() throws {
        let store = try ContainerStore(root: root)
        try Files.create("\(root)/names/web", Array(String(repeating: "e", count: 64).utf8))
        let record = try store.create(name: "web", image: "busybox", imageID: "sha256:1")
        XCTAssertEqual(try store.load("web").id, record.id)
    }
}
