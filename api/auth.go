package api

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// Auth resolves and checks callers: sessions, API tokens, kiosk tokens.
type Auth struct {
	Store *store.Store
	// SecureCookies marks the session cookie Secure (served over HTTPS,
	// directly or behind a TLS-terminating proxy).
	SecureCookies bool
	crossOrigin   *http.CrossOriginProtection
}

// NewAuth builds the authentication middleware; baseURL's origin is
// trusted for cross-origin checks (it matters behind a proxy that
// rewrites Host).
func NewAuth(st *store.Store, baseURL string, secure bool) (*Auth, error) {
	cop := http.NewCrossOriginProtection()
	if err := cop.AddTrustedOrigin(strings.TrimSuffix(baseURL, "/")); err != nil {
		return nil, err
	}
	return &Auth{Store: st, SecureCookies: secure, crossOrigin: cop}, nil
}

// Context keys for who is calling.
const (
	principalKey = "chorus.principal"
	kioskKey     = "chorus.kiosk"
)

// CSRFHeader carries the session's CSRF token on state-changing requests.
const CSRFHeader = "X-CSRF-Token"

// authenticate resolves the caller from an Authorization bearer token (an
// API token or a kiosk device token) or the session cookie, and stores it
// in the context. It never rejects: require and requireKiosk decide.
// A credential that is presented but not accepted is a 401 right away, so a
// revoked token fails loudly instead of silently acting anonymously.
func (a *Auth) authenticate(c *gin.Context) {
	ctx := c.Request.Context()
	if h := c.GetHeader("Authorization"); h != "" {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || secret == "" {
			abort(c, unauthenticated("Use \"Authorization: Bearer <token>\"."))
			return
		}
		if strings.HasPrefix(secret, auth.KioskTokenPrefix) {
			ka, err := a.Store.KioskByToken(ctx, secret)
			if err != nil {
				abort(c, credentialError(err, "This kiosk is not enrolled or was turned off. Ask staff to enroll it again."))
				return
			}
			c.Set(kioskKey, ka)
		} else {
			p, err := a.Store.TokenPrincipal(ctx, secret)
			if err != nil {
				abort(c, credentialError(err, "This API token is not valid or was revoked."))
				return
			}
			c.Set(principalKey, p)
		}
		c.Next()
		return
	}
	if cookie, err := c.Cookie(auth.SessionCookieName); err == nil && cookie != "" {
		p, err := a.Store.SessionPrincipal(ctx, cookie)
		switch {
		case err == nil:
			c.Set(principalKey, p)
		case errors.Is(err, store.ErrCredentials):
			// An expired or revoked session: forget the cookie and carry
			// on as an anonymous caller.
			a.clearSessionCookie(c)
		default:
			abort(c, err)
			return
		}
	}
	c.Next()
}

func credentialError(err error, message string) error {
	if errors.Is(err, store.ErrCredentials) {
		return unauthenticated(message)
	}
	return err
}

func unauthenticated(message string) *Error {
	return &Error{Status: http.StatusUnauthorized, Code: CodeUnauthenticated, Message: message}
}

func forbidden(message string) *Error {
	return &Error{Status: http.StatusForbidden, Code: CodeForbidden, Message: message}
}

// principal returns the signed-in staff user; require guarantees one.
func principal(c *gin.Context) store.Principal {
	p, _ := c.Get(principalKey)
	pr, _ := p.(store.Principal)
	return pr
}

// kiosk returns the authenticated kiosk; requireKiosk guarantees one.
func kiosk(c *gin.Context) store.KioskAuth {
	k, _ := c.Get(kioskKey)
	ka, _ := k.(store.KioskAuth)
	return ka
}

// require admits signed-in staff whose role is among roles: 401 for
// anonymous callers and kiosks, 403 for other roles.
func require(roles ...models.Role) gin.HandlerFunc {
	return func(c *gin.Context) {
		p, ok := c.Get(principalKey)
		if !ok {
			abort(c, unauthenticated("Please sign in."))
			return
		}
		pr := p.(store.Principal)
		if !slices.Contains(roles, pr.Role) {
			abort(c, forbidden("Your role does not allow this."))
			return
		}
		if pr.User.PasswordChangedAt == nil && !passwordChangeExempt[c.FullPath()] {
			abort(c, &Error{Status: http.StatusForbidden, Code: "password_change_required",
				Message: "Please choose your own password first."})
			return
		}
		c.Next()
	}
}

// passwordChangeExempt lists what someone with a one-time password may
// still do: see who they are, change the password, or sign out.
var passwordChangeExempt = map[string]bool{
	"/api/v1/me": true, "/api/v1/me/password": true, "/api/v1/auth/signout": true,
}

// requireKiosk admits only an enrolled kiosk's device token.
func requireKiosk(c *gin.Context) {
	if _, ok := c.Get(kioskKey); !ok {
		abort(c, unauthenticated("This needs an enrolled kiosk's device token."))
		return
	}
	c.Next()
}

// Role sets used by the routes.
var (
	anyRole       = []models.Role{models.RoleAdmin, models.RoleStaff, models.RoleFacilitator, models.RolePolicymaker}
	adminOnly     = []models.Role{models.RoleAdmin}
	staffAndAdmin = []models.Role{models.RoleAdmin, models.RoleStaff}
	runsSessions  = []models.Role{models.RoleAdmin, models.RoleStaff, models.RoleFacilitator}
)

// csrf protects cookie-authenticated state changes twice over: the
// browser's Fetch Metadata (or Origin) must show a same-origin request, and
// the session's CSRF token must come back in the X-CSRF-Token header.
// Bearer-token requests carry no ambient credential and pass.
func (a *Auth) csrf(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	p, ok := c.Get(principalKey)
	if !ok || p.(store.Principal).SessionHash == nil {
		c.Next()
		return
	}
	if err := a.crossOrigin.Check(c.Request); err != nil {
		abort(c, forbidden("This request came from another site and was refused."))
		return
	}
	got := c.GetHeader(CSRFHeader)
	want := p.(store.Principal).CSRFToken
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		abort(c, &Error{Status: http.StatusForbidden, Code: "csrf", Message: "The page is out of date. Reload it and try again."})
		return
	}
	c.Next()
}
