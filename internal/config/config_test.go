package config

import (
	"flag"
	"io"
	"slices"
	"testing"
	"time"
)

func bind(t *testing.T, env map[string]string, args ...string) *Config {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := Bind(fs, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestUnknownSettingsAreReported(t *testing.T) {
	c := bind(t, nil)
	environ := []string{"PATH=/bin", "CHORUS_ADDR=:9090", "CHORUS_LIVE_JOIN_LIMT=0", "CHORUS_ADMIN_PASSWORD=x", "CHORUS_DB_TIMEOUT=2s", "CHORUS_FUTURE="}
	if got, want := c.Unknown(environ), []string{"CHORUS_LIVE_JOIN_LIMT", "CHORUS_FUTURE"}; !slices.Equal(got, want) {
		t.Fatalf("Unknown = %v, want %v", got, want)
	}
}

func TestDatabaseTimeout(t *testing.T) {
	if c := bind(t, nil); c.DBTimeout != DefaultDBTimeout || c.Validate() != nil {
		t.Fatalf("default %v (%v)", c.DBTimeout, c.Validate())
	}
	if c := bind(t, map[string]string{"CHORUS_DB_TIMEOUT": "2s"}); c.DBTimeout != 2*time.Second {
		t.Fatalf("from the environment: %v", c.DBTimeout)
	}
	if c := bind(t, map[string]string{"CHORUS_DB_TIMEOUT": "2s"}, "--db-timeout", "750ms"); c.DBTimeout != 750*time.Millisecond {
		t.Fatalf("the flag wins: %v", c.DBTimeout)
	}
	if c := bind(t, nil, "--db-timeout", "0s"); c.Validate() == nil {
		t.Fatal("a zero timeout was accepted")
	}
}
