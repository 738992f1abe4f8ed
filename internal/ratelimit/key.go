package ratelimit

import "net/netip"

// KeyForIP turns a client address into a limiter key. An IPv6 address
// becomes its /64 prefix, such as "2001:db8:1:2::/64": a single host is
// usually given a whole /64 and can pick any address in it, so limiting
// addresses one by one would let it dodge every limit. IPv4 addresses,
// including IPv4-mapped IPv6 ones, are returned in plain dotted form, so
// the same client is one key whichever way the socket reports it. Input
// that is not an address is returned unchanged.
func KeyForIP(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	addr = addr.Unmap()
	if addr.Is4() {
		return addr.String()
	}
	// Prefix also drops any zone ("%eth0"), which names our interface,
	// not the client.
	prefix, err := addr.Prefix(64)
	if err != nil {
		return ip
	}
	return prefix.String()
}
