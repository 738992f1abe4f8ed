package models

// Member-check sources.
const (
	CheckLive  = "live"
	CheckKiosk = "kiosk"
)

// ResearchFindingAsk puts a finding to the kiosks of one site (SiteID) or
// of every site (nil) from StartDay to EndDay, both included.
type ResearchFindingAsk struct {
	ID             string  `gorm:"primaryKey" json:"id"`
	OrganizationID string  `json:"-"`
	FindingID      string  `json:"finding_id"`
	SiteID         *string `json:"site_id"`
	StartDay       Day     `json:"start_day"`
	EndDay         Day     `json:"end_day"`
	CreatedBy      *string `json:"-"`
	CreatedOn      Day     `json:"created_on"`
	// StoppedOn is the day staff stopped the question (nil: not stopped).
	// The kiosks no longer ask it, but answers taken before still count.
	StoppedOn *Day `json:"stopped_on"`
}

// ResearchFindingCheck is how the community answered a finding at a site
// on a day: one live round's counts (RoundID set, recorded once), or the
// day's kiosk answers added up.
type ResearchFindingCheck struct {
	ID             string  `gorm:"primaryKey" json:"id"`
	OrganizationID string  `json:"-"`
	FindingID      string  `json:"finding_id"`
	SiteID         string  `json:"site_id"`
	Day            Day     `json:"day"`
	Source         string  `json:"source"`
	RoundID        *string `json:"round_id"`
	Agree          int     `json:"agree"`
	Disagree       int     `json:"disagree"`
	Unsure         int     `json:"unsure"`
}

// checkModels are member checking's tables, for All.
func checkModels() []any {
	return []any{&ResearchFindingAsk{}, &ResearchFindingCheck{}}
}
