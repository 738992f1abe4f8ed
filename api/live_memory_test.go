package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// TestLiveIdleMemory measures what an idle participant costs a server
// process (heap and goroutine stacks). It is a measurement, not a timed
// test: set CHORUS_LIVE_MEMTEST=1 to run it.
func TestLiveIdleMemory(t *testing.T) {
	if os.Getenv("CHORUS_LIVE_MEMTEST") == "" {
		t.Skip("set CHORUS_LIVE_MEMTEST=1 to measure")
	}
	const n = 2000
	db := testutil.NewDB(t, database.SQLite)
	ctx := context.Background()
	st := store.New(db)
	o := newOrg(t, st, "Memory Program")
	sess, err := st.CreateLiveSession(ctx, o.ID, "", store.LiveSessionInput{SiteID: o.Site.ID, Title: "Memory", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	rd, err := st.CreateRound(ctx, o.ID, sess.ID, store.RoundInput{Kind: tally.Agree, Prompt: "Agree?"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetRoundState(ctx, o.ID, rd.ID, store.ActionOpen); err != nil {
		t.Fatal(err)
	}
	_, base := startChild(t, db.Source)
	mem := func() (bytes, heap, stacks, goroutines float64) {
		resp, err := http.Get(strings.Replace(base, "ws://", "http://", 1) + "/debug/mem")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct{ Bytes, Heap, Stacks, Goroutines float64 }
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		return out.Bytes, out.Heap, out.Stacks, out.Goroutines
	}
	// One connection first, so the room and the pools exist.
	first, _, err := dialWS(t, base+"/api/v1/live/"+sess.Code+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	first.welcome()
	before, h0, s0, g0 := mem()
	d := websocket.Dialer{ReadBufferSize: 256, WriteBufferSize: 256}
	conns := make([]*websocket.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			_ = c.Close()
		}
	}()
	for range n {
		c, resp, err := d.Dial(base+"/api/v1/live/"+sess.Code+"/ws", http.Header{"Origin": {liveBaseURL}})
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		// Read the welcome and the tally, then stay idle.
		for range 2 {
			if _, _, err := c.ReadMessage(); err != nil {
				t.Fatal(err)
			}
		}
		conns = append(conns, c)
	}
	// Writers linger for a moment after the welcome; an idle participant
	// is one whose writer has gone.
	var after, h1, s1, g1 float64
	testutil.Eventually(t, 30*time.Second, "the writers to leave", func() bool {
		after, h1, s1, g1 = mem()
		return g1-g0 < n*1.01
	})
	if path := os.Getenv("CHORUS_LIVE_HEAPPROFILE"); path != "" {
		saveHeapProfile(t, strings.Replace(base, "ws://", "http://", 1)+"/debug/heap?gc=1", path)
	}
	t.Logf("%d idle participants: %.1f KiB each (heap in use %.1f, stacks %.1f), %.1f goroutines each",
		n, (after-before)/n/1024, (h1-h0)/n/1024, (s1-s0)/n/1024, (g1-g0)/n)
}

// saveHeapProfile stores the server process's heap profile at path.
func saveHeapProfile(t *testing.T, url, path string) {
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := io.Copy(f, resp.Body); err != nil {
		t.Fatal(err)
	}
}
