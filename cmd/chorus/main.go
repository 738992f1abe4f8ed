// Command chorus is the whole of Chorus in one binary: the server, its
// migrations, the demo and the administration commands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

const usage = `Chorus: community feedback for harm-reduction programs.

Usage:
  chorus serve [flags]          start the server (applies migrations first)
  chorus demo [flags]           seed a demo organization, then serve
  chorus migrate up|status      apply or list database migrations
  chorus backup PATH            snapshot the embedded SQLite database
  chorus healthcheck [URL]      exit 0 when the server is ready (for containers)
  chorus admin …                bootstrap, site add, kiosk add, user add, token
  chorus edge …                 van mode: enroll, serve, passphrase, status

Run "chorus COMMAND -h" for a command's flags. Every command reads
DATABASE_URL; see the README for all settings.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command and returns the process exit code: 0 on
// success, 1 on failure, 2 on a usage error.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	env := &environment{ctx: ctx, getenv: getenv, environ: os.Environ, stdout: stdout, stderr: stderr}
	var err error
	switch args[0] {
	case "serve":
		err = env.serve(args[1:])
	case "demo":
		err = env.demo(args[1:])
	case "migrate":
		err = env.migrate(args[1:])
	case "backup":
		err = env.backup(args[1:])
	case "healthcheck":
		err = env.healthcheck(args[1:])
	case "admin":
		err = env.admin(args[1:])
	case "edge":
		err = env.edge(args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "chorus: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err != nil {
		if ue, ok := err.(usageError); ok {
			fmt.Fprintf(stderr, "chorus %s: %s\n", args[0], ue.msg)
			return 2
		}
		fmt.Fprintf(stderr, "chorus %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

// environment is what every command may use: no package-level state.
type environment struct {
	ctx            context.Context
	getenv         func(string) string
	environ        func() []string // every variable, to report the settings no one reads
	stdout, stderr io.Writer
}

// usageError is a mistake in the command line, reported with exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }
