package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/models"
)

// OrganizationAPI reads and changes the caller's organization's settings.
type OrganizationAPI struct {
	Store *store.Store
}

// Get returns the organization.
func (o *OrganizationAPI) Get(c *gin.Context) {
	org, err := o.Store.Organization(c.Request.Context(), principal(c).OrganizationID)
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, org)
}

type organizationRequest struct {
	Name      *string `json:"name" validate:"omitempty,max=200"`
	MinCell   *int    `json:"min_cell" validate:"omitempty,gte=5,lte=1000"`
	MinVoters *int    `json:"min_voters" validate:"omitempty,gte=1,lte=1000"`
	// UrgentWords replaces the list of words that alert staff at once.
	UrgentWords *[]string `json:"urgent_words" validate:"omitempty,max=100,dive,required,max=60"`
	// Resources replaces the kiosk's "Need help now?" list; [] shows none,
	// null in the stored setting means Chorus's defaults (911 and 988).
	Resources *models.Resources `json:"resources" validate:"omitempty,max=12"`
	// PublicBoard switches the public "you said, we did" board on or off.
	PublicBoard *bool `json:"public_board"`
	// ResponseDays is how soon the program promises to answer a proposal.
	ResponseDays *int `json:"response_days" validate:"omitempty,gte=1,lte=365"`
	// RetentionDays is how long submissions and free text are kept (0:
	// until deleted by hand); aggregates stay.
	RetentionDays *int `json:"retention_days" validate:"omitempty,gte=0,lte=3650"`
}

// Update changes settings (admins only).
func (o *OrganizationAPI) Update(c *gin.Context) {
	var req organizationRequest
	if err := decodeJSON(c.Request, &req); err != nil {
		abort(c, err)
		return
	}
	p := principal(c)
	org, err := o.Store.By(&p.User).UpdateOrganization(c.Request.Context(), p.OrganizationID,
		store.OrganizationSettings{Name: req.Name, MinCell: req.MinCell, MinVoters: req.MinVoters, UrgentWords: req.UrgentWords, Resources: req.Resources,
			PublicBoard: req.PublicBoard, ResponseDays: req.ResponseDays, RetentionDays: req.RetentionDays})
	if err != nil {
		abort(c, err)
		return
	}
	c.JSON(http.StatusOK, org)
}
