import LinuxSyscalls

#if canImport(Glibc)
import Glibc
#endif

/// Keeps the monitor's resident set small: one monitor runs per container for as long as it
/// runs, so its RSS is multiplied by the number of containers.
///
/// Most of a static Swift binary's RSS is file pages of its own image touched while starting
/// (the runtime, JSON coding, the runtime calls), inflated by the kernel's fault-around, which
/// maps up to 16 neighbouring page-cache pages with each fault. Once the container runs, the
/// monitor only needs its poll loop, so:
/// - MADV_RANDOM on every mapping of the executable turns fault-around off for it;
/// - MADV_DONTNEED on the executable's read-only, never-written mappings (text, without
///   anonymous pages) drops their pages from our page tables; they fault back in from the page
///   cache when used, unchanged (a private mapping that was never written reads as the file);
/// - the other mappings (data, relocated read-only data) get MADV_PAGEOUT, which reclaims their
///   clean file pages and keeps what was written (MADV_DONTNEED would discard it).
enum ResidentMemory {
    /// MADV_PAGEOUT (Linux 5.4), hidden from Swift's Glibc module: reclaim these pages now.
    /// Semantically a no-op (written pages stay, or go to swap), unlike MADV_DONTNEED.
    static let pageOut: Int32 = 21

    /// Trims the executable's mappings as described above. Best effort: failures are ignored.
    static func trimExecutable() {
        guard let exe = try? Files.readLink("/proc/self/exe"),
              let smaps = try? Files.readString("/proc/self/smaps") else { return }
        var current: (start: UInt, end: UInt, writable: Bool)?
        var candidates: [(start: UInt, end: UInt, writable: Bool, anonymous: Bool)] = []
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first else { continue }
            if first.contains("-") && fields.count >= 6 {
                current = nil
                guard fields[5...].joined(separator: " ") == exe else { continue }
                let bounds = first.split(separator: "-")
                guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16) else { continue }
                current = (start, end, fields[1].contains("w"))
            } else if first == "Anonymous:", let mapping = current, fields.count >= 2 {
                candidates.append((mapping.start, mapping.end, mapping.writable, fields[1] != "0"))
                current = nil
            }
        }
        for mapping in candidates {
            guard let address = UnsafeMutableRawPointer(bitPattern: mapping.start) else { continue }
            let length = Int(mapping.end - mapping.start)
            _ = madvise(address, length, MADV_RANDOM)
            if !mapping.writable && !mapping.anonymous {
                _ = madvise(address, length, MADV_DONTNEED)
            } else {
                _ = madvise(address, length, pageOut)
            }
        }
    }
}
