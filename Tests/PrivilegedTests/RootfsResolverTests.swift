import Diagnostics
import LinuxSyscalls
import RootFilesystem
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A temporary directory that the test removes.
func makeTemporaryDirectory(_ prefix: String) throws -> String {
    var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
    guard let path = mkdtemp(&template) else { throw BerthError.system("mkdtemp") }
    return String(cString: path)
}

/// A root full of hostile symlinks: absolute and relative links out of the root, links into
/// /proc, a loop, and a dangling link whose target is relative to its directory.
struct HostileRoot {
    let path: String
    let tag = "berth-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"

    init() throws {
        path = try makeTemporaryDirectory("berth-rootfs")
        for directory in ["etc", "tmp", "run"] { try Files.makeDirectory("\(path)/\(directory)") }
        for (link, target) in [("proc", "/etc"), ("mnt", "/tmp"), ("x", "../../../../../tmp"), ("up", ".."),
                               ("loop1", "loop2"), ("loop2", "loop1"), ("etc/resolv.conf", "../run/systemd/stub.conf"),
                               ("self", "/proc/self/root")] {
            guard symlink(target, "\(path)/\(link)") == 0 else { throw BerthError.system("symlink", path: link) }
        }
    }

    func remove() { try? Files.removeTree(path) }

    func inode(_ relative: String) -> ino_t? {
        var info = stat()
        return lstat(path + relative, &info) == 0 ? info.st_ino : nil
    }
}

@Suite struct RootfsResolverTests {
    @Test func symlinksResolveInsideTheRoot() throws {
        let root = try HostileRoot()
        defer { root.remove() }
        let resolver = try RootResolver(opening: root.path)
        for (path, inside) in [("/proc", "/etc"), ("/mnt", "/tmp"), ("/x", "/tmp"), ("/up/up/etc", "/etc"), ("/../../etc", "/etc")] {
            let info = try resolver.open(path).stat()
            #expect(info.st_ino == root.inode(inside), "\(path)")
        }
    }

    @Test func missingComponentsAreCreatedInsideTheRoot() throws {
        let root = try HostileRoot()
        defer { root.remove() }
        let resolver = try RootResolver(opening: root.path)
        _ = try resolver.create("/mnt/\(root.tag)-a/b", as: .directory)
        _ = try resolver.create("/x/\(root.tag)-file", as: .file)
        _ = try resolver.create("/up/../proc/\(root.tag)-c", as: .directory)
        #expect(Files.isDirectory("\(root.path)/tmp/\(root.tag)-a/b"))
        #expect(Files.exists("\(root.path)/tmp/\(root.tag)-file") && !Files.isDirectory("\(root.path)/tmp/\(root.tag)-file"))
        #expect(Files.isDirectory("\(root.path)/etc/\(root.tag)-c"))
        for name in ["\(root.tag)-a", "\(root.tag)-file", "\(root.tag)-c"] {
            #expect(!Files.exists("/tmp/\(name)") && !Files.exists("/etc/\(name)"), "\(name) escaped the root")
        }
    }

    @Test func danglingSymlinkTargetIsCreatedInsideTheRoot() throws {
        let root = try HostileRoot()
        defer { root.remove() }
        let resolver = try RootResolver(opening: root.path)
        _ = try resolver.create("/etc/resolv.conf", as: .file)
        var info = stat()
        #expect(lstat("\(root.path)/run/systemd/stub.conf", &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG)
    }

    @Test func loopsAndMagicLinksFail() throws {
        let root = try HostileRoot()
        defer { root.remove() }
        let resolver = try RootResolver(opening: root.path)
        let loop = #expect(throws: BerthError.self) { _ = try resolver.create("/loop1/a", as: .directory) }
        #expect(loop?.errno == ELOOP)
        #expect(loop?.message.hasPrefix("resolve /loop1/a in root \(root.path): ") == true)
        let missing = #expect(throws: BerthError.self) { _ = try resolver.open("/nothing/here") }
        #expect(missing?.code == .notFound)
    }

    @Test func procAndSysfsRefuseASymlinkedDestination() throws {
        let root = try HostileRoot()
        defer { root.remove() }
        let resolver = try RootResolver(opening: root.path)
        let error = #expect(throws: BerthError.self) { _ = try resolver.directoryNoFollow("/proc") }
        #expect(error?.message.contains("destination is a symlink") == true)
        _ = try resolver.directoryNoFollow("/sys")
        #expect(Files.isDirectory("\(root.path)/sys"))
    }
}
