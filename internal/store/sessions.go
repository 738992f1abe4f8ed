package store

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/models"
)

// Session lifetimes (ASVS 5.0 7.3): a staff browser is signed out after 30
// minutes without use and 12 hours after sign-in, whichever comes first.
const (
	SessionIdleTimeout     = 30 * time.Minute
	SessionAbsoluteTimeout = 12 * time.Hour
	// sessionTouchEvery limits last-seen writes to one a minute per session.
	sessionTouchEvery = time.Minute
)

// Principal is whoever a request acts for: a staff user in one
// organization, signed in by cookie or by API token.
type Principal struct {
	User           models.User
	OrganizationID string
	Role           models.Role
	// SessionHash is set for cookie sessions; CSRFToken goes with it.
	SessionHash []byte
	CSRFToken   string
	// TokenID is set when an API token was presented.
	TokenID string
}

// SignIn checks an e-mail and password and opens a session in the user's
// first organization, recording the sign-in in the same transaction.
// Unknown accounts cost the same time as wrong passwords, so a caller
// cannot tell which it was.
func (s *Store) SignIn(ctx context.Context, email, password string) (secret string, p Principal, err error) {
	u, err := s.UserByEmail(ctx, email)
	if errors.Is(err, ErrNotFound) {
		auth.CheckPassword(password, dummyHash())
		return "", Principal{}, ErrCredentials
	}
	if err != nil {
		return "", Principal{}, err
	}
	if !auth.CheckPassword(password, u.PasswordHash) {
		return "", Principal{}, ErrCredentials
	}
	ms, err := s.Memberships(ctx, u.ID)
	if err != nil {
		return "", Principal{}, err
	}
	if len(ms) == 0 {
		return "", Principal{}, ErrCredentials
	}
	secret, hash := auth.NewSecret("")
	csrf, _ := auth.NewSecret("")
	now := s.now()
	sess := models.StaffSession{TokenHash: hash, UserID: u.ID, OrganizationID: ms[0].OrganizationID, CSRFToken: csrf, CreatedAt: now, LastSeenAt: now}
	err = s.InTx(ctx, func(ctx context.Context) error {
		if err := s.conn(ctx).Create(&sess).Error; err != nil {
			return translate(err, "create session")
		}
		return s.Audit(ctx, sess.OrganizationID, &u, AuditSignIn, "user", u.ID, nil)
	})
	if err != nil {
		return "", Principal{}, err
	}
	return secret, Principal{User: u, OrganizationID: ms[0].OrganizationID, Role: ms[0].Role, SessionHash: hash, CSRFToken: csrf}, nil
}

// dummyHash is checked against when the account does not exist, so that
// both paths run one argon2id comparison. It is made on first use, not at
// start-up.
var dummyHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword("no account has this password")
	if err != nil {
		panic(err) // only on a password shorter than the minimum, which this is not
	}
	return h
})

// SessionPrincipal resolves a session cookie. Expired sessions are deleted
// and reported as ErrCredentials.
func (s *Store) SessionPrincipal(ctx context.Context, secret string) (Principal, error) {
	hash := auth.HashSecret(secret)
	var sess models.StaffSession
	if err := s.conn(ctx).Where("token_hash = ?", hash).First(&sess).Error; err != nil {
		if errors.Is(err, errNotFound) {
			return Principal{}, ErrCredentials
		}
		return Principal{}, translate(err, "session")
	}
	now := s.now()
	if now.Sub(sess.LastSeenAt) >= SessionIdleTimeout || now.Sub(sess.CreatedAt) >= SessionAbsoluteTimeout {
		_ = s.conn(ctx).Where("token_hash = ?", hash).Delete(&models.StaffSession{}).Error
		return Principal{}, ErrCredentials
	}
	p, err := s.principal(ctx, sess.UserID, sess.OrganizationID)
	if err != nil {
		return Principal{}, err
	}
	if now.Sub(sess.LastSeenAt) > sessionTouchEvery {
		if err := s.conn(ctx).Model(&models.StaffSession{}).Where("token_hash = ?", hash).Update("last_seen_at", now).Error; err != nil {
			return Principal{}, translate(err, "touch session")
		}
	}
	p.SessionHash, p.CSRFToken = hash, sess.CSRFToken
	return p, nil
}

// principal loads a user and their current role in an organization; a
// user no longer in it is refused.
func (s *Store) principal(ctx context.Context, userID, orgID string) (Principal, error) {
	m, err := s.Member(ctx, orgID, userID)
	if errors.Is(err, ErrNotFound) {
		return Principal{}, ErrCredentials
	}
	if err != nil {
		return Principal{}, err
	}
	return Principal{User: m.User, OrganizationID: orgID, Role: m.Role}, nil
}

// SignOut ends one session.
func (s *Store) SignOut(ctx context.Context, sessionHash []byte) error {
	return translate(s.conn(ctx).Where("token_hash = ?", sessionHash).Delete(&models.StaffSession{}).Error, "sign out")
}

// RevokeUserSessions ends every session of a user.
func (s *Store) RevokeUserSessions(ctx context.Context, userID string) error {
	return translate(s.conn(ctx).Where("user_id = ?", userID).Delete(&models.StaffSession{}).Error, "end sessions")
}
