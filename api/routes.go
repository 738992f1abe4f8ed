package api

import (
	"net/url"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/chorus-hr/chorus/internal/deliver"
	"github.com/chorus-hr/chorus/internal/privacy"
	"github.com/chorus-hr/chorus/internal/ratelimit"
	"github.com/chorus-hr/chorus/internal/report"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// routeAPI wires every /api/v1 route with the roles that may call it. The
// permission matrix in docs/permissions.md must list each of them; a test
// calls every route as every role and compares.
func routeAPI(r *gin.Engine, d Deps) error {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	st := store.New(d.DB)
	st.Now = func() time.Time { return now().UTC() }
	st.UseKioskCache(d.KioskCache)
	base, err := url.Parse(d.Config.BaseURL)
	if err != nil {
		return err
	}
	authn, err := NewAuth(st, d.Config.BaseURL, d.Config.TLS() || base.Scheme == "https")
	if err != nil {
		return err
	}
	clock := ratelimit.WithClock(now)
	var (
		signinPerClient = ratelimit.NewKeyed(rate.Every(6*time.Second), 20, clock)
		enrollPerClient = ratelimit.NewKeyed(rate.Every(6*time.Second), 5, clock)
		// A receipt code is a secret of 6 characters: guessing must be slow.
		receiptPerClient = ratelimit.NewKeyed(rate.Every(6*time.Second), 10, clock)
		// An enrolled kiosk is limited on its own device, never on its
		// address: the tablets of a van or a clinic share one address, and
		// one tablet flushing its outbox must not throttle the others.
		kioskPerDevice = ratelimit.NewKeyed(rate.Every(time.Second), 30, clock)
		// Own-phone feedback has no device to limit: its submissions are
		// limited per client address and per site (docs/security.md). A
		// site's guest Wi-Fi puts many phones behind one address: 20 at
		// once, then one every 15 seconds (240 an hour). A site takes 100
		// at once, then one every 6 seconds (600 an hour): a busy day
		// brings a few hundred people, and one address alone cannot
		// empty it. Opening the page (a code look-up) is cheaper and
		// limited on its own.
		phonePerClient  = ratelimit.NewKeyed(rate.Every(15*time.Second), 20, clock)
		phonePerSite    = ratelimit.NewKeyed(rate.Every(6*time.Second), 100, clock)
		posterPerClient = ratelimit.NewKeyed(rate.Every(2*time.Second), 60, clock)
	)
	sessions := NewSessionAPI(authn,
		ratelimit.NewBackoff(3, time.Second, 15*time.Minute, clock),
		ratelimit.NewBackoff(10, time.Second, 15*time.Minute, clock))
	var (
		org    = &OrganizationAPI{Store: st}
		sites  = &SiteAPI{Store: st}
		kiosks = &KioskAPI{Store: st}
		users  = &UserAPI{Store: st}
		tokens = &TokenAPI{Store: st}
		audit  = &AuditAPI{Store: st}

		submissions = &SubmissionAPI{Store: st, Metrics: d.Metrics, Log: d.Log, Outage: d.Outage, Scrub: privacy.Scrub, Urgent: privacy.ContainsAny}
		moderation  = &ModerationAPI{Store: st}
		categories  = &CategoryAPI{Store: st}
		reporter    = report.New(d.DB)
		proposals   = &ProposalAPI{Store: st, Reporter: reporter}
		reports     = &ReportAPI{Store: st, Reporter: reporter}
		board       = &BoardAPI{Store: st}
		routing     = &RoutingAPI{Store: st, Tester: &deliver.Router{Store: st, BaseURL: d.Config.BaseURL}}
		webhooks    = &WebhookAPI{Store: st}
		deliveries  = &DeliveryAPI{Store: st}
		phone       = &PhoneAPI{Store: st}
		posters     = &PosterAPI{Store: st, BaseURL: d.Config.BaseURL}
	)
	var (
		signedIn = require(anyRole...)
		admin    = require(adminOnly...)
		staff    = require(staffAndAdmin...)
		byClient = func(l *ratelimit.Keyed) gin.HandlerFunc { return limit(l, clientKey) }
		byKiosk  = []gin.HandlerFunc{requireKiosk, limit(kioskPerDevice, deviceKey)}
	)

	v1 := r.Group("/api/v1", noStore, dbDeadline(d.Config.DBTimeout), authn.authenticate, authn.csrf)

	v1.POST("/auth/signin", byClient(signinPerClient), sessions.SignIn)
	v1.POST("/auth/signout", signedIn, sessions.SignOut)
	v1.GET("/me", signedIn, sessions.Me)
	v1.POST("/me/password", signedIn, sessions.ChangePassword)

	v1.GET("/organization", signedIn, org.Get)
	v1.PATCH("/organization", admin, org.Update)

	v1.GET("/sites", signedIn, sites.List)
	v1.GET("/sites/:id", signedIn, sites.Get)
	v1.POST("/sites", admin, sites.Create)
	v1.PATCH("/sites/:id", admin, sites.Update)
	v1.GET("/sites/:id/poster", staff, posters.Get)
	v1.POST("/sites/:id/poster", staff, posters.Rotate)

	v1.GET("/kiosks", admin, kiosks.List)
	v1.POST("/kiosks", admin, kiosks.Create)
	v1.POST("/kiosks/:id/enrollment", admin, kiosks.NewCode)
	v1.POST("/kiosks/:id/revoke", admin, kiosks.Revoke)

	v1.POST("/kiosk/enroll", byClient(enrollPerClient), kiosks.Enroll)
	v1.GET("/kiosk/me", append(byKiosk, kiosks.Whoami)...)
	v1.GET("/kiosk/config", append(byKiosk, kiosks.Config)...)
	v1.GET("/kiosk/board", append(byKiosk, kiosks.Board)...)
	v1.POST("/kiosk/submissions", append(byKiosk, submissions.Create)...)
	// Gin reads ':' as a parameter; the backslash makes it a literal.
	v1.POST(`/kiosk/submissions\:batch`, append(byKiosk, submissions.Batch)...)

	v1.GET("/users", admin, users.List)
	v1.POST("/users", admin, users.Add)
	v1.PATCH("/users/:id", admin, users.SetRole)
	v1.DELETE("/users/:id", admin, users.Remove)

	v1.GET("/tokens", signedIn, tokens.List)
	v1.POST("/tokens", signedIn, tokens.Create)
	v1.DELETE("/tokens/:id", signedIn, tokens.Revoke)

	v1.GET("/audit", admin, audit.List)

	v1.GET("/categories", admin, categories.List)
	v1.POST("/categories", admin, categories.Create)
	v1.PATCH("/categories/:id", admin, categories.Update)

	v1.GET("/feedback/texts", staff, moderation.List)
	v1.GET("/feedback/texts/:id", staff, moderation.Get)
	v1.POST("/feedback/texts/:id/moderate", staff, moderation.Moderate)
	v1.GET("/alerts", staff, moderation.Alerts)

	v1.GET("/proposals", signedIn, proposals.List)
	v1.POST("/proposals", signedIn, proposals.Create)
	v1.GET("/proposals/figures", signedIn, proposals.Figures)
	v1.GET("/proposals/:id", signedIn, proposals.Get)
	v1.PATCH("/proposals/:id", staff, proposals.Edit)
	v1.POST("/proposals/:id/updates", staff, proposals.PostUpdate)
	v1.POST("/proposals/:id/respond", require(models.RoleAdmin, models.RoleStaff, models.RolePolicymaker), proposals.Respond)
	v1.GET("/proposals/:id/support", signedIn, proposals.Support)
	v1.GET("/needs/summary", staff, proposals.NeedSummary)

	reporter.Now = now
	readsReports := require(models.RoleAdmin, models.RoleStaff, models.RolePolicymaker)
	v1.GET("/reports/needs", readsReports, reports.categoryReport(report.MetricNeed, models.KindNeed, "needs"))
	v1.GET("/reports/priorities", readsReports, reports.categoryReport(report.MetricPriorityPoints, models.KindNeed, "priorities"))
	v1.GET("/reports/strengths", readsReports, reports.categoryReport(report.MetricStrength, models.KindStrength, "strengths"))
	v1.GET("/reports/participation", readsReports, reports.Participation)
	v1.GET("/reports/channels", readsReports, reports.Channels)
	v1.GET("/reports/about", readsReports, reports.About)
	v1.GET("/reports/sessions", readsReports, reports.Sessions)
	v1.GET("/reports/proposals", readsReports, reports.Proposals)
	v1.GET("/reports/pdf", readsReports, reports.PDF)

	v1.GET("/routing/rules", admin, routing.List)
	v1.POST("/routing/rules", admin, routing.Create)
	v1.PATCH("/routing/rules/:id", admin, routing.Update)
	v1.DELETE("/routing/rules/:id", admin, routing.Delete)
	v1.POST("/routing/rules/:id/test", admin, routing.Test)
	v1.GET("/webhooks", admin, webhooks.List)
	v1.POST("/webhooks", admin, webhooks.Create)
	v1.DELETE("/webhooks/:id", admin, webhooks.Delete)
	v1.GET("/deliveries", staff, deliveries.List)
	v1.GET("/inbox/digests", staff, deliveries.Inbox)

	v1.GET("/kiosk/proposals", append(byKiosk, board.KioskProposals)...)
	v1.POST("/kiosk/support", append(byKiosk, board.Support)...)
	v1.POST("/kiosk/receipt", append(byKiosk, limit(receiptPerClient, deviceKey), board.KioskReceipt)...)

	v1.GET("/boards", board.Boards)
	v1.GET("/public/:slug/board", board.Board)
	v1.POST("/public/:slug/receipt", byClient(receiptPerClient), board.Receipt)
	v1.GET("/public/:slug/sheet", board.Sheet)

	// Own-phone feedback is anonymous whoever asks: a staff member's
	// session cookie is not even read, so a signed-in browser submits like
	// any other phone.
	ph := r.Group("/api/v1/phone/:code", noStore, dbDeadline(d.Config.DBTimeout))
	ph.GET("/config", byClient(posterPerClient), phone.requirePoster, phone.Config)
	ph.POST("/submissions", byClient(phonePerClient), phone.requirePosterOrReplay, limit(phonePerSite, posterSiteKey), submissions.Create)

	routeResearch(v1, st, admin, staff)
	routeEdge(r, v1, st, d, admin)

	if d.Live == nil {
		d.Live = memoryLive(st, d.Metrics)
	}
	// A comment approved or redacted reaches its live session's room.
	moderation.Comments = d.Live.Hub
	if d.SMS == nil {
		d.SMS = NewSMS(d)
	}
	routeSMS(r, v1, d.SMS, d, admin, staff)

	RouteLive(v1, LiveDeps{Live: d.Live, Store: st, BaseURL: d.Config.BaseURL, Metrics: d.Metrics,
		Limits: WSLimits{JoinsPerMinute: d.Config.LiveJoinLimit}}, require(runsSessions...))
	routeSessionNotes(v1, &SessionNotesAPI{Store: st, Scrub: privacy.Scrub}, require(runsSessions...))
	return nil
}

// limit refuses a request with 429 when its key's bucket is empty. Keys
// live in memory only.
func limit(l *ratelimit.Keyed, key func(*gin.Context) string) gin.HandlerFunc {
	return func(c *gin.Context) {
		if ok, wait := l.Allow(key(c)); !ok {
			abort(c, tooManyRequests(c, wait))
			return
		}
		c.Next()
	}
}

// clientKey is the client's address as Gin sees it: the peer address, or
// X-Forwarded-For only from CHORUS_TRUSTED_PROXIES.
func clientKey(c *gin.Context) string { return "ip:" + ratelimit.KeyForIP(c.ClientIP()) }

// deviceKey keys a kiosk's writes on its device, so kiosks sharing one
// address (a van's cellular link) do not use up each other's limit.
func deviceKey(c *gin.Context) string { return "kiosk:" + kiosk(c).Kiosk.ID }
