package api

import (
	"bytes"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// spa serves the embedded frontend. Files under assets/ have content hashes
// in their names and are cached for a year; everything else is revalidated.
// Any other path gets index.html so the client-side router can handle it.
type spa struct {
	files fs.FS
	index []byte // nil when the frontend has not been built
}

func newSPA(files fs.FS) *spa {
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		index = nil
	}
	return &spa{files: files, index: index}
}

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Chorus: frontend not built</title></head>
<body><main><h1>Chorus is running, but its frontend is not built</h1>
<p>frontend not built: run <code>make build</code> (or <code>make run</code>) and start Chorus again.</p>
<p>The API answers at <code>/api/v1/</code>; health at <code>/healthz</code> and <code>/readyz</code>.</p></main></body></html>
`

func (s *spa) serve(c *gin.Context) {
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		writeError(c, notFound())
		return
	}
	if s.index == nil {
		c.Header("Cache-Control", "no-store")
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(notBuiltPage))
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+c.Request.URL.Path), "/")
	if name != "" && name != "index.html" {
		if data, err := fs.ReadFile(s.files, name); err == nil {
			if strings.HasPrefix(name, "assets/") {
				c.Header("Cache-Control", "public, max-age=31536000, immutable")
			} else {
				c.Header("Cache-Control", "no-cache")
			}
			// Go's table of types does not know the web app manifest; sniffed, it would be text/plain.
			if path.Ext(name) == ".webmanifest" {
				c.Header("Content-Type", "application/manifest+json")
			}
			http.ServeContent(c.Writer, c.Request, name, time.Time{}, bytes.NewReader(data))
			return
		}
		if strings.HasPrefix(name, "assets/") {
			// A missing hashed asset is a real 404, not a page to route.
			writeError(c, notFound())
			return
		}
	}
	c.Header("Cache-Control", "no-cache")
	c.Data(http.StatusOK, "text/html; charset=utf-8", s.index)
}
