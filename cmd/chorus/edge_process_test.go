package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// syncWait bounds waits on the edge's background sync.
const syncWait = 60 * time.Second

// A van runs a whole session while cut off from the main server (a main
// server on PostgreSQL, the edge on SQLite, a TCP proxy between them that
// the test cuts): rounds of each kind, 20 participants over websockets, a
// hand count, and kiosk submissions. Once the link is back, the main
// server's session report and the proposal's support show the session
// exactly once, and the van deletes its participant tokens and votes. An
// edge killed with SIGKILL mid-sync (upstream stored the batch, the answer
// was lost) and restarted, and a batch replayed by hand, change nothing
// more. Revoking the device stops the next sync with a clear message, and
// the van keeps its data.
//
// The main server runs on PostgreSQL when TEST_DATABASE_URL is set (the
// case the issue asks for), and on SQLite always, so the test still runs
// without PostgreSQL.
func TestVanSessionSyncsExactlyOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts server processes")
	}
	for _, d := range testutil.Dialects(t) {
		t.Run("main on "+string(d), func(t *testing.T) { vanSessionSyncsExactlyOnce(t, d) })
	}
}

func vanSessionSyncsExactlyOnce(t *testing.T, dialect database.Dialect) {
	ctx := context.Background()
	mainURL := testutil.NewDatabaseURL(t, dialect)
	bin := buildChorus(t)
	admin := bootstrapWithSite(t, mainURL, "Van")
	main := startServe(t, bin, mainURL)
	mainDB, err := database.Open(ctx, mainURL, testutil.Logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = mainDB.Close() })
	st := store.New(mainDB)
	org, err := st.OrganizationByName(ctx, "Van")
	if err != nil {
		t.Fatal(err)
	}
	site, err := st.SiteByName(ctx, org.ID, "Hall")
	if err != nil {
		t.Fatal(err)
	}
	proposal := openProposal(t, st, org.ID, site.ID)

	// Upstream is reached through an HTTP relay that can lose answers,
	// behind a TCP proxy that the test cuts.
	loser := newAnswerLoser(t, main.base)
	proxy := testutil.NewProxy(t, strings.TrimPrefix(loser.srv.URL, "http://"))
	var created struct {
		Device     models.EdgeDevice
		Enrollment store.Enrollment
	}
	mustCall(t, main.base, admin, "POST", "/api/v1/edge-devices", map[string]any{"site_id": site.ID, "name": "Van laptop"}, &created)
	edgeDB := filepath.Join(t.TempDir(), "van.db")
	edgeEnv := map[string]string{"DATABASE_URL": edgeDB, "CHORUS_EDGE_PASSPHRASE": "sterile supplies on tuesday"}
	if r := runWith(ctx, edgeEnv, "edge", "enroll", "--upstream", "http://"+proxy.Addr(), "--code", created.Enrollment.Code); r.code != 0 {
		t.Fatalf("chorus edge enroll: %+v", r)
	}
	if r := runWith(ctx, edgeEnv, "edge", "enroll", "--upstream", "http://"+proxy.Addr(), "--code", created.Enrollment.Code); r.code != 2 || !strings.Contains(r.stderr, "--code") {
		t.Fatalf("a used code: %+v", r)
	}
	facilitator := lastLine(runWith(ctx, edgeEnv, "admin", "token", "--email", edge.FacilitatorEmail).stdout)
	kiosk := lastLine(runWith(ctx, edgeEnv, "admin", "kiosk", "add", "--org", "Van", "--site", "Hall").stdout)
	tablet := runWith(ctx, edgeEnv, "edge", "kiosk", "--name", "Van tablet 2")
	if tablet.code != 0 || !strings.Contains(tablet.stdout, "/kiosk#enroll=") {
		t.Fatalf("chorus edge kiosk: %+v", tablet)
	}

	proxy.Cut()
	van := startEdge(t, bin, edgeDB)
	// The passphrase unlocks the van's console; staff passwords never
	// reach the van.
	if s := call(t, van.base, "", "POST", "/api/v1/auth/signin", map[string]string{"email": edge.FacilitatorEmail, "password": "sterile supplies on tuesday"}, nil); s != 200 {
		t.Fatalf("sign-in with the passphrase: %d", s)
	}
	// A tablet set up on the van with the code chorus edge kiosk printed.
	var tabletToken struct{ Token string }
	mustCall(t, van.base, "", "POST", "/api/v1/kiosk/enroll", map[string]string{"code": lastLine(tablet.stdout)}, &tabletToken)
	if tabletToken.Token == "" {
		t.Fatal("the van's tablet got no token")
	}
	sessionID := runVanSession(t, van, facilitator, site.ID, proposal.ID)
	for i := range 3 {
		mustCall(t, van.base, kiosk, "POST", "/api/v1/kiosk/submissions", map[string]any{"language": "en", "needs": []string{"housing"},
			"text": "There was an overdose near the bridge"}, nil, "Idempotency-Key", fmt.Sprintf("cut-%d", i))
	}
	var console store.EdgeConsole
	testutil.Eventually(t, syncWait, "the van to say it is offline with one session and three submissions waiting", func() bool {
		mustCall(t, van.base, facilitator, "GET", "/api/v1/edge/console", nil, &console)
		return console.Edge && !console.Online && console.Waiting["session"] == 1 && console.Waiting["submission"] == 3
	})
	if n := count(t, mainDB, "SELECT COUNT(*) FROM live_sessions WHERE organization_id = ?", org.ID); n != 0 {
		t.Fatalf("the main server has %d sessions while cut off", n)
	}

	proxy.Restore()
	testutil.Eventually(t, syncWait, "the van to sync", func() bool {
		mustCall(t, van.base, facilitator, "GET", "/api/v1/edge/console", nil, &console)
		return console.Online && console.Waiting["session"] == 0 && console.Waiting["submission"] == 0 && console.SyncedAt != nil
	})
	checkMainOnce(t, st, mainDB, org.ID, proposal.ID, 3)
	checkSessionReport(t, main.base, admin)
	vanDB, err := database.Open(ctx, edgeDB, testutil.Logger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = vanDB.Close() })
	for _, table := range []string{"live_participants", "live_votes", "submissions", "feedback_texts"} {
		if n := count(t, vanDB, "SELECT COUNT(*) FROM "+table); n != 0 {
			t.Errorf("the van still holds %d rows of %s after the sync was confirmed", n, table)
		}
	}
	// The urgent words raised the alert on the van at once (and upstream
	// on arrival, checkMainOnce); the van's alerts keep no text.
	if n := count(t, vanDB, "SELECT COUNT(*) FROM alerts WHERE feedback_text_id IS NULL"); n != 3 {
		t.Errorf("the van holds %d urgent-word alerts without their text, want 3", n)
	}
	if n := count(t, vanDB, "SELECT COUNT(*) FROM live_summaries WHERE session_id = ?", sessionID); n != 1 {
		t.Errorf("the van's own summary of the session: %d rows", n)
	}

	// Killed mid-sync: upstream stores the batch, the answer is lost, the
	// van dies; restarted, it sends the same batch and is told it was
	// stored.
	loser.setLose(true)
	batchesBefore := count(t, mainDB, "SELECT COUNT(*) FROM edge_batches")
	for i := range 20 {
		mustCall(t, van.base, kiosk, "POST", "/api/v1/kiosk/submissions", map[string]any{"language": "es", "needs": []string{"food"}},
			nil, "Idempotency-Key", fmt.Sprintf("kill-%d", i))
	}
	testutil.Eventually(t, syncWait, "upstream to store a batch whose answer is lost", func() bool {
		return count(t, mainDB, "SELECT COUNT(*) FROM edge_batches") > batchesBefore
	})
	_ = van.cmd.Process.Kill()
	<-van.exited
	if n := count(t, vanDB, "SELECT COUNT(*) FROM edge_outbox WHERE confirmed_at IS NULL AND batch_id IS NOT NULL"); n == 0 {
		t.Fatal("the killed van has no unconfirmed batch: the kill came too late to test anything")
	}
	loser.setLose(false)
	van = startEdge(t, bin, edgeDB)
	testutil.Eventually(t, syncWait, "the restarted van to sync", func() bool {
		mustCall(t, van.base, facilitator, "GET", "/api/v1/edge/console", nil, &console)
		return console.Online && console.Waiting["submission"] == 0 && console.Waiting["session"] == 0
	})
	checkMainOnce(t, st, mainDB, org.ID, proposal.ID, 23)

	// A batch replayed by hand is answered as before and changes nothing.
	// The delivery worker routes new alerts once a second (marking them
	// routed): let it finish first, or its pass lands between the
	// snapshots (CI saw "a replayed batch changed [alerts]" once).
	testutil.Eventually(t, syncWait, "upstream's alerts to be routed", func() bool {
		return count(t, mainDB, "SELECT COUNT(*) FROM alerts WHERE routed = ?", false) == 0
	})
	body, auth := loser.last()
	before := testutil.Snapshot(t, mainDB)
	var replay edge.BatchResult
	mustCall(t, main.base, strings.TrimPrefix(auth, "Bearer "), "POST", edge.PathBatches, jsonRaw(body), &replay)
	if changed := testutil.ChangedTables(before, testutil.Snapshot(t, mainDB)); len(changed) > 0 {
		t.Fatalf("a replayed batch changed %v", changed)
	}
	checkMainOnce(t, st, mainDB, org.ID, proposal.ID, 23)

	// Revoked upstream: the next sync stops with a clear message, and what
	// the van recorded since stays on it.
	mustCall(t, main.base, admin, "POST", "/api/v1/edge-devices/"+created.Device.ID+"/revoke", nil, nil)
	mustCall(t, van.base, kiosk, "POST", "/api/v1/kiosk/submissions", map[string]any{"language": "en", "needs": []string{"food"}}, nil, "Idempotency-Key", "after-revoke")
	testutil.Eventually(t, syncWait, "the van console to say it was revoked", func() bool {
		mustCall(t, van.base, facilitator, "GET", "/api/v1/edge/console", nil, &console)
		return console.Revoked && strings.Contains(console.LastError, "revoked")
	})
	if console.Waiting["submission"] != 1 || count(t, vanDB, "SELECT COUNT(*) FROM submissions") != 1 {
		t.Fatalf("after revocation the van shows %v waiting", console.Waiting)
	}
	checkMainOnce(t, st, mainDB, org.ID, proposal.ID, 23)
	checkSessionReport(t, main.base, admin)
}

// checkSessionReport reads the main server's session report as staff see
// it: one meeting, and the 20 people who took part in the van.
func checkSessionReport(t *testing.T, base, token string) {
	t.Helper()
	today := time.Now().UTC().Format("2006-01-02")
	var rep struct {
		Meetings []struct {
			Total int `json:"held_total"`
		} `json:"sessions"`
		Total *int `json:"participants_total"`
	}
	mustCall(t, base, token, "GET", "/api/v1/reports/sessions?from="+today+"&to="+today, nil, &rep)
	held := 0
	for _, m := range rep.Meetings {
		held += m.Total
	}
	if held != 1 || rep.Total == nil || *rep.Total != 20 {
		t.Fatalf("the session report: %d meetings and %v people, want 1 and 20", held, rep.Total)
	}
}

// jsonRaw sends bytes as they are.
type jsonRaw []byte

func (j jsonRaw) MarshalJSON() ([]byte, error) { return j, nil }

func openProposal(t *testing.T, st *store.Store, orgID, siteID string) models.Proposal {
	t.Helper()
	ctx := context.Background()
	p, err := st.CreateProposal(ctx, orgID, models.User{}, store.ProposalInput{Title: models.Text{"en": "Evening hours", "es": "Horario de noche"},
		Description: models.Text{"en": "Open until 9 pm.", "es": "Abrir hasta las 9."}, Origin: models.OriginStaff, Needs: []string{"housing"}, SiteIDs: []string{siteID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.PostUpdate(ctx, orgID, p.ID, models.User{}, store.UpdateInput{Status: models.StatusOpen, Body: models.Text{"en": "Open", "es": "Abierta"}}); err != nil {
		t.Fatal(err)
	}
	return p
}

// checkMainOnce checks that the main server holds the van's session once,
// with its counts in the proposal's support, and submissions submissions.
func checkMainOnce(t *testing.T, st *store.Store, db *database.DB, orgID, proposalID string, submissions int64) {
	t.Helper()
	ctx := context.Background()
	if n := count(t, db, "SELECT COUNT(*) FROM live_sessions WHERE organization_id = ? AND participants = 20 AND edge_device_id IS NOT NULL", orgID); n != 1 {
		t.Fatalf("the main server holds the van's session %d times", n)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM live_summaries WHERE organization_id = ?", orgID); n != 1 {
		t.Fatalf("%d session summaries", n)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM live_participants"); n != 0 {
		t.Fatalf("participant tokens reached the main server: %d", n)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM submissions WHERE organization_id = ?", orgID); n != submissions {
		t.Fatalf("%d submissions upstream, want %d", n, submissions)
	}
	if n := count(t, db, "SELECT COUNT(*) FROM alerts WHERE organization_id = ?", orgID); n != 3 {
		t.Fatalf("%d urgent-word alerts upstream, want 3", n)
	}
	sup, err := st.ProposalSupport(ctx, orgID, proposalID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"agree": 14, "disagree": 4, "unsure": 2}
	if len(sup) != 1 || fmt.Sprint(sup[0].Live) != fmt.Sprint(want) || sup[0].Hand["agree"] != 4 {
		t.Fatalf("the proposal's support upstream: %+v, want live %v and 4 hands", sup, want)
	}
	sessions, err := st.LiveSessions(ctx, orgID)
	if err != nil || len(sessions) != 1 {
		t.Fatalf("sessions: %v %v", sessions, err)
	}
	sum, err := st.LiveSummary(ctx, orgID, sessions[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var summary store.Summary
	if err := json.Unmarshal(sum.Summary, &summary); err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, r := range summary.Rounds {
		kinds = append(kinds, r.Kind)
		if r.Voters != 20 {
			t.Errorf("round %s: %d voters in the summary, want 20", r.Kind, r.Voters)
		}
	}
	if fmt.Sprint(kinds) != "[agree scale pick rank dots]" {
		t.Fatalf("the summary's rounds: %v", kinds)
	}
}
