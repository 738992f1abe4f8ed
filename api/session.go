package api

import (
	"errors"
	"hash/fnv"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/ratelimit"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// SessionAPI signs staff in and out.
type SessionAPI struct {
	Auth *Auth
	// Failed sign-ins back off per account and per client address; both
	// are held in memory only.
	AccountBackoff *ratelimit.Backoff
	ClientBackoff  *ratelimit.Backoff
	// accountLocks serializes password checks per account (striped by a
	// hash of the e-mail), so parallel guesses cannot slip past the
	// back-off before their failures are counted.
	accountLocks [64]sync.Mutex
	// hashing bounds concurrent argon2id checks (19 MiB each).
	hashing chan struct{}
}

// maxConcurrentHashes bounds memory spent on password checks at once.
const maxConcurrentHashes = 4

// NewSessionAPI builds the sign-in handlers.
func NewSessionAPI(a *Auth, account, client *ratelimit.Backoff) *SessionAPI {
	return &SessionAPI{Auth: a, AccountBackoff: account, ClientBackoff: client, hashing: make(chan struct{}, maxConcurrentHashes)}
}

// lockAccount takes the account's stripe lock and a hashing slot; the
// returned function releases both.
func (s *SessionAPI) lockAccount(c *gin.Context, account string) (func(), error) {
	h := fnv.New32a()
	_, _ = h.Write([]byte(account))
	mu := &s.accountLocks[h.Sum32()%uint32(len(s.accountLocks))]
	mu.Lock()
	select {
	case s.hashing <- struct{}{}:
		return func() { <-s.hashing; mu.Unlock() }, nil
	case <-c.Request.Context().Done():
		mu.Unlock()
		return nil, c.Request.Context().Err()
	}
}

type signInRequest struct {
	Email    string `json:"email" validate:"required,max=254"`
	Password string `json:"password" validate:"required,max=1024"`
}

// MeResponse describes the signed-in user.
type MeResponse struct {
	User         models.User         `json:"user"`
	Role         models.Role         `json:"role"`
	Organization models.Organization `json:"organization"`
	CSRFToken    string              `json:"csrf_token,omitempty"`
	// MustChangePassword is true after a generated one-time password.
	MustChangePassword bool `json:"must_change_password"`
}

// signInRefused is the one message for every failed sign-in, so nobody can
// learn whether an account exists.
const signInRefused = "That e-mail and password do not match an account."

// SignIn checks credentials, with growing back-off after failures, and
// sets the session cookie.
func (s *SessionAPI) SignIn(c *gin.Context) {
	var req signInRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	account := "account:" + normalizeForLimit(req.Email)
	client := "client:" + ratelimit.KeyForIP(c.ClientIP())
	unlock, err := s.lockAccount(c, account)
	if err != nil {
		abort(c, err)
		return
	}
	defer unlock()
	for _, check := range []struct {
		b   *ratelimit.Backoff
		key string
	}{{s.AccountBackoff, account}, {s.ClientBackoff, client}} {
		if wait, ok := check.b.Check(check.key); !ok {
			abort(c, tooManyRequests(c, wait))
			return
		}
	}
	secret, p, err := s.Auth.Store.SignIn(c.Request.Context(), req.Email, req.Password)
	if errors.Is(err, store.ErrCredentials) {
		s.AccountBackoff.Fail(account)
		s.ClientBackoff.Fail(client)
		abort(c, unauthenticated(signInRefused))
		return
	}
	if err != nil {
		abort(c, err)
		return
	}
	// Only the account's failures are forgiven: clearing the client's
	// would let someone who owns one account sign into it between guesses
	// at others.
	s.AccountBackoff.Succeed(account)
	s.Auth.setSessionCookie(c, secret)
	me, err := s.Auth.me(c, p)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, me)
}

func normalizeForLimit(email string) string {
	e, err := store.NormalizeEmail(email)
	if err != nil {
		return email
	}
	return e
}

func tooManyRequests(c *gin.Context, wait time.Duration) *Error {
	secs := max(1, int(wait.Round(time.Second)/time.Second))
	c.Header("Retry-After", strconv.Itoa(secs))
	return &Error{Status: http.StatusTooManyRequests, Code: CodeRateLimited,
		Message: "Too many tries. Please wait " + strconv.Itoa(secs) + " seconds and try again."}
}

// SignOut ends the current session.
func (s *SessionAPI) SignOut(c *gin.Context) {
	p := principal(c)
	if p.SessionHash != nil {
		if err := s.Auth.Store.By(&p.User).SignOut(c.Request.Context(), p.OrganizationID, p.SessionHash); err != nil {
			abort(c, err)
			return
		}
	}
	s.Auth.clearSessionCookie(c)
	c.Status(http.StatusNoContent)
}

// Me describes the caller.
func (s *SessionAPI) Me(c *gin.Context) {
	me, err := s.Auth.me(c, principal(c))
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, me)
}

func (a *Auth) me(c *gin.Context, p store.Principal) (MeResponse, error) {
	org, err := a.Store.Organization(c.Request.Context(), p.OrganizationID)
	if err != nil {
		return MeResponse{}, err
	}
	return MeResponse{User: p.User, Role: p.Role, Organization: org, CSRFToken: p.CSRFToken,
		MustChangePassword: p.User.PasswordChangedAt == nil}, nil
}

type changePasswordRequest struct {
	CurrentPassword string `json:"current_password" validate:"required,max=1024"`
	NewPassword     string `json:"new_password" validate:"required,min=12,max=1024"`
}

// ChangePassword sets a new password and signs the user out everywhere,
// this browser included.
func (s *SessionAPI) ChangePassword(c *gin.Context) {
	var req changePasswordRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	account := "account:" + p.User.Email
	unlock, err := s.lockAccount(c, account)
	if err != nil {
		abort(c, err)
		return
	}
	defer unlock()
	if wait, ok := s.AccountBackoff.Check(account); !ok {
		abort(c, tooManyRequests(c, wait))
		return
	}
	err = s.Auth.Store.By(&p.User).ChangePassword(c.Request.Context(), p.OrganizationID, req.CurrentPassword, req.NewPassword)
	if errors.Is(err, store.ErrCredentials) {
		s.AccountBackoff.Fail(account)
		abort(c, invalidField("current_password", "does not match"))
		return
	}
	if err != nil {
		abort(c, err)
		return
	}
	s.Auth.clearSessionCookie(c)
	c.Status(http.StatusNoContent)
}

func (a *Auth) setSessionCookie(c *gin.Context, secret string) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: auth.SessionCookieName, Value: secret, Path: "/",
		MaxAge:   int(store.SessionAbsoluteTimeout / time.Second),
		HttpOnly: true, Secure: a.SecureCookies, SameSite: http.SameSiteStrictMode,
	})
}

func (a *Auth) clearSessionCookie(c *gin.Context) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: auth.SessionCookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: a.SecureCookies, SameSite: http.SameSiteStrictMode,
	})
}
