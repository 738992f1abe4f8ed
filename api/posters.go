package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// PosterAPI lets staff print a site's own-phone poster and rotate its code.
type PosterAPI struct {
	Store *store.Store
	// BaseURL is the public address the poster's link and QR code use.
	BaseURL string
}

// Poster is a site's current poster: its code and the address printed
// (and put in the QR code) on it.
type Poster struct {
	SiteID    string    `json:"site_id"`
	Code      string    `json:"code"`
	URL       string    `json:"url"`
	CreatedAt time.Time `json:"created_at"`
}

func (p *PosterAPI) poster(sp models.SitePoster) Poster {
	return Poster{SiteID: sp.SiteID, Code: sp.Code, URL: strings.TrimRight(p.BaseURL, "/") + "/p/" + sp.Code, CreatedAt: sp.CreatedAt}
}

// Get returns the site's current poster, or {"poster": null} before the
// first one is made.
func (p *PosterAPI) Get(c *gin.Context) {
	pr := principal(c)
	sp, err := p.Store.Poster(c.Request.Context(), pr.OrganizationID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	if sp == nil {
		c.JSON(http.StatusOK, gin.H{"poster": nil})
		return
	}
	c.JSON(http.StatusOK, gin.H{"poster": p.poster(*sp)})
}

// Rotate gives the site a new poster code: posters with the old one say
// they are no longer in use. The first call makes the site's first code.
func (p *PosterAPI) Rotate(c *gin.Context) {
	pr := principal(c)
	sp, err := p.Store.By(&pr.User).IssuePoster(c.Request.Context(), pr.OrganizationID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"poster": p.poster(sp)})
}
