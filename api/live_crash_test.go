package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/metrics"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// Environment of the child server process.
const (
	childDBEnv   = "CHORUS_LIVE_CHILD_DB"
	childAddrEnv = "CHORUS_LIVE_CHILD_ADDR"
)

// TestLiveCrashChild is the server process TestLiveSurvivesSIGKILL starts
// and kills; run on its own it does nothing.
func TestLiveCrashChild(t *testing.T) {
	dbURL := os.Getenv(childDBEnv)
	if dbURL == "" {
		t.Skip("the server process of TestLiveSurvivesSIGKILL")
	}
	ctx := context.Background()
	db, err := database.Open(ctx, dbURL, testutil.Logger())
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("CHORUS_LIVE_HEAPPROFILE") != "" {
		// Every allocation, for a per-connection account.
		runtime.MemProfileRate = 1
	}
	m := metrics.New()
	lv, err := NewLive(ctx, db, testutil.Logger(), m)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := os.Getenv(childAddrEnv)
	if err := os.WriteFile(addr+".tmp", []byte(ln.Addr().String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(addr+".tmp", addr); err != nil {
		t.Fatal(err)
	}
	engine := liveEngine(t, store.New(db), lv, m, WSLimits{})
	// For TestLiveIdleMemory: the server's own heap and stacks.
	engine.GET("/debug/mem", func(c *gin.Context) {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		c.JSON(http.StatusOK, gin.H{"bytes": ms.HeapInuse + ms.StackInuse, "heap": ms.HeapInuse, "stacks": ms.StackInuse,
			"goroutines": runtime.NumGoroutine()})
	})
	engine.GET("/debug/heap", gin.WrapH(pprof.Handler("heap")))
	// Serve until killed.
	t.Fatal(http.Serve(ln, engine))
}

// startChild runs a live server in another process over dbURL.
func startChild(t *testing.T, dbURL string) (*exec.Cmd, string) {
	t.Helper()
	addrFile := filepath.Join(t.TempDir(), "addr")
	cmd := exec.Command(os.Args[0], "-test.run=^TestLiveCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), childDBEnv+"="+dbURL, childAddrEnv+"="+addrFile)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	var addr []byte
	testutil.Eventually(t, 30*time.Second, "the server process to listen", func() bool {
		addr, _ = os.ReadFile(addrFile)
		return len(addr) > 0 || cmd.ProcessState != nil
	})
	if len(addr) == 0 {
		t.Fatalf("server process: %s", out.String())
	}
	return cmd, "ws://" + string(addr)
}

// sent is what one participant sent, in order.
type sent struct {
	mu      sync.Mutex
	order   []string          // vote_ids
	choices map[string]string // vote_id → choice
}

// SIGKILL under load loses no acknowledged vote, and a restarted server
// rebuilds every tally exactly from the database.
func TestLiveSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		st := store.New(db)
		o := newOrg(t, st, "Crash Program")
		sess, err := st.CreateLiveSession(ctx, o.ID, "", store.LiveSessionInput{SiteID: o.Site.ID, Title: "Crash", Language: "en"})
		if err != nil {
			t.Fatal(err)
		}
		rd, err := st.CreateRound(ctx, o.ID, sess.ID, store.RoundInput{Kind: tally.Pick, Prompt: "Which?", Options: []string{"a", "b", "c"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.SetRoundState(ctx, o.ID, rd.ID, store.ActionOpen); err != nil {
			t.Fatal(err)
		}
		cmd, base := startChild(t, db.Source)

		const people = 20
		clients := make([]*wsClient, people)
		record := make([]*sent, people)
		tokens := make([]string, people)
		for i := range clients {
			c, _, err := dialWS(t, base+"/api/v1/live/"+sess.Code+"/ws", nil)
			if err != nil {
				t.Fatal(err)
			}
			clients[i], record[i] = c, &sent{choices: map[string]string{}}
			tokens[i] = c.welcome()["participant"].(string)
		}
		// Each person changes their vote on a schedule, without waiting
		// for answers, until the server is killed.
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for i, c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tick := time.NewTicker(60 * time.Millisecond)
				defer tick.Stop()
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					case <-tick.C:
					}
					id := fmt.Sprintf("p%d-%d", i, n)
					choice := []string{"a", "b", "c"}[(i+n)%3]
					record[i].mu.Lock()
					record[i].order = append(record[i].order, id)
					record[i].choices[id] = choice
					record[i].mu.Unlock()
					if c.conn.WriteJSON(map[string]any{"type": "vote", "vote_id": id, "round_id": rd.ID, "choice": choice}) != nil {
						return
					}
				}
			}()
		}
		acked := func() int {
			n := 0
			for _, c := range clients {
				n += c.count(isMsg("ack"))
			}
			return n
		}
		testutil.Eventually(t, 60*time.Second, "300 acknowledged votes", func() bool { return acked() >= 300 })
		if err := cmd.Process.Kill(); err != nil { // SIGKILL
			t.Fatal(err)
		}
		_ = cmd.Wait()
		close(stop)
		wg.Wait()

		// Every participant's stored vote is their last acknowledged one
		// or one they sent after it.
		for i, c := range clients {
			var p models.LiveParticipant
			if err := db.Where("token_hash = ?", auth.HashSecret(tokens[i])).First(&p).Error; err != nil {
				t.Fatalf("participant %d: %v", i, err)
			}
			var v models.LiveVote
			if err := db.Where("round_id = ? AND participant_id = ?", rd.ID, p.ID).First(&v).Error; err != nil {
				t.Fatalf("participant %d has no vote: %v", i, err)
			}
			last := -1
			for _, a := range c.all("ack") {
				last = max(last, slices.Index(record[i].order, a["vote_id"].(string)))
			}
			at := slices.Index(record[i].order, v.VoteID)
			if at < 0 || at < last || string(v.Choice) != `"`+record[i].choices[v.VoteID]+`"` {
				t.Errorf("participant %d: stored %s (%s), sent #%d, last acknowledged #%d", i, v.VoteID, v.Choice, at, last)
			}
		}

		// A restarted server shows exactly the tally the stored votes make.
		_, base = startChild(t, db.Source)
		want := map[string]int{"a": 0, "b": 0, "c": 0}
		var votes []models.LiveVote
		db.Where("round_id = ?", rd.ID).Find(&votes)
		for _, v := range votes {
			var choice string
			_ = json.Unmarshal(v.Choice, &choice)
			want[choice]++
		}
		boss := session(t, db, st, o.Users[models.RoleFacilitator], o.ID)
		view, _, err := dialWS(t, base+"/api/v1/live/"+sess.Code+"/screen", headerOf(boss))
		if err != nil {
			t.Fatal(err)
		}
		tl := view.waitFor("the rebuilt tally", isMsg("tally"))
		if got := countsOf(tl); !maps.Equal(got, want) || int(tl["voters"].(float64)) != len(votes) {
			t.Fatalf("rebuilt tally %v, want %v with %d voters", tl, want, len(votes))
		}
	})
}
