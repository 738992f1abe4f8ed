package ratelimit

import "testing"

func TestKeyForIP(t *testing.T) {
	tests := []struct {
		name, ip, want string
	}{
		{"IPv4 as is", "203.0.113.7", "203.0.113.7"},
		{"IPv4-mapped IPv6 is the IPv4 client", "::ffff:203.0.113.7", "203.0.113.7"},
		{"IPv6 becomes its /64", "2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64"},
		{"long and short IPv6 forms agree", "2001:0db8:0001:0002:0000:0000:0000:0001", "2001:db8:1:2::/64"},
		{"IPv6 zone is dropped", "fe80::1%eth0", "fe80::/64"},
		{"empty", "", ""},
		{"garbage", "not an address", "not an address"},
		{"address with port is not an address", "203.0.113.7:443", "203.0.113.7:443"},
		{"bracketed IPv6 is not an address", "[2001:db8::1]", "[2001:db8::1]"},
		{"IPv4 with leading zeros is ambiguous", "010.0.0.1", "010.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := KeyForIP(tt.ip); got != tt.want {
				t.Errorf("KeyForIP(%q) = %q, want %q", tt.ip, got, tt.want)
			}
		})
	}
}

func TestKeyForIPGroupsIPv6By64(t *testing.T) {
	tests := []struct {
		name     string
		a, b     string
		wantSame bool
	}{
		{"same /64", "2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:ffff", true},
		{"neighbouring /64", "2001:db8:1:2::1", "2001:db8:1:3::1", false},
		{"same /48, other /64", "2001:db8:1:2::1", "2001:db8:1:ff::1", false},
		{"IPv4 addresses are not grouped", "203.0.113.7", "203.0.113.8", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := KeyForIP(tt.a), KeyForIP(tt.b)
			if (ka == kb) != tt.wantSame {
				t.Errorf("KeyForIP(%q) = %q, KeyForIP(%q) = %q; same = %v, want %v", tt.a, ka, tt.b, kb, ka == kb, tt.wantSame)
			}
		})
	}
}

func FuzzKeyForIP(f *testing.F) {
	for _, seed := range []string{"203.0.113.7", "2001:db8::1", "::ffff:1.2.3.4", "fe80::1%eth0", "", "x"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, ip string) {
		// A key is never regrouped: feeding one back in changes nothing,
		// so callers may pass either an address or a key already made.
		key := KeyForIP(ip)
		if again := KeyForIP(key); again != key {
			t.Fatalf("KeyForIP(%q) = %q, but KeyForIP(%q) = %q", ip, key, key, again)
		}
	})
}
