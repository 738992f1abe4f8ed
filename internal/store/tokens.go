package store

import (
	"context"
	"errors"
	"strings"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/models"
)

// CreateAPIToken makes a token that acts as the user in the organization.
// The secret is returned once and stored only as a hash.
func (s *Store) CreateAPIToken(ctx context.Context, orgID, userID, name string) (models.APIToken, string, error) {
	name = strings.TrimSpace(name)
	if len(name) > 100 {
		return models.APIToken{}, "", invalid("name", "must be at most 100 characters")
	}
	if _, err := s.Member(ctx, orgID, userID); err != nil {
		return models.APIToken{}, "", err
	}
	secret, hash := auth.NewSecret(auth.APITokenPrefix)
	t := models.APIToken{ID: models.NewID(), UserID: userID, OrganizationID: orgID, Name: name, TokenHash: hash, CreatedAt: s.now()}
	return t, secret, translate(s.conn(ctx).Create(&t).Error, "create token")
}

// TokenPrincipal resolves an API token. Revoked and unknown tokens are
// ErrCredentials; the role is the user's role now, not when it was made.
func (s *Store) TokenPrincipal(ctx context.Context, secret string) (Principal, error) {
	var t models.APIToken
	err := s.conn(ctx).Where("token_hash = ? AND revoked_at IS NULL", auth.HashSecret(secret)).First(&t).Error
	if errors.Is(err, errNotFound) {
		return Principal{}, ErrCredentials
	}
	if err != nil {
		return Principal{}, translate(err, "token")
	}
	p, err := s.principal(ctx, t.UserID, t.OrganizationID)
	if err != nil {
		return Principal{}, err
	}
	today := models.DayOf(s.now(), s.now().Location())
	if t.LastUsedOn == nil || t.LastUsedOn.String() != today.String() {
		if err := s.conn(ctx).Model(&t).Update("last_used_on", today).Error; err != nil {
			return Principal{}, translate(err, "mark token used")
		}
	}
	p.TokenID = t.ID
	return p, nil
}

// APITokens lists a user's tokens in the organization, or every token of
// the organization when userID is empty.
func (s *Store) APITokens(ctx context.Context, orgID, userID string) ([]models.APIToken, error) {
	q := s.conn(ctx).Where("organization_id = ?", orgID)
	if userID != "" {
		q = q.Where("user_id = ?", userID)
	}
	var out []models.APIToken
	return out, translate(q.Order("created_at DESC").Find(&out).Error, "tokens")
}

// RevokeAPIToken stops a token at once. userID limits it to the user's own
// tokens; empty lets an admin revoke any token of the organization.
func (s *Store) RevokeAPIToken(ctx context.Context, orgID, userID, id string) error {
	if !models.IsID(id) {
		return translate(errNotFound, "token")
	}
	q := s.conn(ctx).Model(&models.APIToken{}).Where("organization_id = ? AND id = ? AND revoked_at IS NULL", orgID, id)
	if userID != "" {
		q = q.Where("user_id = ?", userID)
	}
	res := q.Update("revoked_at", s.now())
	if res.Error != nil {
		return translate(res.Error, "revoke token")
	}
	if res.RowsAffected == 0 {
		return translate(errNotFound, "token")
	}
	return nil
}
