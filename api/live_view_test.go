package api

import (
	"testing"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// A facilitator's screen must not change the view of screens opened after
// it: the handler once overwrote its shared role, so every later projector
// saw counts before reveal.
func TestScreenViewIsDecidedPerConnection(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		checkLeaks(t)
		s := newLiveServer(t, db, WSLimits{})
		_, code := s.startSession()
		boss := s.dial("/api/v1/live/"+code+"/screen", headerOf(s.boss))
		if got := boss.welcome()["view"]; got != "facilitator" {
			t.Fatalf("facilitator's screen view %v", got)
		}
		plain := s.dial("/api/v1/live/"+code+"/screen", nil)
		if got := plain.welcome()["view"]; got != "screen" {
			t.Fatalf("a plain screen opened after the facilitator's has view %v, want screen", got)
		}
	})
}
