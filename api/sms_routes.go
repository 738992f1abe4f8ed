package api

import (
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/live"
	"github.com/chorus-hr/chorus/internal/metrics"
	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/sms"
	"github.com/chorus-hr/chorus/internal/store"
)

// NewSMS builds the text-message service over d: the provider is
// d.SMSProvider, or Twilio at CHORUS_TWILIO_API_URL. d.Live must be set.
// The server runs its RunSweeper; tests call Sweep.
func NewSMS(d Deps) *SMSAPI {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	st := store.New(d.DB)
	st.Now = func() time.Time { return now().UTC() }
	provider := d.SMSProvider
	if provider == nil {
		provider = sms.NewTwilio(d.Config.TwilioAPIURL)
	}
	return &SMSAPI{Store: st, Hub: d.Live.Hub, Provider: provider, BaseURL: d.Config.BaseURL, Token: d.Config.TwilioAuthToken,
		Log: d.Log, Now: now, Scrub: privacy.Scrub, Urgent: privacy.ContainsAny}
}

// memoryLive is a live service in this process only, for tests of other
// routes that bring none.
func memoryLive(st *store.Store, m *metrics.Metrics) *Live {
	if m == nil {
		m = metrics.New()
	}
	return &Live{metrics: m, Hub: live.New(live.Options{Store: st, VotesAccepted: m.VotesAccepted})}
}

// routeSMS wires text messages: the provider's webhooks (anonymous,
// checked by their signature, never logged: middleware.go), the admin's
// set-up (staff may read it: the month's count and whether the cap was
// reached), and the projector's "or text CODE to NUMBER" line.
func routeSMS(r *gin.Engine, v1 *gin.RouterGroup, a *SMSAPI, d Deps, admin, staff gin.HandlerFunc) {
	hooks := r.Group("/api/v1/sms/:org", noStore, dbDeadline(d.Config.DBTimeout))
	hooks.POST("/inbound", a.Inbound)
	hooks.POST("/status", a.Status)
	v1.GET("/organization/sms", staff, a.GetSettings)
	v1.PUT("/organization/sms", admin, a.PutSettings)
	v1.GET("/live/:code/sms", a.ScreenLine)
}
