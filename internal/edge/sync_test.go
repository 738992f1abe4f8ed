package edge_test

import (
	"context"
	"errors"
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
	"github.com/chorus-hr/chorus/internal/metrics"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// An item upstream refuses is set aside on the van (kept, counted on the
// console) and the rest of its batch is stored; revoking the device stops
// the next sync and says so. Upstream on each database, the van on SQLite.
func TestRefusedItemIsSetAsideAndRevocationShows(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, mainDB *database.DB) {
		ctx := context.Background()
		st := store.New(mainDB)
		org, err := st.CreateOrganization(ctx, "Van Program")
		if err != nil {
			t.Fatal(err)
		}
		site, err := st.CreateSite(ctx, org.ID, store.SiteInput{Name: "Van", Kind: "mobile", Setting: "rural", TimeZone: "America/Chicago"})
		if err != nil {
			t.Fatal(err)
		}
		device, en, err := st.By(nil).CreateEdgeDevice(ctx, org.ID, site.ID, "Van laptop")
		if err != nil {
			t.Fatal(err)
		}
		srv := upstream(t, mainDB)

		van := testutil.NewDB(t, database.SQLite)
		client := edge.NewClient(srv.URL, "")
		enrolled, err := client.Enroll(ctx, en.Code)
		if err != nil {
			t.Fatal(err)
		}
		if err := edge.SaveEnrollment(ctx, van.DB, srv.URL, enrolled, time.Now()); err != nil {
			t.Fatal(err)
		}
		client.Token = enrolled.Token
		vanStore := store.New(van)
		for i, need := range []string{"housing", "teleportation", "food"} {
			s := models.Submission{ID: fmt.Sprintf("00000000-0000-4000-8000-00000000000%d", i), OrganizationID: org.ID, SiteID: site.ID,
				Channel: models.ChannelKiosk, Language: "en", Day: models.DayOf(time.Now(), time.UTC), Needs: models.Codes{need},
				Priorities: models.Codes{}, Strengths: models.Codes{}, About: models.Bands{}, IdempotencyKey: []byte{byte(i)}, RequestHash: []byte("h")}
			if err := van.Create(&s).Error; err != nil {
				t.Fatal(err)
			}
		}
		syncer := &edge.Syncer{DB: van.DB, Client: client, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Every: time.Second, MaxBackoff: time.Second, Now: time.Now}
		var refused *edge.RefusedError
		if err := syncer.Once(ctx); !errors.As(err, &refused) || refused.Fields["items[1].submission.needs[0]"] == "" {
			t.Fatalf("first sync: %v, want the unknown need refused", err)
		}
		if err := syncer.Once(ctx); err != nil {
			t.Fatalf("second sync: %v", err)
		}
		var upstream int64
		mainDB.Model(&models.Submission{}).Where("organization_id = ?", org.ID).Count(&upstream)
		console, err := vanStore.EdgeConsole(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if upstream != 2 || console.SetAside != 1 || console.Waiting[edge.KindSubmission] != 0 || console.Sent != 2 || !console.Online {
			t.Fatalf("after the refusal: %d upstream, console %+v", upstream, console)
		}
		var kept int64
		van.Model(&models.Submission{}).Count(&kept)
		if kept != 1 {
			t.Fatalf("the van keeps %d submissions, want the refused one", kept)
		}

		if _, err := st.By(nil).RevokeEdgeDevice(ctx, org.ID, device.ID); err != nil {
			t.Fatal(err)
		}
		if err := syncer.Once(ctx); !errors.Is(err, edge.ErrRevoked) {
			t.Fatalf("sync after revocation: %v", err)
		}
		if console, err = vanStore.EdgeConsole(ctx); err != nil || !console.Revoked || console.LastError == "" {
			t.Fatalf("console after revocation: %+v %v", console, err)
		}
	})
}

// upstream serves the main server's API on db over real HTTP.
func upstream(t *testing.T, db *database.DB) *httptest.Server {
	t.Helper()
	handler, err := api.New(api.Deps{Config: &config.Config{BaseURL: "http://main.test"}, DB: db, Log: testutil.Logger(),
		Metrics: metrics.New(), Frontend: frontend.Dist()})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return srv
}
