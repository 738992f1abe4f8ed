// Package frontend embeds the built Svelte app (frontend/dist) in the binary.
//
// dist/ holds only a committed .gitkeep until `make build` runs Vite, so
// `go build` and `go test` work on a machine without Node; the server then
// shows a page that says how to build the frontend.
package frontend

import (
	"embed"
	"io/fs"
)

//go:embed all:dist
var dist embed.FS

// Dist returns the built frontend, rooted at dist/.
func Dist() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		// fs.Sub fails only on an invalid path, and "dist" is valid.
		panic(err)
	}
	return sub
}
