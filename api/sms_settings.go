package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// SMSSettingsView is the organization's SMS set-up as an admin sees it:
// the settings, the addresses to give the provider, whether the auth
// token is set in the environment, and this month's count against the cap.
type SMSSettingsView struct {
	Configured bool                `json:"configured"`
	Settings   *models.SMSSettings `json:"settings"`
	// TokenSet says whether CHORUS_TWILIO_AUTH_TOKEN is set: without it
	// no webhook can be checked and nothing is sent.
	TokenSet   bool   `json:"token_set"`
	WebhookURL string `json:"webhook_url"`
	StatusURL  string `json:"status_url"`
	Month      string `json:"month"`
	Sent       int    `json:"sent"`
	// CappedOn is the day this month's cap was reached; null until then.
	CappedOn *models.Day `json:"capped_on"`
}

type smsSettingsRequest struct {
	PhoneNumber string `json:"phone_number" validate:"required,e164"`
	AccountSID  string `json:"account_sid" validate:"required,alphanum,max=64"`
	SiteID      string `json:"site_id" validate:"required,max=64"`
	MonthlyCap  *int   `json:"monthly_cap" validate:"required,gte=0,lte=1000000"`
	Enabled     *bool  `json:"enabled" validate:"required"`
}

// GetSettings returns the organization's SMS set-up and this month's
// count: admins set it up, staff see whether the cap was reached.
func (a *SMSAPI) GetSettings(c *gin.Context) {
	ctx := c.Request.Context()
	orgID := principal(c).OrganizationID
	base := strings.TrimRight(a.BaseURL, "/") + "/api/v1/sms/" + orgID
	out := SMSSettingsView{TokenSet: a.Token != "", WebhookURL: base + "/inbound", StatusURL: base + "/status",
		Month: a.now().Format("2006-01")}
	set, err := a.Store.SMSSettings(ctx, orgID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		abort(c, err)
		return
	default:
		out.Configured, out.Settings = true, &set
	}
	usage, err := a.Store.SMSUsage(ctx, orgID, out.Month)
	if err != nil {
		abort(c, err)
		return
	}
	out.Sent, out.CappedOn = usage.Sent, usage.CappedOn
	c.JSON(http.StatusOK, out)
}

// PutSettings sets the organization's SMS set-up.
func (a *SMSAPI) PutSettings(c *gin.Context) {
	var req smsSettingsRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	_, err := a.Store.By(&p.User).SetSMSSettings(c.Request.Context(), p.OrganizationID, store.SMSSettingsInput{
		PhoneNumber: req.PhoneNumber, AccountSID: req.AccountSID, SiteID: req.SiteID, MonthlyCap: *req.MonthlyCap, Enabled: *req.Enabled})
	if err != nil {
		abort(c, err)
		return
	}
	a.GetSettings(c)
}

// SMSLine is what a projector shows under the join code: "or text CODE
// to NUMBER". Number is null when the organization takes no texts.
type SMSLine struct {
	Number *string `json:"number"`
}

// ScreenLine answers whether people may text the session's join code, and
// to which number (null when the organization takes no texts, so a
// projector shows no line and logs no error).
func (a *SMSAPI) ScreenLine(c *gin.Context) {
	ctx := c.Request.Context()
	sess, err := a.Store.OpenLiveSession(ctx, c.Param("code"))
	if err != nil {
		abort(c, err)
		return
	}
	set, err := a.Store.SMSSettings(ctx, sess.OrganizationID)
	switch {
	case errors.Is(err, store.ErrNotFound) || (err == nil && (!set.Enabled || a.Token == "")):
		c.JSON(http.StatusOK, SMSLine{})
	case err != nil:
		abort(c, err)
	default:
		c.JSON(http.StatusOK, SMSLine{Number: &set.PhoneNumber})
	}
}
