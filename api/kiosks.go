package api

import (
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// KioskAPI lets admins create, enroll and revoke kiosks, and lets a tablet
// enroll itself with a one-time code.
type KioskAPI struct {
	Store *store.Store
}

type createKioskRequest struct {
	SiteID string `json:"site_id" validate:"required,max=64"`
	Name   string `json:"name" validate:"required,max=200"`
}

// KioskCreated is a new kiosk with its first enrollment code.
type KioskCreated struct {
	Kiosk      models.Kiosk     `json:"kiosk"`
	Enrollment store.Enrollment `json:"enrollment"`
}

// List returns the organization's kiosks.
func (k *KioskAPI) List(c *gin.Context) {
	kiosks, err := k.Store.Kiosks(c.Request.Context(), principal(c).OrganizationID)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"kiosks": nonNil(kiosks)})
}

// Create adds a kiosk at a site and returns a one-time enrollment code.
func (k *KioskAPI) Create(c *gin.Context) {
	var req createKioskRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	kiosk, en, err := k.Store.By(&p.User).CreateKiosk(c.Request.Context(), p.OrganizationID, req.SiteID, req.Name)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, KioskCreated{Kiosk: kiosk, Enrollment: en})
}

// NewCode issues a fresh enrollment code, to set up or replace a tablet.
func (k *KioskAPI) NewCode(c *gin.Context) {
	p := principal(c)
	en, err := k.Store.By(&p.User).NewEnrollment(c.Request.Context(), p.OrganizationID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, en)
}

// Revoke stops a kiosk's device token at once.
func (k *KioskAPI) Revoke(c *gin.Context) {
	p := principal(c)
	kiosk, err := k.Store.By(&p.User).RevokeKiosk(c.Request.Context(), p.OrganizationID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, kiosk)
}

type enrollRequest struct {
	Code string `json:"code" validate:"required,max=32"`
}

// EnrollResponse is what a tablet keeps after enrolling: its device token
// and where it stands.
type EnrollResponse struct {
	Token string       `json:"token"`
	Kiosk models.Kiosk `json:"kiosk"`
	Site  models.Site  `json:"site"`
}

// Enroll trades a one-time code for a device token. Anonymous, and rate
// limited by the router.
func (k *KioskAPI) Enroll(c *gin.Context) {
	var req enrollRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	// The tablet has no person behind it: nobody is recorded.
	ka, token, err := k.Store.By(nil).Enroll(c.Request.Context(), req.Code)
	if errors.Is(err, store.ErrCredentials) {
		abort(c, invalidField("code", "is not valid or has expired; ask staff for a new code"))
		return
	}
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, EnrollResponse{Token: token, Kiosk: ka.Kiosk, Site: ka.Site})
}

// Whoami tells an enrolled tablet which kiosk and site it is.
func (k *KioskAPI) Whoami(c *gin.Context) {
	ka := kiosk(c)
	c.JSON(http.StatusOK, gin.H{"kiosk": ka.Kiosk, "site": ka.Site})
}

// KioskConfig is everything a kiosk caches to work offline: its site,
// languages, the categories with their labels, the optional questions and
// the "Need help now?" resources. Codes are stable; labels translate.
type KioskConfig struct {
	flowConfig
	Kiosk models.Kiosk `json:"kiosk"`
	// MemberCheck is the finding the site's kiosks ask about today after a
	// participant's own feedback (skippable); null when none.
	MemberCheck *store.KioskQuestion `json:"member_check"`
}

// Config returns the kiosk's configuration.
func (k *KioskAPI) Config(c *gin.Context) {
	ka := kiosk(c)
	fc, _, err := loadFlowConfig(c.Request.Context(), k.Store, ka.Site)
	if err != nil {
		abort(c, err)
		return
	}
	question, err := k.Store.KioskQuestion(c.Request.Context(), ka.Site)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, KioskConfig{flowConfig: fc, Kiosk: ka.Kiosk, MemberCheck: question})
}

// Board lists what changed because people spoke up: decided proposals and
// their latest update, in every language, for the thank-you screen.
func (k *KioskAPI) Board(c *gin.Context) {
	outcomes, err := k.Store.Outcomes(c.Request.Context(), kiosk(c).Kiosk.OrganizationID, 10)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"outcomes": nonNil(outcomes)})
}
