import Diagnostics

/// Docker's wording for a flag value the CLI refuses:
/// `invalid argument "12q" for "-m, --memory" flag: invalid size: '12q'`.
func flagError(_ value: String, _ flag: String, _ reason: String) -> BerthError {
    BerthError(.invalidArgument, "invalid argument \"\(value)\" for \"\(flag)\" flag: \(reason)")
}
