package live

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// twoProcesses gives two hubs over one database as two processes would
// have them: on PostgreSQL each with its own pool and LISTEN connection;
// on SQLite (one process only) two hubs sharing a memory broker.
func twoProcesses(t *testing.T, db *database.DB, st *store.Store, opts Options) (a, b *Hub) {
	t.Helper()
	ctx := context.Background()
	if db.Dialect != database.Postgres {
		shared := NewMemoryBroker()
		opts.Broker = shared
		return newHub(t, st, opts), newHub(t, st, opts)
	}
	other, err := database.Open(ctx, db.Source, testutil.Logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	hubs := make([]*Hub, 2)
	for i, d := range []*database.DB{db, other} {
		br, err := NewPostgresBroker(ctx, d.Source, d.SQL(), testutil.Logger())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = br.Close() })
		o := opts
		o.Broker = br
		hubs[i] = newHub(t, store.New(d), o)
	}
	return hubs[0], hubs[1]
}

// Two processes on one database act as one: a round opened through one
// reaches clients of the other, and votes cast on either reach every
// client, in seq order, with the same counts.
func TestTwoProcessesActAsOne(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		a, b := twoProcesses(t, db, f.st, Options{TallyInterval: 10 * time.Millisecond})
		screenA := connect(t, a, f.session, Facilitator)
		screenB := connect(t, b, f.session, Facilitator)
		screenB.waitFor("welcome", isType(TypeWelcome))

		r := f.openRound(store.RoundInput{Kind: tally.Pick, Prompt: "Which?", Options: []string{"x", "y", "z"}}, a)
		screenB.waitFor("the round opened on the other process", func(m map[string]any) bool {
			return m["type"] == TypeRound && m["round"].(map[string]any)["state"] == models.RoundOpen
		})
		want := map[string]int{"x": 0, "y": 0, "z": 0}
		var last int64
		for i := range 10 {
			h := []*Hub{a, b}[i%2]
			p := connect(t, h, f.session, Participant)
			choice := []string{"x", "y", "z"}[i%3]
			p.vote(fmt.Sprint(i), r.ID, choice)
			last = max(last, p.ack(fmt.Sprint(i)))
			want[choice]++
		}
		for name, s := range map[string]*probe{"A": screenA, "B": screenB} {
			tl := s.tallyAt(r.ID, last)
			if got := counts(tl); fmt.Sprint(got) != fmt.Sprint(want) || tl["voters"].(float64) != 10 {
				t.Errorf("process %s: %v, want %v", name, tl, want)
			}
			var prev int64
			for _, m := range s.all(TypeTally) {
				seq := int64(m["seq"].(float64))
				if seq <= prev {
					t.Errorf("process %s: tally seq %d after %d", name, seq, prev)
				}
				prev = seq
			}
		}
		sess, _, err := f.st.EndLiveSession(context.Background(), f.orgID, f.session.ID)
		if err != nil {
			t.Fatal(err)
		}
		a.Ended(context.Background(), sess)
		screenB.waitFor("the session ended on the other process", isType(TypeSession))
	})
}

// Schemas sharing a PostgreSQL server use different channels, so parallel
// deployments and tests do not hear each other.
func TestChannelPerSchema(t *testing.T) {
	one := testutil.NewDB(t, database.Postgres)
	two := testutil.NewDB(t, database.Postgres)
	ctx := context.Background()
	c1, err := ChannelName(ctx, one.SQL())
	if err != nil {
		t.Fatal(err)
	}
	c2, err := ChannelName(ctx, two.SQL())
	if err != nil {
		t.Fatal(err)
	}
	if c1 == c2 || len(c1) > 63 {
		t.Fatalf("channels %q and %q", c1, c2)
	}
}

// A tally too large for a NOTIFY payload goes out compact, and the other
// process reads the round back.
func TestLargeTallyCrossesProcesses(t *testing.T) {
	db := testutil.NewDB(t, database.Postgres)
	f := newFixture(t, db)
	a, b := twoProcesses(t, db, f.st, Options{TallyInterval: 10 * time.Millisecond})
	options := make([]string, tally.MaxOptions)
	for i := range options {
		options[i] = fmt.Sprintf("%02d-%0190d", i, 0)
	}
	r := f.openRound(store.RoundInput{Kind: tally.Rank, Prompt: "Order them", Options: options, MaxRank: ptr(20)}, a)
	screenB := connect(t, b, f.session, Facilitator)
	p := connect(t, a, f.session, Participant)
	p.vote("v", r.ID, options)
	seq := p.ack("v")
	hand := map[string]int{}
	for _, o := range options {
		hand[o] = 1
	}
	rd, err := f.st.SetHandCounts(context.Background(), f.orgID, "", r.ID, hand)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := store.UpdateOf(rd)
	if payload, _ := json.Marshal(eventOf(u)); len(payload) < maxNotifyPayload {
		t.Fatalf("the test tally is only %d bytes", len(payload))
	}
	a.Updated(context.Background(), rd)
	tl := screenB.tallyAt(r.ID, max(seq, rd.Seq))
	if got := counts(tl); got[options[0]] != 20+20 {
		t.Fatalf("first option has %d points, want 40", got[options[0]])
	}
}

// When its listening connection breaks, a process reconnects and reads
// back what it missed.
func TestListenerReconnectsAndResyncs(t *testing.T) {
	db := testutil.NewDB(t, database.Postgres)
	f := newFixture(t, db)
	a, b := twoProcesses(t, db, f.st, Options{TallyInterval: 10 * time.Millisecond})
	r := f.openRound(store.RoundInput{Kind: tally.Agree, Prompt: "Agree?"}, a)
	screenB := connect(t, b, f.session, Facilitator)
	channel, err := ChannelName(context.Background(), db.SQL())
	if err != nil {
		t.Fatal(err)
	}
	// Cut every listener of this schema; both processes reconnect.
	var cut int
	if err := db.Raw("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE query = ?", `LISTEN "`+channel+`"`).Scan(&cut).Error; err != nil || cut != 2 {
		t.Fatalf("cut %d listeners, want 2: %v", cut, err)
	}
	p := connect(t, a, f.session, Participant)
	p.vote("v", r.ID, "agree")
	seq := p.ack("v")
	if got := counts(screenB.tallyAt(r.ID, seq)); got["agree"] != 1 {
		t.Fatalf("after reconnecting: %v", got)
	}
}
