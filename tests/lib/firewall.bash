# Shared iptables chains that plugins make once and never remove (the CNI portmap plugin's
# CNI-HOSTPORT-*, netavark's NETAVARK*): a suite or bench that made them removes them again.
#
#   before=$(shared_chains_present CNI-HOSTPORT)   # in setup
#   remove_shared_chains CNI-HOSTPORT "$before"    # in teardown: only if they were not there

# "yes" when a chain starting with PREFIX exists in any table.
shared_chains_present() {
	if iptables-save 2>/dev/null | grep -q "^:$1"; then echo yes; else echo no; fi
}

# Removes every rule jumping to a chain starting with PREFIX, then those chains, in every
# table; nothing when WAS_PRESENT is "yes" (they belong to whoever made them first).
remove_shared_chains() {
	local prefix=$1 was_present=${2:-no} table rule chain
	[ "$was_present" = no ] || return 0
	for table in filter nat mangle; do
		iptables-save -t "$table" 2>/dev/null | grep -E "^-A [^ ]+ .*-j $prefix" | while read -r rule; do
			eval "iptables -w -t $table -D ${rule#-A }" 2>/dev/null || true
		done
		for chain in $(iptables-save -t "$table" 2>/dev/null | sed -n "s/^:\($prefix[^ ]*\) .*/\1/p"); do
			iptables -w -t "$table" -F "$chain" 2>/dev/null || true
		done
		for chain in $(iptables-save -t "$table" 2>/dev/null | sed -n "s/^:\($prefix[^ ]*\) .*/\1/p"); do
			iptables -w -t "$table" -X "$chain" 2>/dev/null || true
		done
	done
}
