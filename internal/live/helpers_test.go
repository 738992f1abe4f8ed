package live

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m,
		// database/sql keeps a connection opener per pool until Close.
		goleak.IgnoreTopFunction("database/sql.(*DB).connectionOpener"),
	)
}

// waitTimeout bounds every wait on a condition in these tests.
const waitTimeout = 10 * time.Second

type fixture struct {
	t       *testing.T
	db      *database.DB
	st      *store.Store
	orgID   string
	session models.LiveSession
}

func newFixture(t *testing.T, db *database.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	st := store.New(db)
	org, err := st.CreateOrganization(ctx, "Hub Program")
	if err != nil {
		t.Fatal(err)
	}
	site, err := st.CreateSite(ctx, org.ID, store.SiteInput{Name: "Van", Kind: "mobile", Setting: "rural", TimeZone: "America/Chicago"})
	if err != nil {
		t.Fatal(err)
	}
	sess, err := st.CreateLiveSession(ctx, org.ID, "", store.LiveSessionInput{SiteID: site.ID, Title: "Meeting", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, db: db, st: st, orgID: org.ID, session: sess}
}

// openRound creates a round, opens it and tells the hubs.
func (f *fixture) openRound(in store.RoundInput, hubs ...*Hub) models.LiveRound {
	f.t.Helper()
	r, err := f.st.CreateRound(context.Background(), f.orgID, f.session.ID, in)
	if err != nil {
		f.t.Fatal(err)
	}
	return f.act(r.ID, store.ActionOpen, hubs...)
}

func (f *fixture) act(roundID, action string, hubs ...*Hub) models.LiveRound {
	f.t.Helper()
	ch, err := f.st.SetRoundState(context.Background(), f.orgID, roundID, action)
	if err != nil {
		f.t.Fatalf("%s round: %v", action, err)
	}
	for _, h := range hubs[:min(1, len(hubs))] {
		h.Updated(context.Background(), append(ch.Closed, ch.Round)...)
	}
	return ch.Round
}

func newHub(t *testing.T, st Store, opts Options) *Hub {
	t.Helper()
	opts.Store = st
	h := New(opts)
	t.Cleanup(func() { h.Close(context.Background()) })
	return h
}

// probe reads a client's messages as a connection's writer would.
type probe struct {
	t    *testing.T
	c    *Client
	mu   sync.Mutex
	msgs []map[string]any
	raw  []*Message
	at   []time.Time
	wake chan struct{}
	done chan struct{}
}

// connect opens a client and reads it until the test ends.
func connect(t *testing.T, h *Hub, sess models.LiveSession, role Role) *probe {
	t.Helper()
	return join(t, h, sess, role, nil)
}

// join opens a client with a join limit (admit) and reads it until the
// test ends.
func join(t *testing.T, h *Hub, sess models.LiveSession, role Role, admit func() bool) *probe {
	t.Helper()
	c, err := h.Join(context.Background(), sess, role, admit)
	if err != nil {
		t.Fatal(err)
	}
	p := &probe{t: t, c: c, wake: make(chan struct{}, 1), done: make(chan struct{})}
	c.Start(func() {
		select {
		case p.wake <- struct{}{}:
		default:
		}
	})
	go p.read()
	t.Cleanup(p.leave)
	return p
}

func (p *probe) read() {
	defer close(p.done)
	var buf []*Message
	for closed := false; !closed; {
		select {
		case <-p.wake:
		case <-p.c.Done():
			// What was queued before the close is still delivered.
			closed = true
		}
		buf = p.c.Drain(buf[:0])
		now := time.Now()
		p.mu.Lock()
		for _, msg := range buf {
			b := msg.Data()
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				p.t.Errorf("server sent invalid JSON %q", b)
			}
			p.msgs = append(p.msgs, m)
			p.raw = append(p.raw, msg)
			p.at = append(p.at, now)
		}
		p.mu.Unlock()
	}
}

func (p *probe) leave() {
	p.c.Leave()
	<-p.done
}

// rawTally returns the message that carried a tally at exactly seq.
func (p *probe) rawTally(seq int64) *Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, m := range p.msgs {
		if m["type"] == TypeTally && int64(m["seq"].(float64)) == seq {
			return p.raw[i]
		}
	}
	return nil
}

// all returns the messages of a type received so far.
func (p *probe) all(typ string) []map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []map[string]any
	for _, m := range p.msgs {
		if m["type"] == typ {
			out = append(out, m)
		}
	}
	return out
}

// waitFor waits until some message satisfies match and returns it.
func (p *probe) waitFor(what string, match func(m map[string]any) bool) map[string]any {
	p.t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for {
		p.mu.Lock()
		for _, m := range p.msgs {
			if match(m) {
				p.mu.Unlock()
				return m
			}
		}
		p.mu.Unlock()
		if time.Now().After(deadline) {
			p.t.Fatalf("timed out waiting for %s; got %v", what, p.msgs)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (p *probe) token() string {
	p.t.Helper()
	w := p.waitFor("welcome", isType(TypeWelcome))
	tok, _ := w["participant"].(string)
	return tok
}

func (p *probe) vote(voteID, roundID string, choice any) {
	p.t.Helper()
	raw, err := json.Marshal(map[string]any{"type": "vote", "vote_id": voteID, "round_id": roundID, "choice": choice})
	if err != nil {
		p.t.Fatal(err)
	}
	p.c.Handle(context.Background(), raw)
}

// ack waits for the answer to a vote and returns its seq.
func (p *probe) ack(voteID string) int64 {
	p.t.Helper()
	m := p.waitFor("ack of "+voteID, func(m map[string]any) bool {
		return (m["type"] == TypeAck || m["type"] == TypeError) && m["vote_id"] == voteID
	})
	if m["type"] != TypeAck {
		p.t.Fatalf("vote %s: %v", voteID, m)
	}
	return int64(m["seq"].(float64))
}

// tallyAt waits for a tally of a round at seq or later.
func (p *probe) tallyAt(roundID string, seq int64) map[string]any {
	p.t.Helper()
	return p.waitFor("tally", func(m map[string]any) bool {
		return m["type"] == TypeTally && m["round_id"] == roundID && int64(m["seq"].(float64)) >= seq
	})
}

func isType(typ string) func(map[string]any) bool {
	return func(m map[string]any) bool { return m["type"] == typ }
}

func counts(m map[string]any) map[string]int {
	c, ok := m["counts"].(map[string]any)
	if !ok {
		return nil
	}
	out := map[string]int{}
	for k, v := range c {
		out[k] = int(v.(float64))
	}
	return out
}
