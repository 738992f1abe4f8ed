package models

// ResearchFinding is a short plain-language statement of what the coded
// texts say, in English and Spanish.
type ResearchFinding struct {
	ID             string  `gorm:"primaryKey" json:"id"`
	OrganizationID string  `json:"-"`
	StatementEN    string  `gorm:"column:statement_en" json:"statement_en"`
	StatementES    string  `gorm:"column:statement_es" json:"statement_es"`
	CreatedBy      *string `json:"created_by"`
	CreatedOn      Day     `json:"created_on"`
	Flagged        bool    `json:"flagged"`
}

// ResearchFindingCode links a finding to a code it rests on.
type ResearchFindingCode struct {
	FindingID string `gorm:"primaryKey"`
	CodeID    string `gorm:"primaryKey"`
}

// ResearchFindingExcerpt links a finding to a quotable exemplar excerpt.
type ResearchFindingExcerpt struct {
	FindingID string `gorm:"primaryKey"`
	ExcerptID string `gorm:"primaryKey"`
}

// findingModels are the findings' tables, for All.
func findingModels() []any {
	return append([]any{&ResearchFinding{}, &ResearchFindingCode{}, &ResearchFindingExcerpt{}}, checkModels()...)
}
