package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
)

// SiteAPI manages an organization's sites.
type SiteAPI struct {
	Store *store.Store
}

type siteRequest struct {
	Name     string `json:"name" validate:"required,max=200"`
	Kind     string `json:"kind" validate:"required,oneof=fixed mobile"`
	Setting  string `json:"setting" validate:"required,oneof=urban rural"`
	TimeZone string `json:"time_zone" validate:"required,max=64"`
}

func (r siteRequest) input() store.SiteInput {
	return store.SiteInput{Name: r.Name, Kind: r.Kind, Setting: r.Setting, TimeZone: r.TimeZone}
}

// List returns the caller's organization's sites.
func (s *SiteAPI) List(c *gin.Context) {
	sites, err := s.Store.Sites(c.Request.Context(), principal(c).OrganizationID)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"sites": nonNil(sites)})
}

// Get returns one site.
func (s *SiteAPI) Get(c *gin.Context) {
	site, err := s.Store.Site(c.Request.Context(), principal(c).OrganizationID, c.Param("id"))
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, site)
}

// Create adds a site.
func (s *SiteAPI) Create(c *gin.Context) {
	var req siteRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	site, err := s.Store.By(&p.User).CreateSite(c.Request.Context(), p.OrganizationID, req.input())
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, site)
}

// Update changes a site.
func (s *SiteAPI) Update(c *gin.Context) {
	var req siteRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	site, err := s.Store.By(&p.User).UpdateSite(c.Request.Context(), p.OrganizationID, c.Param("id"), req.input())
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, site)
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
