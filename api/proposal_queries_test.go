package api

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// The public board (unauthenticated) and the proposals report cost as many
// statements for many proposals as for one, and the report lists at most
// reportedProposals, newest first, without drafts.
func TestBoardAndProposalsReportDoNotQueryPerProposal(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		counter := testutil.NewStatements()
		s := newTestServer(t, &database.DB{DB: db.Session(&gorm.Session{Logger: counter}), Dialect: db.Dialect, Source: db.Source})
		o := newOrg(t, s.store, "Busy Program")
		ka, err := s.store.KioskByToken(ctx, o.KioskToken)
		if err != nil {
			t.Fatal(err)
		}
		var slug string
		if err := db.Model(&models.Organization{}).Where("id = ?", o.ID).Pluck("slug", &slug).Error; err != nil {
			t.Fatal(err)
		}
		// Each proposal is about the storefront, open, with an update and a
		// kiosk answer; the clock moves so "newest first" is well defined.
		var open []string
		add := func(status string) string {
			t.Helper()
			s.clock.Advance(time.Second)
			p, err := s.store.CreateProposal(ctx, o.ID, o.Users[models.RoleStaff], store.ProposalInput{
				Title: models.Text{"en": "Idea", "es": "Idea"}, Description: models.Text{"en": "Details.", "es": "Detalles."},
				Origin: models.OriginStaff, SiteIDs: []string{o.Site.ID}})
			if err != nil {
				t.Fatal(err)
			}
			if status == models.StatusDraft {
				return p.ID
			}
			if _, err := s.store.PostUpdate(ctx, o.ID, p.ID, o.Users[models.RoleStaff], store.UpdateInput{Status: models.StatusOpen,
				Body: models.Text{"en": "Open", "es": "Abierta"}}); err != nil {
				t.Fatal(err)
			}
			if _, err := s.store.Support(ctx, ka, "key-"+p.ID, []byte(p.ID), p.ID, models.AnswerAgree); err != nil {
				t.Fatal(err)
			}
			open = append(open, p.ID)
			return p.ID
		}
		get := func(path string, c caller, into any) int {
			t.Helper()
			counter.Reset()
			r := s.as(c, "GET", path, nil)
			wantStatus(t, r, 200)
			n := len(counter.All())
			if err := json.Unmarshal(r.Body.Bytes(), into); err != nil {
				t.Fatal(err)
			}
			return n
		}
		type listed struct {
			Proposals []struct{ ID, Status string } `json:"proposals"`
		}
		measure := func(wantBoard, wantReport int) (board, report int) {
			t.Helper()
			var b, rep listed
			board = get("/api/v1/public/"+slug+"/board", anonymous, &b)
			// A fresh session each time: an older one is touched (one more
			// statement) once a minute has passed.
			staff := session(t, db, s.store, o.Users[models.RoleStaff], o.ID)
			report = get("/api/v1/reports/proposals", staff, &rep)
			if len(b.Proposals) != wantBoard || len(rep.Proposals) != wantReport {
				t.Fatalf("board lists %d and report %d proposals, want %d and %d", len(b.Proposals), len(rep.Proposals), wantBoard, wantReport)
			}
			newest := slices.Clone(open)
			slices.Reverse(newest)
			for i, p := range rep.Proposals {
				if p.ID != newest[i] || p.Status != models.StatusOpen {
					t.Fatalf("report proposal %d is %s (%s), want %s, open", i, p.ID, p.Status, newest[i])
				}
			}
			return board, report
		}

		add(models.StatusDraft)
		add(models.StatusOpen)
		board1, report1 := measure(1, 1)
		for len(open) < reportedProposals+10 {
			add(models.StatusOpen)
		}
		add(models.StatusDraft)
		boardMany, reportMany := measure(boardSize, reportedProposals)
		if boardMany != board1 || reportMany != report1 {
			t.Errorf("statements for 1 and %d proposals: board %d and %d, report %d and %d; want the same",
				len(open), board1, boardMany, report1, reportMany)
		}
	})
}
