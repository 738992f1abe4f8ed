// Package edgebench measures van mode's sync (docs/van-mode.md): a van that
// was offline for a week sends 5,000 kiosk submissions and 50 meetings to
// a main server on PostgreSQL, over real HTTP, and must be done in under
// 30 seconds.
//
//	TEST_DATABASE_URL=postgres://… go test ./bench/edge -run '^$' -bench WeekOffline -benchtime 1x
package edgebench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/api"
	"github.com/chorus-hr/chorus/frontend"
	"github.com/chorus-hr/chorus/internal/config"
	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/internal/live/tally"
	"github.com/chorus-hr/chorus/internal/metrics"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

const (
	weekSubmissions = 5000
	weekSessions    = 50
	budget          = 30 * time.Second
)

func BenchmarkWeekOfflineSync(b *testing.B) {
	for range b.N {
		b.StopTimer()
		ctx := context.Background()
		mainDB := testutil.NewDB(b, database.Postgres)
		st := store.New(mainDB)
		org, err := st.CreateOrganization(ctx, "Week Van")
		if err != nil {
			b.Fatal(err)
		}
		site, err := st.CreateSite(ctx, org.ID, store.SiteInput{Name: "Van", Kind: "mobile", Setting: "rural", TimeZone: "America/Chicago"})
		if err != nil {
			b.Fatal(err)
		}
		_, en, err := st.By(nil).CreateEdgeDevice(ctx, org.ID, site.ID, "Van laptop")
		if err != nil {
			b.Fatal(err)
		}
		handler, err := api.New(api.Deps{Config: &config.Config{BaseURL: "http://main.test"}, DB: mainDB,
			Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: metrics.New(), Frontend: frontend.Dist()})
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(handler)
		b.Cleanup(srv.Close)

		vanDB := testutil.NewDB(b, database.SQLite)
		client := edge.NewClient(srv.URL, "")
		enrolled, err := client.Enroll(ctx, en.Code)
		if err != nil {
			b.Fatal(err)
		}
		if err := edge.SaveEnrollment(ctx, vanDB.DB, srv.URL, enrolled, time.Now()); err != nil {
			b.Fatal(err)
		}
		client.Token = enrolled.Token
		fillWeek(b, vanDB, org.ID, site.ID)
		syncer := &edge.Syncer{DB: vanDB.DB, Client: client, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Every: time.Second, MaxBackoff: time.Second, Now: time.Now}

		b.StartTimer()
		start := time.Now()
		if err := syncer.Once(ctx); err != nil {
			b.Fatal(err)
		}
		took := time.Since(start)
		b.StopTimer()

		var subs, sessions, votes int64
		mainDB.Model(&models.Submission{}).Where("organization_id = ?", org.ID).Count(&subs)
		mainDB.Model(&models.LiveSession{}).Where("organization_id = ?", org.ID).Count(&sessions)
		vanDB.Model(&models.LiveVote{}).Count(&votes)
		if subs != weekSubmissions || sessions != weekSessions || votes != 0 {
			b.Fatalf("after the sync: %d submissions and %d sessions upstream, %d votes left on the van", subs, sessions, votes)
		}
		b.ReportMetric(took.Seconds(), "s/week")
		b.Logf("a week offline (%d submissions, %d meetings) synced in %v", weekSubmissions, weekSessions, took.Round(time.Millisecond))
		if took > budget {
			b.Fatalf("the sync took %v, over the %v budget", took, budget)
		}
	}
}

// fillWeek records a week of a van's work straight into its database: 5,000
// submissions (one in five with free text) over seven days, and 50 ended
// meetings of 20 people with a round of each kind and every vote.
func fillWeek(b *testing.B, db *database.DB, orgID, siteID string) {
	b.Helper()
	day := models.DayOf(time.Now(), time.UTC)
	var subs []models.Submission
	var texts []models.FeedbackText
	for i := range weekSubmissions {
		s := models.Submission{ID: models.NewID(), OrganizationID: orgID, SiteID: siteID, Channel: models.ChannelKiosk, Language: "en",
			Day: day.AddDays(-(i % 7)), Needs: models.Codes{"housing", "food"}, Priorities: models.Codes{"housing"}, Strengths: models.Codes{},
			About: models.Bands{}, IdempotencyKey: []byte(fmt.Sprintf("key-%d", i)), RequestHash: []byte("h")}
		subs = append(subs, s)
		if i%5 == 0 {
			texts = append(texts, models.FeedbackText{ID: models.NewID(), SubmissionID: s.ID, OrganizationID: orgID, SiteID: siteID,
				Day: s.Day, Body: "The van should stay longer on Tuesdays, and bring more sterile supplies.", State: models.TextPending})
		}
	}
	if err := db.CreateInBatches(&subs, 500).Error; err != nil {
		b.Fatal(err)
	}
	if err := db.CreateInBatches(&texts, 500).Error; err != nil {
		b.Fatal(err)
	}
	kinds := []struct {
		kind    string
		options []string
		max     *int
		dots    *int
		choice  string
		tally   tally.Tally
	}{
		{tally.Agree, tally.AgreeOptions, nil, nil, `"agree"`, tally.Tally{Voters: 20, Votes: map[string]int{"agree": 20}, Hand: map[string]int{"agree": 3}}},
		{tally.Scale, tally.ScaleOptions, nil, nil, `"4"`, tally.Tally{Voters: 20, Votes: map[string]int{"4": 20}}},
		{tally.Pick, []string{"Tue", "Thu"}, nil, nil, `"Tue"`, tally.Tally{Voters: 20, Votes: map[string]int{"Tue": 20}}},
		{tally.Rank, []string{"A", "B", "C"}, ptr(3), nil, `["A","B"]`, tally.Tally{Voters: 20, Votes: map[string]int{"A": 60, "B": 40}, First: map[string]int{"A": 20}}},
		{tally.Dots, []string{"X", "Y"}, nil, ptr(5), `{"X":3,"Y":2}`, tally.Tally{Voters: 20, Votes: map[string]int{"X": 60, "Y": 40}}},
	}
	for s := range weekSessions {
		ended := time.Now().Add(-time.Duration(s) * 3 * time.Hour)
		sess := models.LiveSession{ID: models.NewID(), OrganizationID: orgID, SiteID: siteID, Title: fmt.Sprintf("Van meeting %d", s),
			Language: "en", Code: "EDGE00", State: models.LiveEnded, CreatedAt: ended.Add(-time.Hour), EndedAt: &ended}
		if err := db.Create(&sess).Error; err != nil {
			b.Fatal(err)
		}
		var people []models.LiveParticipant
		for p := range 20 {
			people = append(people, models.LiveParticipant{ID: models.NewID(), SessionID: sess.ID, TokenHash: []byte(fmt.Sprintf("%s-%d", sess.ID, p))})
		}
		if err := db.Create(&people).Error; err != nil {
			b.Fatal(err)
		}
		for pos, k := range kinds {
			r := models.LiveRound{ID: models.NewID(), SessionID: sess.ID, Position: pos, Kind: k.kind, Prompt: "Question " + k.kind,
				Options: k.options, MaxRank: k.max, Dots: k.dots, State: models.RoundClosed, Seq: 21, Tally: k.tally.Encode()}
			if err := db.Create(&r).Error; err != nil {
				b.Fatal(err)
			}
			var votes []models.LiveVote
			for p, person := range people {
				votes = append(votes, models.LiveVote{RoundID: r.ID, ParticipantID: person.ID, VoteID: fmt.Sprintf("v%d", p), Choice: models.RawJSON(k.choice)})
			}
			if err := db.Create(&votes).Error; err != nil {
				b.Fatal(err)
			}
		}
	}
}

func ptr(n int) *int { return &n }
