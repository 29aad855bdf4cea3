import Diagnostics
@testable import EngineState
import LinuxSyscalls
import LiteJSON
import XCTest

#if canImport(Glibc)
import Glibc
#endif

final class ContainerStoreTests: StoreTestCase {
    func testCreateAndLoadRoundTrip() throws {
        let store = try ContainerStore(root: root)
        let config: JSONValue = ["Cmd": ["sh", "-c", "echo hi"], "Tty": false, "Memory": 67108864]
        let created = try store.create(name: "web", image: "busybox", imageID: "sha256:" + String(repeating: "a", count: 64),
                                       config: config, labels: ["tier": "front"])
        XCTAssertEqual(created.id.count, 64)
        XCTAssertEqual(created.name, "web")
        XCTAssertEqual(created.state, .created)
        XCTAssertFalse(created.creating)
        XCTAssertNil(created.creatorPid)
        XCTAssertTrue(created.created.hasSuffix("Z"))
        XCTAssertTrue(Files.exists("\(root)/containers/\(created.id)/container.json"))
        XCTAssertEqual(try Files.readString("\(root)/names/web"), created.id)

        // A second store instance (another command) sees the same record, by every handle.
        let other = try ContainerStore(root: root)
        for handle in [created.id, "web", "/web", String(created.id.prefix(12))] {
            XCTAssertEqual(try other.load(handle), created, handle)
        }
        XCTAssertEqual(try other.load("web").config, config)
        XCTAssertEqual(try other.list(), [created])
        XCTAssertEqual(try Files.list("\(root)/staging"), [])
    }

    func testUpdateIsAReadModifyWrite() throws {
        let store = try ContainerStore(root: root)
        let record = try store.create(name: nil, image: "busybox", imageID: "sha256:1")
        let updated = try store.update(record.id) {
            $0.state = .running
            $0.pid = 4242
            $0.startedAt = "2026-01-01T00:00:00Z"
            $0.restartCount += 1
        }
        XCTAssertEqual(try store.load(record.id), updated)
        XCTAssertEqual(updated.state, .running)
        XCTAssertEqual(updated.restartCount, 1)
        assertError(.invalidArgument, "the id cannot change") { try store.update(record.id) { $0.id = "x" } }
        assertError(.notFound, "no such container: \(String(repeating: "0", count: 64))") {
            try store.update(String(repeating: "0", count: 64)) { _ in }
        }
    }

    func testNameInUseIsAConflictAndLeavesNothing() throws {
        let store = try ContainerStore(root: root)
        let first = try store.create(name: "web", image: "busybox", imageID: "sha256:1")
        assertError(.alreadyExists, "conflict: the container name \"/web\" is already in use by container \"\(first.id)\"") {
            try store.create(name: "/web", image: "busybox", imageID: "sha256:1")
        }
        XCTAssertEqual(try Files.listDirectories("\(root)/containers"), [first.id])
        XCTAssertEqual(try Files.list("\(root)/names"), ["web"])
        XCTAssertEqual(try Files.list("\(root)/staging"), [])
    }

    func testInvalidNamesAreRefused() throws {
        let store = try ContainerStore(root: root)
        for bad in ["a", "-web", "we b", "web/1", "", "_x", "wéb"] {
            assertError(.invalidArgument, "invalid container name (\(bad))") {
                try store.create(name: bad, image: "busybox", imageID: "sha256:1")
            }
        }
        XCTAssertEqual(try store.list(), [])
        XCTAssertEqual(try Files.listDirectories("\(root)/containers"), [])
    }

    func testGeneratedNamesFollowDockersPattern() throws {
        let store = try ContainerStore(root: root)
        let a = try store.create(name: nil, image: "busybox", imageID: "sha256:1")
        let b = try store.create(name: nil, image: "busybox", imageID: "sha256:1")
        XCTAssertNotEqual(a.name, b.name)
        for record in [a, b] {
            let parts = record.name.split(separator: "_")
            XCTAssertEqual(parts.count, 2, record.name)
            XCTAssertTrue(ContainerName.adjectives.contains(String(parts[0])), record.name)
            XCTAssertEqual(try store.load(record.name).id, record.id)
        }
        XCTAssertTrue(ContainerName.generate(retry: 1).last!.isNumber)
    }

    func testPrefixLookupAndAmbiguity() throws {
        let store = try ContainerStore(root: root)
        // 17 ids: two of them share a first hex digit.
        var records: [ContainerRecord] = []
        for i in 0..<17 { records.append(try store.create(name: "c\(i)", image: "busybox", imageID: "sha256:1")) }
        for record in records { XCTAssertEqual(try store.load(String(record.id.prefix(20))).id, record.id) }
        let firstDigits = Dictionary(grouping: records, by: { $0.id.prefix(1) })
        let shared = firstDigits.first { $0.value.count > 1 }!.key
        assertError(.invalidArgument, "multiple ids found with provided prefix: \(shared)") { try store.load(String(shared)) }
        assertError(.notFound, "no such container: nope") { try store.load("nope") }
        assertError(.notFound, "no such container: ") { try store.load("") }
    }

    func testRemoveFreesTheName() throws {
        let store = try ContainerStore(root: root)
        let record = try store.create(name: "web", image: "busybox", imageID: "sha256:1")
        try store.remove(record.id)
        assertError(.notFound, "no such container: web") { try store.load("web") }
        assertError(.notFound, "no such container: \(record.id)") { try store.remove(record.id) }
        XCTAssertEqual(try Files.list("\(root)/names"), [])
        XCTAssertEqual(try Files.list("\(root)/staging"), [])
        XCTAssertEqual(try store.create(name: "web", image: "busybox", imageID: "sha256:1").name, "web")
    }

    func testRename() throws {
        let store = try ContainerStore(root: root)
        let web = try store.create(name: "web", image: "busybox", imageID: "sha256:1")
        let db = try store.create(name: "db", image: "busybox", imageID: "sha256:1")
        try store.rename(web.id, to: "front")
        XCTAssertEqual(try store.load("front").id, web.id)
        XCTAssertEqual(try store.load(web.id).name, "front")
        assertError(.notFound, "no such container: web") { try store.load("web") }
        assertError(.alreadyExists, "the container name \"/db\" is already in use by container \"\(db.id)\"") {
            try store.rename(web.id, to: "db")
        }
        assertError(.invalidArgument, "same name as its current name") { try store.rename(web.id, to: "front") }
        assertError(.invalidArgument, "invalid container name") { try store.rename(web.id, to: "a b") }
        XCTAssertEqual(Set(try Files.list("\(root)/names")), ["front", "db"])
        // The old name is free again.
        XCTAssertEqual(try store.create(name: "web", image: "busybox", imageID: "sha256:1").name, "web")
    }

    func testTwentyThreadsCreateTwentyContainers() throws {
        let root = self.root
        let ids = Collector<String>()
        let errors = Collector<String>()
        onThreads(20) { i in
            do {
                let store = try ContainerStore(root: root)  // one instance per "command"
                ids.add(try store.create(name: i % 2 == 0 ? "c\(i)" : nil, image: "busybox", imageID: "sha256:1").id)
            } catch {
                errors.add("\(error)")
            }
        }
        XCTAssertEqual(errors.items, [])
        XCTAssertEqual(Set(ids.items).count, 20)
        let records = try ContainerStore(root: root).list()
        XCTAssertEqual(Set(records.map(\.id)), Set(ids.items))
        XCTAssertEqual(Set(records.map(\.name)).count, 20)
        XCTAssertEqual(try Files.list("\(root)/names").count, 20)
        XCTAssertEqual(try Files.list("\(root)/staging"), [])
    }

    func testTwentyThreadsRaceForOneName() throws {
        let root = self.root
        let winners = Collector<String>()
        let conflicts = Collector<String>()
        let others = Collector<String>()
        onThreads(20) { _ in
            do {
                let store = try ContainerStore(root: root)
                winners.add(try store.create(name: "race", image: "busybox", imageID: "sha256:1").id)
            } catch let error as BerthError where error.code == .alreadyExists {
                conflicts.add(error.message)
            } catch {
                others.add("\(error)")
            }
        }
        XCTAssertEqual(others.items, [])
        XCTAssertEqual(winners.items.count, 1)
        XCTAssertEqual(conflicts.items.count, 19)
        let store = try ContainerStore(root: root)
        XCTAssertEqual(try store.list().map(\.id), winners.items)
        XCTAssertEqual(try store.load("race").id, winners.items.first)
        XCTAssertEqual(try Files.listDirectories("\(root)/containers"), winners.items)
        XCTAssertEqual(try Files.list("\(root)/staging"), [])
    }

    func testConcurrentUpdatesAreNotLost() throws {
        let root = self.root
        let id = try ContainerStore(root: root).create(name: "counter", image: "busybox", imageID: "sha256:1").id
        let errors = Collector<String>()
        onThreads(20) { _ in
            do {
                let store = try ContainerStore(root: root)
                for _ in 0..<5 { try store.update(id) { $0.restartCount += 1 } }
            } catch {
                errors.add("\(error)")
            }
        }
        XCTAssertEqual(errors.items, [])
        XCTAssertEqual(try ContainerStore(root: root).load(id).restartCount, 100)
    }
}
