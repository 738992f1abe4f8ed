package store

import (
	"context"
	"fmt"
	"time"

	"github.com/chorus-hr/chorus/models"
)

// Research audit actions. Their details never hold participant text.
const (
	AuditCoderGranted    = "research.coder_granted"
	AuditCoderRevoked    = "research.coder_revoked"
	AuditCodeAdded       = "research.code_added"
	AuditCodeEdited      = "research.code_edited"
	AuditCodeRemoved     = "research.code_removed"
	AuditTranscript      = "research.transcript_imported"
	AuditSampleDrawn     = "research.sample_drawn"
	AuditReconciled      = "research.reconciled"
	AuditCodebookImport  = "research.codebook_imported"
	AuditResearchExport  = "research.export"
	AuditCodingSubmitted = "research.submitted"
)

// Coder is a member with the coder permission.
type Coder struct {
	ID          string `json:"id"`
	Email       string `json:"email"`
	DisplayName string `json:"display_name"`
}

// IsCoder reports whether a member may code in the organization.
func (s *Store) IsCoder(ctx context.Context, orgID, userID string) (bool, error) {
	var n int64
	err := s.conn(ctx).Model(&models.ResearchCoder{}).
		Where("organization_id = ? AND user_id = ?", orgID, userID).Count(&n).Error
	return n > 0, translate(err, "coder")
}

// Coders lists the organization's coders by e-mail address.
func (s *Store) Coders(ctx context.Context, orgID string) ([]Coder, error) {
	var out []Coder
	err := s.conn(ctx).Table("research_coders").
		Select("users.id, users.email, users.display_name").
		Joins("JOIN users ON users.id = research_coders.user_id").
		Where("research_coders.organization_id = ?", orgID).
		Order("users.email").Scan(&out).Error
	return out, translate(err, "coders")
}

// SetCoder gives or takes the coder permission. Only admins and staff may
// code: the others never read individual feedback.
func (a Actor) SetCoder(ctx context.Context, orgID, userID string, coder bool) error {
	return a.s.InTx(ctx, func(ctx context.Context) error {
		m, err := a.s.Member(ctx, orgID, userID)
		if err != nil {
			return err
		}
		db := a.s.conn(ctx)
		if !coder {
			if err := db.Where("organization_id = ? AND user_id = ?", orgID, m.ID).Delete(&models.ResearchCoder{}).Error; err != nil {
				return translate(err, "revoke coder")
			}
			return a.record(ctx, orgID, AuditCoderRevoked, "user", m.ID, models.Bands{"email": m.Email})
		}
		if m.Role != models.RoleAdmin && m.Role != models.RoleStaff {
			return invalid("coder", fmt.Sprintf("is for admins and staff, not a %s", m.Role))
		}
		already, err := a.s.IsCoder(ctx, orgID, m.ID)
		if err != nil || already {
			return err
		}
		row := models.ResearchCoder{OrganizationID: orgID, UserID: m.ID, GrantedOn: models.DayOf(a.s.now(), time.UTC)}
		if a.user != nil {
			row.GrantedBy = &a.user.ID
		}
		if err := db.Create(&row).Error; err != nil {
			return translate(err, "grant coder")
		}
		return a.record(ctx, orgID, AuditCoderGranted, "user", m.ID, models.Bands{"email": m.Email})
	})
}
