package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/catalog"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// Error codes of own-phone feedback: the page tells the person plainly.
const (
	// CodePosterRetired: staff rotated the poster's code; a new poster
	// hangs at the site.
	CodePosterRetired = "poster_retired"
	// CodePosterUnknown: no poster ever had this code (a typo).
	CodePosterUnknown = "poster_unknown"
)

const posterKey = "chorus.poster"

// PhoneAPI is own-phone feedback: a person scans a site's poster and gives
// feedback on their own phone, as anonymously as on the site's kiosk. The
// poster's code in the address is the only credential: there is no device
// and no account, so the router limits submissions per site and per
// client address (in memory only).
type PhoneAPI struct {
	Store *store.Store
}

// requirePoster finds the site of the :code in the path: 410 for a retired
// poster, 404 for an unknown one, each with its own code.
func (p *PhoneAPI) requirePoster(c *gin.Context) { p.findPoster(c, false) }

// requirePosterOrReplay is requirePoster for submissions. A phone may have
// sent a submission before staff rotated the poster and lost the answer:
// when its key was stored at the poster's site, the request goes on and is
// answered as the replay it is (200, the same id; 422 with another body),
// so the phone is not told its words were lost. Anything else sent with a
// retired code was never stored, and is refused in words the phone shows.
func (p *PhoneAPI) requirePosterOrReplay(c *gin.Context) { p.findPoster(c, true) }

func (p *PhoneAPI) findPoster(c *gin.Context, replays bool) {
	ctx := c.Request.Context()
	pa, err := p.Store.PosterByCode(ctx, c.Param("code"))
	if errors.Is(err, store.ErrPosterRetired) && replays {
		key := c.GetHeader(IdempotencyHeader)
		switch stored, lookErr := p.Store.SubmittedWith(ctx, pa, key); {
		case lookErr != nil:
			err = lookErr
		case stored:
			err = nil
		default:
			abort(c, &Error{Status: http.StatusGone, Code: CodePosterRetired,
				Message: "Your answers were not sent: this poster is no longer in use. Scan the new poster and answer again."})
			return
		}
	}
	switch {
	case errors.Is(err, store.ErrPosterRetired):
		abort(c, &Error{Status: http.StatusGone, Code: CodePosterRetired,
			Message: "This poster is no longer in use. Scan the new poster, or ask staff for it."})
		return
	case errors.Is(err, store.ErrNotFound):
		abort(c, &Error{Status: http.StatusNotFound, Code: CodePosterUnknown,
			Message: "We do not know this poster's address. Check the letters, or ask staff."})
		return
	case err != nil:
		abort(c, err)
		return
	}
	c.Set(posterKey, pa)
	c.Next()
}

// poster returns the poster requirePoster found.
func poster(c *gin.Context) (store.PosterAuth, bool) {
	v, ok := c.Get(posterKey)
	pa, _ := v.(store.PosterAuth)
	return pa, ok
}

// PhoneConfig is what a phone needs to run the participant's flow: the
// kiosk's configuration without a kiosk, and the organization's public
// board when it has one (for "see the results" and receipt look-ups).
type PhoneConfig struct {
	flowConfig
	// Board is the slug of the public board, or null when it is off.
	Board *string `json:"board"`
}

// Config returns the poster's site's configuration.
func (p *PhoneAPI) Config(c *gin.Context) {
	pa, _ := poster(c)
	fc, org, err := loadFlowConfig(c.Request.Context(), p.Store, pa.Site)
	if err != nil {
		abort(c, err)
		return
	}
	out := PhoneConfig{flowConfig: fc}
	if org.PublicBoard {
		out.Board = &org.Slug
	}
	c.JSON(http.StatusOK, out)
}

// flowConfig is the participant flow's configuration, the same on a kiosk
// and on a phone.
type flowConfig struct {
	Site           models.Site         `json:"site"`
	Languages      []string            `json:"languages"`
	Needs          []models.Category   `json:"needs"`
	Strengths      []models.Category   `json:"strengths"`
	About          map[string][]string `json:"about"`
	AboutQuestions []string            `json:"about_questions"`
	Resources      models.Resources    `json:"resources"`
}

// loadFlowConfig reads a site's flow configuration and its organization.
func loadFlowConfig(ctx context.Context, st *store.Store, site models.Site) (flowConfig, models.Organization, error) {
	needs, err := st.Categories(ctx, site.OrganizationID, models.KindNeed)
	if err != nil {
		return flowConfig{}, models.Organization{}, err
	}
	strengths, err := st.Categories(ctx, site.OrganizationID, models.KindStrength)
	if err != nil {
		return flowConfig{}, models.Organization{}, err
	}
	org, err := st.Organization(ctx, site.OrganizationID)
	if err != nil {
		return flowConfig{}, models.Organization{}, err
	}
	resources := catalog.Resources
	if org.Resources != nil {
		resources = *org.Resources
	}
	return flowConfig{
		Site: site, Languages: catalog.Languages, Needs: nonNil(needs), Strengths: nonNil(strengths),
		About: catalog.About, AboutQuestions: catalog.AboutQuestions, Resources: resources,
	}, org, nil
}

// submissionSource is where the request's submission comes from: the
// poster's site on a phone, else the authenticated kiosk.
func submissionSource(c *gin.Context) store.Source {
	if pa, ok := poster(c); ok {
		return pa.Source()
	}
	return kiosk(c).Source()
}

// posterSiteKey keys a phone's submissions on the poster's site, so a
// script cannot fill a site's feedback from many addresses at once faster
// than a busy site's people can.
func posterSiteKey(c *gin.Context) string {
	pa, _ := poster(c)
	return "site:" + pa.Site.ID
}
