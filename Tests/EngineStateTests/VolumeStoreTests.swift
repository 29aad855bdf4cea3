import Diagnostics
import EngineState
import LinuxSyscalls
import XCTest

final class VolumeStoreTests: StoreTestCase {
    func testCreateInspectListRemove() throws {
        let store = try VolumeStore(root: root)
        let volume = try store.create(name: "data", labels: ["app": "web"], options: ["type": "tmpfs"])
        XCTAssertEqual(volume.name, "data")
        XCTAssertEqual(volume.driver, "local")
        XCTAssertEqual(volume.mountpoint, "\(root)/volumes/data/_data")
        XCTAssertTrue(Files.isDirectory(volume.mountpoint))
        XCTAssertEqual(volume.labels, ["app": "web"])
        XCTAssertEqual(volume.options, ["type": "tmpfs"])
        XCTAssertTrue(volume.created.hasSuffix("Z"))
        let json = try Files.readString("\(root)/volumes/data/volume.json")
        XCTAssertTrue(json.contains("\"Mountpoint\""), json)

        let other = try VolumeStore(root: root)
        XCTAssertEqual(try other.inspect("data"), volume)
        XCTAssertEqual(try other.create(name: "data"), volume)  // docker: create of an existing name returns it
        let anonymous = try other.create()
        XCTAssertEqual(anonymous.name.count, 64)
        XCTAssertEqual(anonymous.labels, [Volume.anonymousLabel: ""])
        XCTAssertEqual(try other.list().map(\.name), [anonymous.name, "data"].sorted())

        assertError(.invalidState, "remove data: volume is in use - [abc]") { try store.remove("data", usedBy: ["abc"]) }
        XCTAssertTrue(Files.isDirectory(volume.mountpoint))
        try store.remove("data")
        assertError(.notFound, "get data: no such volume") { try store.inspect("data") }
        assertError(.notFound, "get data: no such volume") { try store.remove("data") }
        XCTAssertEqual(try store.list().map(\.name), [anonymous.name])
        XCTAssertEqual(try Files.list("\(root)/staging"), [])
    }

    func testInvalidVolumeNames() throws {
        let store = try VolumeStore(root: root)
        for bad in ["a", "/abs", "x y", "../up"] {
            assertError(.invalidArgument, "includes invalid characters for a local volume name") { try store.create(name: bad) }
        }
        XCTAssertEqual(try store.list(), [])
    }

    func testTwentyThreadsCreateOneVolume() throws {
        let root = self.root
        let results = Collector<Volume>()
        let errors = Collector<String>()
        onThreads(20) { _ in
            do { results.add(try VolumeStore(root: root).create(name: "shared")) } catch { errors.add("\(error)") }
        }
        XCTAssertEqual(errors.items, [])
        XCTAssertEqual(results.items.count, 20)
        XCTAssertEqual(Set(results.items.map(\.created)).count, 1)
        XCTAssertEqual(try Files.list("\(root)/volumes"), ["shared"])
        XCTAssertEqual(try Files.list("\(root)/staging"), [])
    }
}
