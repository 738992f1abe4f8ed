// Package config reads Chorus's settings from flags and the environment.
//
// Every setting has an environment variable (CHORUS_… or DATABASE_URL) and a
// flag of the same meaning; a flag given on the command line wins over the
// environment, which wins over the default. The README's configuration table
// lists them all and must stay in step with Bind.
package config

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is everything a Chorus process needs to start.
type Config struct {
	Addr            string        // CHORUS_ADDR: where the HTTP server listens.
	DatabaseURL     string        // DATABASE_URL: sqlite path or postgres:// URL.
	BaseURL         string        // CHORUS_BASE_URL: the public URL people use.
	LogLevel        string        // CHORUS_LOG_LEVEL: debug, info, warn or error.
	LogFormat       string        // CHORUS_LOG_FORMAT: json or text.
	TLSCert         string        // CHORUS_TLS_CERT: PEM certificate file.
	TLSKey          string        // CHORUS_TLS_KEY: PEM key file.
	TrustedProxies  []string      // CHORUS_TRUSTED_PROXIES: CIDRs or IPs.
	ShutdownTimeout time.Duration // CHORUS_SHUTDOWN_TIMEOUT: drain time on SIGTERM.
	MetricsToken    string        // CHORUS_METRICS_TOKEN: bearer token for /metrics.
	SMTPURL         string        // CHORUS_SMTP_URL: smtp:// (STARTTLS when offered) or smtps:// server for e-mail.
	SMTPFrom        string        // CHORUS_SMTP_FROM: the sender address of Chorus's e-mail.
	DBTimeout       time.Duration // CHORUS_DB_TIMEOUT: the most a request waits for the database.
	LiveJoinLimit   int           // CHORUS_LIVE_JOIN_LIMIT: new live-session participants per minute per client address; 0: no limit.
	TwilioAuthToken string        // CHORUS_TWILIO_AUTH_TOKEN: the Twilio auth token for SMS (docs/sms.md); unset: SMS is off.
	TwilioAPIURL    string        // CHORUS_TWILIO_API_URL: Twilio's REST API address (a fake's in tests).

	// known holds the environment variables Bind read, for Unknown.
	known map[string]bool
}

// DefaultLiveJoinLimit is how many new participants one client address may
// bring into live sessions per minute, all at once or spread out. A van's
// hotspot puts every phone behind one address: 60 lets a room of up to 60
// phones join in the same moment (40 is a full van meeting), and one more
// each second after that, while a script on one address adds at most that
// many voters, which the room-size flag then shows.
const DefaultLiveJoinLimit = 60

// DefaultDBTimeout bounds a request's wait for the database: well under
// the 30 s most clients give up after, so a database that hangs is
// answered with a clear 503 while the client still listens.
const DefaultDBTimeout = 5 * time.Second

// DefaultDatabaseURL is the embedded SQLite file used when DATABASE_URL is unset.
const DefaultDatabaseURL = "data/chorus.db"

// Bind registers the settings on fs with defaults taken from the environment
// (getenv) and returns the Config that fs.Parse will fill in.
func Bind(fs *flag.FlagSet, getenv func(string) string) *Config {
	c := &Config{known: map[string]bool{}}
	env := func(key, def string) string {
		c.known[key] = true
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.Addr, "addr", env("CHORUS_ADDR", ":8080"), "listen address (CHORUS_ADDR)")
	fs.StringVar(&c.DatabaseURL, "database-url", env("DATABASE_URL", DefaultDatabaseURL), "SQLite file or postgres:// URL (DATABASE_URL)")
	fs.StringVar(&c.BaseURL, "base-url", env("CHORUS_BASE_URL", "http://localhost:8080"), "public base URL (CHORUS_BASE_URL)")
	fs.StringVar(&c.LogLevel, "log-level", env("CHORUS_LOG_LEVEL", "info"), "debug, info, warn or error (CHORUS_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", env("CHORUS_LOG_FORMAT", "json"), "json or text (CHORUS_LOG_FORMAT)")
	fs.StringVar(&c.TLSCert, "tls-cert", env("CHORUS_TLS_CERT", ""), "TLS certificate file (CHORUS_TLS_CERT)")
	fs.StringVar(&c.TLSKey, "tls-key", env("CHORUS_TLS_KEY", ""), "TLS key file (CHORUS_TLS_KEY)")
	fs.StringVar(&c.MetricsToken, "metrics-token", env("CHORUS_METRICS_TOKEN", ""), "bearer token for /metrics; unset: loopback only (CHORUS_METRICS_TOKEN)")
	fs.StringVar(&c.SMTPURL, "smtp-url", env("CHORUS_SMTP_URL", ""), "smtp://user:password@host:587 (STARTTLS when offered) or smtps://…:465; unset: e-mail waits (CHORUS_SMTP_URL)")
	fs.StringVar(&c.SMTPFrom, "smtp-from", env("CHORUS_SMTP_FROM", ""), "sender address of e-mail (CHORUS_SMTP_FROM)")
	fs.StringVar(&c.TwilioAuthToken, "twilio-auth-token", env("CHORUS_TWILIO_AUTH_TOKEN", ""), "Twilio auth token for SMS; unset: SMS is off (CHORUS_TWILIO_AUTH_TOKEN)")
	fs.StringVar(&c.TwilioAPIURL, "twilio-api-url", env("CHORUS_TWILIO_API_URL", "https://api.twilio.com"), "Twilio REST API address (CHORUS_TWILIO_API_URL)")
	fs.Func("trusted-proxies", "comma-separated proxy CIDRs whose X-Forwarded-For is trusted (CHORUS_TRUSTED_PROXIES)", func(s string) error {
		c.TrustedProxies = splitList(s)
		return nil
	})
	c.TrustedProxies = splitList(env("CHORUS_TRUSTED_PROXIES", ""))
	c.LiveJoinLimit = DefaultLiveJoinLimit
	if v := env("CHORUS_LIVE_JOIN_LIMIT", ""); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			n = -1 // Validate refuses it
		}
		c.LiveJoinLimit = n
	}
	fs.IntVar(&c.LiveJoinLimit, "live-join-limit", c.LiveJoinLimit,
		"new live-session participants per minute per client address; 0: no limit (CHORUS_LIVE_JOIN_LIMIT)")
	timeout := env("CHORUS_SHUTDOWN_TIMEOUT", "15s")
	fs.Func("shutdown-timeout", "how long to drain on SIGTERM (CHORUS_SHUTDOWN_TIMEOUT, default 15s)", func(s string) error {
		d, err := time.ParseDuration(s)
		c.ShutdownTimeout = d
		return err
	})
	if d, err := time.ParseDuration(timeout); err == nil {
		c.ShutdownTimeout = d
	}
	dbTimeout := env("CHORUS_DB_TIMEOUT", DefaultDBTimeout.String())
	fs.Func("db-timeout", "the most a request waits for the database before answering 503 (CHORUS_DB_TIMEOUT, default 5s)", func(s string) error {
		d, err := time.ParseDuration(s)
		c.DBTimeout = d
		return err
	})
	if d, err := time.ParseDuration(dbTimeout); err == nil {
		c.DBTimeout = d
	}
	return c
}

// otherSettings are CHORUS_ variables that commands other than serve and
// demo read.
var otherSettings = map[string]bool{"CHORUS_ADMIN_PASSWORD": true}

// Unknown returns the CHORUS_ variables in environ (as os.Environ gives
// them) that this version does not read: a misspelt or newer setting
// would otherwise be silently ignored.
func (c *Config) Unknown(environ []string) []string {
	var out []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "CHORUS_") && !c.known[name] && !otherSettings[name] {
			out = append(out, name)
		}
	}
	return out
}

// BindDatabase registers only the database setting, for subcommands that do
// not serve HTTP (migrate, backup, admin).
func BindDatabase(fs *flag.FlagSet, getenv func(string) string) *string {
	def := strings.TrimSpace(getenv("DATABASE_URL"))
	if def == "" {
		def = DefaultDatabaseURL
	}
	return fs.String("database-url", def, "SQLite file or postgres:// URL (DATABASE_URL)")
}

// Validate reports the first setting that cannot work.
func (c *Config) Validate() error {
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("CHORUS_BASE_URL %q: want an absolute http:// or https:// URL", c.BaseURL)
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return fmt.Errorf("CHORUS_TLS_CERT and CHORUS_TLS_KEY must be set together")
	}
	if _, err := c.SlogLevel(); err != nil {
		return err
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		return fmt.Errorf("CHORUS_LOG_FORMAT %q: want json or text", c.LogFormat)
	}
	if c.SMTPURL != "" {
		// The URL may hold a password: errors never repeat it.
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" {
			return fmt.Errorf("CHORUS_SMTP_URL: want smtp://user:password@host:port or smtps://…")
		}
		if c.SMTPFrom == "" {
			return fmt.Errorf("CHORUS_SMTP_FROM is required with CHORUS_SMTP_URL")
		}
	}
	if c.LiveJoinLimit < 0 {
		return fmt.Errorf("CHORUS_LIVE_JOIN_LIMIT must be a whole number of joins per minute, 0 for no limit")
	}
	if c.DBTimeout <= 0 {
		return fmt.Errorf("CHORUS_DB_TIMEOUT must be a positive duration such as 5s")
	}
	if c.ShutdownTimeout <= 0 {
		return fmt.Errorf("CHORUS_SHUTDOWN_TIMEOUT must be a positive duration such as 15s")
	}
	return nil
}

// SlogLevel parses LogLevel.
func (c *Config) SlogLevel() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return l, fmt.Errorf("CHORUS_LOG_LEVEL %q: want debug, info, warn or error", c.LogLevel)
	}
	return l, nil
}

// TLS reports whether Chorus terminates TLS itself.
func (c *Config) TLS() bool { return c.TLSCert != "" }

// NewLogger builds the process logger. Handlers never receive participant
// content, client addresses or user agents: callers must not pass them.
func NewLogger(c *Config, w io.Writer) *slog.Logger {
	level, _ := c.SlogLevel()
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Timeless wraps a log handler so its records carry no time: slog's
// handlers omit a zero time. Anything that may log about a participant's
// request uses it, since a log line's time would say when someone spoke.
func Timeless(h slog.Handler) slog.Handler { return timeless{h} }

type timeless struct{ slog.Handler }

func (t timeless) Handle(ctx context.Context, r slog.Record) error {
	r.Time = time.Time{}
	return t.Handler.Handle(ctx, r)
}

func (t timeless) WithAttrs(attrs []slog.Attr) slog.Handler {
	return timeless{t.Handler.WithAttrs(attrs)}
}

func (t timeless) WithGroup(name string) slog.Handler { return timeless{t.Handler.WithGroup(name)} }
