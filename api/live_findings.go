package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
)

// MeetingFindingStore is what a meeting's console reads of the findings.
type MeetingFindingStore interface {
	Findings(ctx context.Context, orgID string) ([]store.FindingView, error)
}

// MeetingFindingAPI lists the findings a meeting may check with the room,
// for everyone who runs meetings (peer facilitators included): only their
// statements, the words the room will read, never codes, exemplars or
// counts.
type MeetingFindingAPI struct {
	Store MeetingFindingStore
}

// MeetingFinding is a finding as a meeting's console offers it.
type MeetingFinding struct {
	ID          string `json:"id"`
	StatementEN string `json:"statement_en"`
	StatementES string `json:"statement_es"`
	Flagged     bool   `json:"flagged"`
}

// List returns the organization's findings' statements, newest first.
func (a *MeetingFindingAPI) List(c *gin.Context) {
	findings, err := a.Store.Findings(c.Request.Context(), principal(c).OrganizationID)
	if err != nil {
		abort(c, err)
		return
	}
	out := make([]MeetingFinding, len(findings))
	for i, f := range findings {
		out[i] = MeetingFinding{ID: f.ID, StatementEN: f.StatementEN, StatementES: f.StatementES, Flagged: f.Flagged}
	}
	c.JSON(http.StatusOK, gin.H{"findings": out})
}
