package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/mail"
	"strings"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/models"
)

// Member is a user with their role in one organization.
type Member struct {
	models.User
	Role models.Role `json:"role"`
}

// NormalizeEmail lowercases and checks an address.
func NormalizeEmail(email string) (string, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || len(email) > 254 {
		return "", invalid("email", "must be an e-mail address")
	}
	return email, nil
}

// GeneratePassword returns a random one-time password (24 characters).
func GeneratePassword() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CreateMember adds a user to an organization with a role. A user who
// already exists (in another organization) is given the membership; their
// password is left as it is and created is false. oneTime marks a
// generated password that must be changed.
func (s *Store) CreateMember(ctx context.Context, orgID, email string, role models.Role, password string, oneTime bool) (m Member, created bool, err error) {
	email, err = NormalizeEmail(email)
	if err != nil {
		return Member{}, false, err
	}
	if !role.Valid() {
		return Member{}, false, invalid("role", "must be one of: admin, staff, facilitator, policymaker")
	}
	err = s.InTx(ctx, func(ctx context.Context) error {
		var u models.User
		err := s.conn(ctx).Where("email = ?", email).First(&u).Error
		if errors.Is(err, errNotFound) {
			hash, herr := auth.HashPassword(password)
			if herr != nil {
				return invalid("password", herr.Error())
			}
			u = models.User{ID: models.NewID(), Email: email, PasswordHash: hash, Language: "en"}
			if !oneTime {
				now := s.now()
				u.PasswordChangedAt = &now
			}
			if err := s.conn(ctx).Create(&u).Error; err != nil {
				return translate(err, "create user")
			}
			created = true
		} else if err != nil {
			return translate(err, "find user")
		}
		ms := models.Membership{UserID: u.ID, OrganizationID: orgID, Role: role}
		if err := s.conn(ctx).Create(&ms).Error; err != nil {
			return translate(err, "add member")
		}
		m = Member{User: u, Role: role}
		return nil
	})
	return m, created, err
}

// Members lists an organization's users.
func (s *Store) Members(ctx context.Context, orgID string) ([]Member, error) {
	var out []Member
	err := s.conn(ctx).Table("users").Select("users.*, memberships.role").
		Joins("JOIN memberships ON memberships.user_id = users.id").
		Where("memberships.organization_id = ?", orgID).Order("users.email").Scan(&out).Error
	return out, translate(err, "members")
}

// Member returns one user of the organization.
func (s *Store) Member(ctx context.Context, orgID, userID string) (Member, error) {
	var out []Member
	if !models.IsID(userID) {
		return Member{}, translate(errNotFound, "member")
	}
	err := s.conn(ctx).Table("users").Select("users.*, memberships.role").
		Joins("JOIN memberships ON memberships.user_id = users.id").
		Where("memberships.organization_id = ? AND users.id = ?", orgID, userID).Scan(&out).Error
	if err == nil && len(out) == 0 {
		err = errNotFound
	}
	if err != nil {
		return Member{}, translate(err, "member")
	}
	return out[0], nil
}

// UserByEmail finds a user.
func (s *Store) UserByEmail(ctx context.Context, email string) (models.User, error) {
	var u models.User
	err := s.conn(ctx).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).First(&u).Error
	return u, translate(err, "user")
}

// Memberships lists the organizations a user belongs to.
func (s *Store) Memberships(ctx context.Context, userID string) ([]models.Membership, error) {
	var ms []models.Membership
	err := s.conn(ctx).Where("user_id = ?", userID).Order("created_at").Find(&ms).Error
	return ms, translate(err, "memberships")
}

// SetRole changes a member's role and signs them out everywhere, so the
// new role applies at once.
func (s *Store) SetRole(ctx context.Context, orgID, userID string, role models.Role) error {
	if !role.Valid() {
		return invalid("role", "must be one of: admin, staff, facilitator, policymaker")
	}
	return s.InTx(ctx, func(ctx context.Context) error {
		if err := s.guardLastAdmin(ctx, orgID, userID, role); err != nil {
			return err
		}
		res := s.conn(ctx).Model(&models.Membership{}).Where("organization_id = ? AND user_id = ?", orgID, userID).Update("role", role)
		if res.Error != nil {
			return translate(res.Error, "set role")
		}
		if res.RowsAffected == 0 {
			return translate(errNotFound, "member")
		}
		// Sessions in this organization only: a role here says nothing of
		// the person's role elsewhere.
		return translate(s.conn(ctx).Where("user_id = ? AND organization_id = ?", userID, orgID).Delete(&models.StaffSession{}).Error, "end sessions")
	})
}

// RemoveMember takes a user out of an organization, ending their sessions
// and API tokens there.
func (s *Store) RemoveMember(ctx context.Context, orgID, userID string) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		if err := s.guardLastAdmin(ctx, orgID, userID, ""); err != nil {
			return err
		}
		res := s.conn(ctx).Where("organization_id = ? AND user_id = ?", orgID, userID).Delete(&models.Membership{})
		if res.Error != nil {
			return translate(res.Error, "remove member")
		}
		if res.RowsAffected == 0 {
			return translate(errNotFound, "member")
		}
		if err := s.conn(ctx).Where("organization_id = ? AND user_id = ?", orgID, userID).Delete(&models.StaffSession{}).Error; err != nil {
			return translate(err, "end sessions")
		}
		return translate(s.conn(ctx).Model(&models.APIToken{}).Where("organization_id = ? AND user_id = ? AND revoked_at IS NULL", orgID, userID).
			Update("revoked_at", s.now()).Error, "revoke tokens")
	})
}

// guardLastAdmin refuses to leave an organization without an admin.
func (s *Store) guardLastAdmin(ctx context.Context, orgID, userID string, newRole models.Role) error {
	if newRole == models.RoleAdmin {
		return nil
	}
	var admins []string
	if err := s.conn(ctx).Model(&models.Membership{}).Where("organization_id = ? AND role = ?", orgID, models.RoleAdmin).
		Pluck("user_id", &admins).Error; err != nil {
		return translate(err, "count admins")
	}
	if len(admins) == 1 && admins[0] == userID {
		return invalid("role", "an organization needs at least one admin")
	}
	return nil
}

// ChangePassword checks the current password, stores the new one and ends
// every session of the user.
func (s *Store) ChangePassword(ctx context.Context, userID, current, next string) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		var u models.User
		if err := s.conn(ctx).Where("id = ?", userID).First(&u).Error; err != nil {
			return translate(err, "user")
		}
		if !auth.CheckPassword(current, u.PasswordHash) {
			return ErrCredentials
		}
		if current == next {
			return invalid("new_password", "must differ from the current password")
		}
		hash, err := auth.HashPassword(next)
		if err != nil {
			return invalid("new_password", err.Error())
		}
		if err := s.conn(ctx).Model(&u).Updates(map[string]any{"password_hash": hash, "password_changed_at": s.now(), "updated_at": s.now()}).Error; err != nil {
			return translate(err, "change password")
		}
		// A new password ends every way in made with the old one: sessions
		// and API tokens alike.
		if err := s.conn(ctx).Model(&models.APIToken{}).Where("user_id = ? AND revoked_at IS NULL", userID).
			Update("revoked_at", s.now()).Error; err != nil {
			return translate(err, "revoke tokens")
		}
		return s.RevokeUserSessions(ctx, userID)
	})
}
