# Assertions the bats suites share (sourced by tests/images/helpers.bash and
# tests/engine/helpers.bash).

# A failed command (run --separate-stderr) printed one short, lower-case error line on
# stderr, starting "Error: " as docker's and podman's CLIs print errors.
assert_error_line() {
	[ "$status" -ne 0 ] || { echo "expected a failure, got status 0; stdout: $output" >&2; return 1; }
	[ "${#stderr_lines[@]}" -eq 1 ] || { echo "expected one line on stderr, got: $stderr" >&2; return 1; }
	local message
	case "$stderr" in
	"Error: "*) message=${stderr#Error: } ;;
	*) echo "error does not start with 'Error: ': $stderr" >&2; return 1 ;;
	esac
	[[ $message != [A-Z]* ]] || { echo "error is not lower-case: $stderr" >&2; return 1; }
}
