#if canImport(Glibc)
import Glibc
#endif

/// Runs libarchive calls with a UTF-8 character type on the calling thread (uselocale(3)).
///
/// Swift programs run in the "C" locale, where libarchive turns every non-ASCII byte of a pax
/// `path`/`linkpath` into "?" when it converts the UTF-8 header to the current locale. Under
/// C.UTF-8 names pass through unchanged. The locale is per thread, so nothing global changes.
enum ArchiveLocale {
    /// Immutable after creation; a locale_t may be used from any thread.
    nonisolated(unsafe) private static let utf8: locale_t? = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil)

    static func run<T>(_ body: () throws -> T) rethrows -> T {
        guard let utf8 else { return try body() }
        let previous = uselocale(utf8)
        defer { uselocale(previous) }
        return try body()
    }
}
