package live

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

func (p *probe) comment(commentID, roundID, text string) {
	p.t.Helper()
	raw, err := json.Marshal(map[string]any{"type": "comment", "comment_id": commentID, "round_id": roundID, "text": text})
	if err != nil {
		p.t.Fatal(err)
	}
	p.c.Handle(context.Background(), raw)
}

// wire is everything the client was sent, as text.
func (p *probe) wire() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	b, _ := json.Marshal(p.msgs)
	return string(b)
}

// A comment made through one process is counted on the other's screens;
// once staff approve it, the other process's facilitator gets its text at
// once, its projector only after the reveal, and a projector that joins
// there later gets it in its welcome. Before approval no screen of either
// process is sent a word of it.
func TestCommentsReachOtherProcesses(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		one := 1
		if _, err := f.st.UpdateOrganization(ctx, f.orgID, store.OrganizationSettings{MinVoters: &one}); err != nil {
			t.Fatal(err)
		}
		staff, _, err := f.st.CreateMember(ctx, f.orgID, "staff@hub.test", models.RoleStaff, "a long staff password", false)
		if err != nil {
			t.Fatal(err)
		}
		a, b := twoProcesses(t, db, f.st, Options{TallyInterval: 10 * time.Millisecond})
		console := connect(t, b, f.session, Facilitator)
		projector := connect(t, b, f.session, Screen)
		projector.waitFor("welcome", isType(TypeWelcome))
		r := f.openRound(store.RoundInput{Kind: tally.Comment, Prompt: "What did we miss?"}, a)
		projector.waitFor("the comment round opened on the other process", func(m map[string]any) bool {
			return m["type"] == TypeRound && m["round"].(map[string]any)["state"] == models.RoundOpen
		})

		phone := connect(t, a, f.session, Participant)
		phone.comment("c1", r.ID, "The Tuesday group needs a second room.")
		ack := phone.waitFor("ack of c1", func(m map[string]any) bool { return m["comment_id"] == "c1" })
		if ack["type"] != TypeAck {
			t.Fatalf("comment refused: %v", ack)
		}
		seq := int64(ack["seq"].(float64))
		if tl := projector.tallyAt(r.ID, seq); tl["voters"].(float64) != 1 {
			t.Fatalf("the other process's projector counts %v", tl)
		}
		for name, p := range map[string]*probe{"console": console, "projector": projector} {
			if strings.Contains(p.wire(), "second room") {
				t.Fatalf("%s was sent a comment before approval: %s", name, p.wire())
			}
		}

		var texts []models.FeedbackText
		if err := db.Where("live_round_id = ?", r.ID).Find(&texts).Error; err != nil || len(texts) != 1 {
			t.Fatalf("stored comments: %v %v", texts, err)
		}
		if _, err := f.st.Moderate(ctx, f.orgID, texts[0].ID, staff.User, store.DecisionApprove, ""); err != nil {
			t.Fatal(err)
		}
		a.CommentsChanged(ctx, f.session.ID, r.ID)
		console.waitFor("the approved comment on the other process's console", func(m map[string]any) bool {
			return m["type"] == TypeComments && strings.Contains(m["comments"].([]any)[0].(string), "second room")
		})
		if strings.Contains(projector.wire(), "second room") {
			t.Fatal("the projector showed an approved comment before the reveal")
		}

		f.act(r.ID, store.ActionReveal, a)
		a.CommentsChanged(ctx, f.session.ID, r.ID)
		projector.waitFor("the approved comment after the reveal", func(m map[string]any) bool {
			return m["type"] == TypeComments && len(m["comments"].([]any)) == 1
		})
		late := connect(t, b, f.session, Screen)
		late.waitFor("comments in a later projector's welcome", func(m map[string]any) bool {
			return m["type"] == TypeComments && len(m["comments"].([]any)) == 1
		})
	})
}

// countingStore counts the comment transactions the hub asks for.
type countingStore struct {
	*store.Store
	commits atomic.Int32
}

func (s *countingStore) CommitComment(ctx context.Context, in store.CommentInput) (store.CommentOutcome, error) {
	s.commits.Add(1)
	return s.Store.CommitComment(ctx, in)
}

// A phone that repeats its comment, or sends others after it, is answered
// from the connection's memory: one transaction on the round's row, one
// stored comment, an ack for each repeat and already_commented for the rest.
func TestRepeatedCommentsCostOneCommit(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		f := newFixture(t, db)
		counting := &countingStore{Store: f.st}
		h := newHub(t, counting, Options{})
		r := f.openRound(store.RoundInput{Kind: tally.Comment, Prompt: "Anything else?"}, h)
		phone := connect(t, h, f.session, Participant)
		for i := range 5 {
			phone.comment("same", r.ID, "Thank you for the coffee.")
			phone.comment(fmt.Sprint("other-", i), r.ID, "And the socks.")
		}
		testutil.Eventually(t, waitTimeout, "every repeat answered", func() bool {
			return len(phone.all(TypeAck)) == 5 && len(phone.all(TypeError)) == 5
		})
		for _, m := range phone.all(TypeError) {
			if m["code"] != CodeAlreadyCommented {
				t.Fatalf("a later comment: %v", m)
			}
		}
		if n := counting.commits.Load(); n != 1 {
			t.Fatalf("%d comment transactions, want 1", n)
		}
		var stored int64
		if err := db.Model(&models.FeedbackText{}).Where("live_round_id = ?", r.ID).Count(&stored).Error; err != nil || stored != 1 {
			t.Fatalf("stored %d comments (%v), want 1", stored, err)
		}
	})
}
