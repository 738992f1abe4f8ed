package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// CategoryAPI lets admins edit the needs and strengths the kiosk offers,
// with their translations.
type CategoryAPI struct {
	Store *store.Store
}

// categoryView shows admins the fields the kiosk hides.
type categoryView struct {
	ID       string      `json:"id"`
	Kind     string      `json:"kind"`
	Code     string      `json:"code"`
	Icon     string      `json:"icon"`
	Label    models.Text `json:"label"`
	Position int         `json:"position"`
	Active   bool        `json:"active"`
}

func viewCategory(c models.Category) categoryView {
	return categoryView{ID: c.ID, Kind: c.Kind, Code: c.Code, Icon: c.Icon, Label: c.Labels, Position: c.Position, Active: c.Active}
}

// List returns ?kind=need (default) or ?kind=strength, retired ones too.
func (a *CategoryAPI) List(c *gin.Context) {
	kind := c.DefaultQuery("kind", models.KindNeed)
	if kind != models.KindNeed && kind != models.KindStrength {
		abort(c, invalidField("kind", "must be one of: need, strength"))
		return
	}
	cats, err := a.Store.AllCategories(c.Request.Context(), principal(c).OrganizationID, kind)
	if err != nil {
		abort(c, err)
		return
	}
	out := make([]categoryView, 0, len(cats))
	for _, cat := range cats {
		out = append(out, viewCategory(cat))
	}
	c.JSON(http.StatusOK, gin.H{"categories": out})
}

type createCategoryRequest struct {
	Kind  string      `json:"kind" validate:"required,oneof=need strength"`
	Code  string      `json:"code" validate:"required,max=64"`
	Icon  string      `json:"icon" validate:"max=32"`
	Label models.Text `json:"label" validate:"required,max=8"`
}

// Create adds a category.
func (a *CategoryAPI) Create(c *gin.Context) {
	var req createCategoryRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	cat, err := a.Store.By(&p.User).CreateCategory(c.Request.Context(), p.OrganizationID, store.CategoryInput{Kind: req.Kind, Code: req.Code, Icon: req.Icon, Labels: req.Label})
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusCreated, viewCategory(cat))
}

type updateCategoryRequest struct {
	Label    models.Text `json:"label" validate:"omitempty,max=8"`
	Icon     *string     `json:"icon" validate:"omitempty,max=32"`
	Active   *bool       `json:"active"`
	Position *int        `json:"position" validate:"omitempty,gte=0,lte=1000"`
}

// Update changes labels, icon, order or whether the kiosk offers it.
func (a *CategoryAPI) Update(c *gin.Context) {
	var req updateCategoryRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	cat, err := a.Store.By(&p.User).UpdateCategory(c.Request.Context(), p.OrganizationID, c.Param("id"),
		store.CategoryChange{Labels: req.Label, Icon: req.Icon, Active: req.Active, Position: req.Position})
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, viewCategory(cat))
}
