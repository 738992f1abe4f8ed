package api

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// The van's passphrase unlocks its console through the usual sign-in, with
// the same back-off as staff passwords; setting a new one (chorus edge
// passphrase) ends the open consoles and the old passphrase stops working.
func TestVanPassphraseUnlocksWithSignInBackoff(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		s := newTestServer(t, db)
		o := newOrg(t, s.store, "Van Program")
		ctx := context.Background()
		const first, second = "sterile supplies on tuesday", "naloxone at every stop"
		if err := s.store.SetEdgePassphrase(ctx, o.ID, first); err != nil {
			t.Fatal(err)
		}
		r := signIn(s, edge.FacilitatorEmail, first)
		wantStatus(t, r, http.StatusOK)
		console := sessionFrom(t, r)
		wantStatus(t, s.as(console, "GET", "/api/v1/sessions", nil), http.StatusOK)
		// Facilitator only: the van's account reads no individual feedback.
		wantStatus(t, s.as(console, "GET", "/api/v1/feedback/texts", nil), http.StatusForbidden)

		for i := range 4 {
			wantStatus(t, signIn(s, edge.FacilitatorEmail, "wrong passphrase "+string(rune('a'+i))), http.StatusUnauthorized)
		}
		wantStatus(t, signIn(s, edge.FacilitatorEmail, first), http.StatusTooManyRequests)
		s.clock.Advance(time.Second)
		wantStatus(t, signIn(s, edge.FacilitatorEmail, first), http.StatusOK)

		if err := s.store.SetEdgePassphrase(ctx, o.ID, second); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, s.as(console, "GET", "/api/v1/sessions", nil), http.StatusUnauthorized)
		wantStatus(t, signIn(s, edge.FacilitatorEmail, first), http.StatusUnauthorized)
		wantStatus(t, signIn(s, edge.FacilitatorEmail, second), http.StatusOK)
		if err := s.store.SetEdgePassphrase(ctx, o.ID, "short"); err == nil {
			t.Fatal("a passphrase of 5 characters was taken")
		}
	})
}
