import Diagnostics
import LinuxSyscalls
import LiteJSON
import OCIRuntimeSpec
import Seccomp

/// Compiled seccomp filters, kept under `<root>/seccomp-cache/` by a hash of the profile.
///
/// Compiling podman's default profile with libseccomp takes ~15 ms of CPU; managers pass the
/// same profile to every container, so after the first one the filter is read back instead. An
/// entry holds the profile it was compiled from and is used only when that matches exactly.
enum SeccompCache {
    static func compiled(_ seccomp: OCIRuntimeSpec.Seccomp, root: String) throws -> CompiledSeccompFilter {
        let key = try LiteJSONEncoder(sortedKeys: true).encode(seccomp)
        let directory = "\(root)/seccomp-cache"
        let path = "\(directory)/\(hexHash(key))"
        if let entry = try? Files.read(path, limit: 8 << 20), let filter = decode(entry, key: key) {
            return filter
        }
        let filter = try SeccompFilter.prepare(seccomp).compile()
        // A cache that cannot be written only costs the next container the compile again.
        try? Files.makeDirectory(directory, mode: 0o700)
        try? Files.writeAtomically(path, encode(filter, key: key), mode: 0o600)
        return filter
    }

    /// An entry: the key's length (8 bytes, little endian), the key, the encoded filter.
    static func encode(_ filter: CompiledSeccompFilter, key: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: UInt64(key.count).littleEndian) { Array($0) } + key + filter.encoded
    }

    static func decode(_ entry: [UInt8], key: [UInt8]) -> CompiledSeccompFilter? {
        guard entry.count >= 8 else { return nil }
        let length = entry[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard length == UInt64(key.count), entry.count >= 8 + key.count, entry[8..<(8 + key.count)].elementsEqual(key) else {
            return nil
        }
        return try? CompiledSeccompFilter(encoded: entry[(8 + key.count)...])
    }

    /// FNV-1a, 64 bits: a file name, not a security boundary (the entry's key is compared whole).
    static func hexHash(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let text = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
