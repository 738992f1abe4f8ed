package store

import (
	"context"
	"errors"
	"time"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/edge"
	"github.com/chorus-hr/chorus/models"
)

// AuditEdgePassphrase records that the van's passphrase was set.
const AuditEdgePassphrase = "edge.passphrase"

// SetEdgePassphrase sets the van's local passphrase: the password of the
// edge's one facilitator account (edge.FacilitatorEmail), hashed with
// argon2id like every password. Setting it again ends that account's
// sessions, so a lost or shared passphrase stops working at once.
func (s *Store) SetEdgePassphrase(ctx context.Context, orgID, passphrase string) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		u, err := s.UserByEmail(ctx, edge.FacilitatorEmail)
		switch {
		case errors.Is(err, ErrNotFound):
			m, _, err := s.CreateMember(ctx, orgID, edge.FacilitatorEmail, models.RoleFacilitator, passphrase, false)
			if err != nil {
				return err
			}
			u = m.User
		case err != nil:
			return err
		default:
			hash, err := auth.HashPassword(passphrase)
			if err != nil {
				return invalid("password", err.Error())
			}
			now := s.now()
			if err := s.conn(ctx).Model(&models.User{}).Where("id = ?", u.ID).
				Updates(map[string]any{"password_hash": hash, "password_changed_at": now, "updated_at": now}).Error; err != nil {
				return translate(err, "set passphrase")
			}
			if err := s.RevokeUserSessions(ctx, u.ID); err != nil {
				return err
			}
		}
		return s.Audit(ctx, orgID, nil, AuditEdgePassphrase, "user", u.ID, models.Bands{"by": "chorus edge"})
	})
}

// EdgeConsole is what the van's console shows: whether upstream answered
// at the last try, when it last synced, and what waits to be sent.
type EdgeConsole struct {
	Edge      bool       `json:"edge"`
	Upstream  string     `json:"upstream,omitempty"`
	Online    bool       `json:"online"`
	Revoked   bool       `json:"revoked"`
	LastError string     `json:"last_error,omitempty"`
	SyncedAt  *time.Time `json:"synced_at"`
	PulledAt  *time.Time `json:"pulled_at"`
	// Waiting counts items not confirmed upstream yet, by kind; Sent
	// counts those confirmed.
	Waiting map[string]int `json:"waiting"`
	Sent    int            `json:"sent"`
	// SetAside counts items upstream refused: kept here, not sent again.
	SetAside int `json:"set_aside"`
	// OpenSessions are sessions still running: sent once they end.
	OpenSessions int `json:"open_sessions"`
}

// EdgeConsole reads the van's sync status; Edge is false on a server that
// is not an edge.
func (s *Store) EdgeConsole(ctx context.Context) (EdgeConsole, error) {
	link, ok, err := edge.Link(ctx, s.conn(ctx))
	out := EdgeConsole{Waiting: map[string]int{edge.KindSubmission: 0, edge.KindSession: 0, edge.KindSupport: 0}}
	if err != nil || !ok {
		return out, err
	}
	out.Edge, out.Upstream, out.Online, out.Revoked = true, link.Upstream, link.Online, link.Revoked
	out.LastError, out.SyncedAt, out.PulledAt = link.LastError, link.SyncedAt, link.PulledAt
	var waiting []struct {
		Kind string
		N    int
	}
	if err := s.conn(ctx).Model(&models.EdgeOutboxItem{}).Select("kind, COUNT(*) AS n").Where("confirmed_at IS NULL AND (batch_id IS NULL OR batch_id <> ?)", edge.SetAside).
		Group("kind").Scan(&waiting).Error; err != nil {
		return out, translate(err, "edge outbox")
	}
	for _, w := range waiting {
		out.Waiting[w.Kind] = w.N
	}
	// Recorded but not queued yet (the syncer queues every few seconds).
	var fresh int64
	if err := s.conn(ctx).Model(&models.Submission{}).Where("NOT EXISTS (SELECT 1 FROM edge_outbox o WHERE o.ref_id = submissions.id)").
		Count(&fresh).Error; err != nil {
		return out, translate(err, "edge submissions")
	}
	out.Waiting[edge.KindSubmission] += int(fresh)
	var answers int64
	if err := s.conn(ctx).Model(&models.ProposalSupport{}).Where("NOT EXISTS (SELECT 1 FROM edge_outbox o WHERE o.ref_id = proposal_support.id)").
		Count(&answers).Error; err != nil {
		return out, translate(err, "edge support answers")
	}
	out.Waiting[edge.KindSupport] += int(answers)
	var ended, open, sent int64
	if err := s.conn(ctx).Model(&models.LiveSession{}).Where("state = ? AND NOT EXISTS (SELECT 1 FROM edge_outbox o WHERE o.ref_id = live_sessions.id)", models.LiveEnded).
		Count(&ended).Error; err != nil {
		return out, translate(err, "edge sessions")
	}
	out.Waiting[edge.KindSession] += int(ended)
	if err := s.conn(ctx).Model(&models.LiveSession{}).Where("state = ?", models.LiveOpen).Count(&open).Error; err != nil {
		return out, translate(err, "open sessions")
	}
	if err := s.conn(ctx).Model(&models.EdgeOutboxItem{}).Where("confirmed_at IS NOT NULL").Count(&sent).Error; err != nil {
		return out, translate(err, "edge outbox")
	}
	var aside int64
	if err := s.conn(ctx).Model(&models.EdgeOutboxItem{}).Where("batch_id = ?", edge.SetAside).Count(&aside).Error; err != nil {
		return out, translate(err, "edge outbox")
	}
	out.OpenSessions, out.Sent, out.SetAside = int(open), int(sent), int(aside)
	return out, nil
}
