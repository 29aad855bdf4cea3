import Diagnostics

#if canImport(Glibc)
import Glibc
#endif

extension CgroupV2 {
    /// `linux.resources.unified`: v2 files written as they are.
    public enum Unified {
        /// Writes each `file: value` into `directory`, in file-name order (so the result does
        /// not depend on dictionary order).
        /// - Throws: `BerthError` `.invalidArgument` for a name that is not a plain file name,
        ///   `.notFound` naming the controller when its file is missing (not enabled).
        public static func apply(_ values: [String: String], directory: String,
                                 files: any CgroupFiles = HostCgroupFiles()) throws {
            for (file, value) in values.sorted(by: { $0.key < $1.key }) {
                guard !file.isEmpty, !file.contains("/"), file != ".", file != ".." else {
                    throw BerthError.invalid("linux.resources.unified: invalid file name \"\(file)\"")
                }
                do {
                    try files.write(directory, file, value)
                } catch let error as BerthError where error.errno == ENOENT {
                    let controller = file.split(separator: ".").first.map(String.init) ?? file
                    throw BerthError(.notFound, "\(error.message) (is the \(controller) controller enabled?)", errno: ENOENT)
                }
            }
        }
    }
}
