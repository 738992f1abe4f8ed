package models

// CodedExcerpt is one excerpt as code counts see it: its site, its day and
// which of the codes asked about it holds (bit j for the j-th code), on
// the whole text or a span, by any coder.
type CodedExcerpt struct {
	SiteID string
	Day    Day
	Codes  uint64
}
