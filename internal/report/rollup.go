// Package report turns submissions into the aggregated, privacy-protected
// figures that leave the staff role: daily rollups that outlive the
// submissions they count, report tables built from them, and the
// small-cell suppression of internal/privacy applied to every count.
package report

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/models"
)

// Metrics counted per site and day.
const (
	MetricSubmissions    = "submissions"
	MetricNeed           = "need"
	MetricStrength       = "strength"
	MetricPriority       = "priority"
	MetricPriorityPoints = "priority_points"
	MetricAbout          = "about"
	// MetricChannel counts submissions by how they came in (code: the
	// channel, such as kiosk or phone).
	MetricChannel = "channel"
)

// settleDays is how long a day stays open to new submissions: a day is
// named in the site's time zone (up to 14 hours from UTC), and the server
// stamps the day when a submission arrives, so two days after a UTC day
// ends no submission can carry it any more. Kiosks that were offline send
// later, but are stamped on arrival.
const settleDays = 2

// Reporter reads and maintains the rollups.
type Reporter struct {
	db      *gorm.DB
	dialect database.Dialect
	// Now is the clock; tests move it.
	Now func() time.Time
}

// New returns a Reporter over db.
func New(db *database.DB) *Reporter {
	return &Reporter{db: db.DB, dialect: db.Dialect, Now: time.Now}
}

// freshFrom is the first day that is not settled: reports count it from
// the submissions themselves.
func (r *Reporter) freshFrom() models.Day {
	return models.DayOf(r.Now(), time.UTC).AddDays(-settleDays)
}

// counts is the SELECT that counts one metric of one organization's
// submissions over [from, to), grouped by site, day and code. The same
// statement fills the rollups and answers for days not yet rolled up, so
// the two can never disagree.
func (r *Reporter) counts(metric string) (string, error) {
	pg := r.dialect == database.Postgres
	// Each metric expands a JSON column into rows: (code, value).
	var from, code, value string
	switch metric {
	case MetricSubmissions:
		from, code, value = "submissions s", "''", "COUNT(*)"
	case MetricChannel:
		from, code, value = "submissions s", "s.channel", "COUNT(*)"
	case MetricNeed, MetricStrength:
		col := "needs"
		if metric == MetricStrength {
			col = "strengths"
		}
		if pg {
			from, code = "submissions s, jsonb_array_elements_text(s."+col+") AS x(v)", "x.v"
		} else {
			from, code = "submissions s, json_each(s."+col+") AS x", "x.value"
		}
		value = "COUNT(*)"
	case MetricPriority, MetricPriorityPoints:
		if pg {
			from, code = "submissions s, jsonb_array_elements_text(s.priorities) WITH ORDINALITY AS x(v, i)", "x.v"
			value = "COUNT(*)"
			if metric == MetricPriorityPoints {
				value = "SUM(CASE WHEN x.i <= 3 THEN 4 - x.i ELSE 0 END)"
			}
		} else {
			from, code = "submissions s, json_each(s.priorities) AS x", "x.value"
			value = "COUNT(*)"
			if metric == MetricPriorityPoints {
				value = "SUM(CASE WHEN x.key < 3 THEN 3 - x.key ELSE 0 END)"
			}
		}
	case MetricAbout:
		if pg {
			from, code = "submissions s, jsonb_each_text(s.about) AS x(k, v)", "x.k || ':' || x.v"
		} else {
			from, code = "submissions s, json_each(s.about) AS x", "x.key || ':' || x.value"
		}
		value = "COUNT(*)"
	default:
		return "", fmt.Errorf("unknown metric %q", metric)
	}
	group := "s.site_id, s.day"
	if metric != MetricSubmissions {
		group += ", " + code
	}
	return fmt.Sprintf(`SELECT s.site_id AS site_id, s.day AS day, %s AS code, %s AS value FROM %s
		WHERE s.organization_id = ? AND s.day >= ? AND s.day < ? GROUP BY %s`, code, value, from, group), nil
}

// AllMetrics lists every rolled-up metric.
var AllMetrics = []string{MetricSubmissions, MetricNeed, MetricStrength, MetricPriority, MetricPriorityPoints, MetricAbout, MetricChannel}

// Roll brings an organization's rollups up to date: every settled day not
// rolled up yet is counted, in one transaction with the mark, so two
// processes rolling at once write the same rows and one of them waits.
// It returns the first day not rolled up.
func (r *Reporter) Roll(ctx context.Context, orgID string) (models.Day, error) {
	until := r.freshFrom()
	err := r.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var marks []struct{ Through models.Day }
		if err := tx.Raw("SELECT through FROM rollup_marks WHERE organization_id = ?", orgID).Scan(&marks).Error; err != nil {
			return fmt.Errorf("rollup mark: %w", err)
		}
		from := models.Day{}
		if len(marks) == 1 {
			from = marks[0].Through
		} else {
			var first []struct{ Day *models.Day }
			if err := tx.Raw("SELECT MIN(day) AS day FROM submissions WHERE organization_id = ?", orgID).Scan(&first).Error; err != nil {
				return fmt.Errorf("first submission: %w", err)
			}
			if len(first) == 0 || first[0].Day == nil {
				from = until
			} else {
				from = *first[0].Day
			}
		}
		if !from.Time().Before(until.Time()) {
			return nil
		}
		// Rows of a day already counted (a mark lost in a crash between
		// two processes) are replaced, never added to.
		if err := tx.Exec("DELETE FROM rollups WHERE organization_id = ? AND day >= ? AND day < ?", orgID, from, until).Error; err != nil {
			return fmt.Errorf("clear rollups: %w", err)
		}
		for _, m := range AllMetrics {
			sel, err := r.counts(m)
			if err != nil {
				return err
			}
			ins := "INSERT INTO rollups (organization_id, metric, site_id, day, code, value) SELECT ?, ?, c.site_id, c.day, c.code, c.value FROM (" + sel + ") c"
			if err := tx.Exec(ins, orgID, m, orgID, from, until).Error; err != nil {
				return fmt.Errorf("roll up %s: %w", m, err)
			}
		}
		if len(marks) == 1 {
			return tx.Exec("UPDATE rollup_marks SET through = ? WHERE organization_id = ?", until, orgID).Error
		}
		return tx.Exec("INSERT INTO rollup_marks (organization_id, through) VALUES (?, ?)", orgID, until).Error
	})
	return until, err
}

// RolledThrough is the first day of an organization that is not rolled up
// (zero when nothing is).
func (r *Reporter) RolledThrough(ctx context.Context, orgID string) (models.Day, error) {
	var marks []struct{ Through models.Day }
	err := r.db.WithContext(ctx).Raw("SELECT through FROM rollup_marks WHERE organization_id = ?", orgID).Scan(&marks).Error
	if err != nil || len(marks) == 0 {
		return models.Day{}, err
	}
	return marks[0].Through, nil
}

// Count is one metric's value at one site on one day.
type Count struct {
	SiteID string
	Day    models.Day
	Code   string
	Value  int
}

// Counts returns a metric's daily counts over [from, to] for the given
// sites (all when none): rolled-up days from the rollups, the rest counted
// from the submissions.
func (r *Reporter) Counts(ctx context.Context, orgID, metric string, siteIDs []string, from, to models.Day) ([]Count, error) {
	end := to.AddDays(1)
	mark, err := r.RolledThrough(ctx, orgID)
	if err != nil {
		return nil, fmt.Errorf("rollup mark: %w", err)
	}
	var out []Count
	if mark.Time().After(from.Time()) {
		split := mark
		if end.Time().Before(split.Time()) {
			split = end
		}
		q := r.db.WithContext(ctx).Table("rollups").Select("site_id, day, code, value").
			Where("organization_id = ? AND metric = ? AND day >= ? AND day < ?", orgID, metric, from, split)
		if len(siteIDs) > 0 {
			q = q.Where("site_id IN ?", siteIDs)
		}
		if err := q.Scan(&out).Error; err != nil {
			return nil, fmt.Errorf("read rollups %s: %w", metric, err)
		}
		from = split
	}
	if !from.Time().Before(end.Time()) {
		return out, nil
	}
	sel, err := r.counts(metric)
	if err != nil {
		return nil, err
	}
	var fresh []Count
	q := r.db.WithContext(ctx).Raw("SELECT * FROM ("+sel+") c", orgID, from, end)
	if len(siteIDs) > 0 {
		q = r.db.WithContext(ctx).Raw("SELECT * FROM ("+sel+") c WHERE c.site_id IN ?", orgID, from, end, siteIDs)
	}
	if err := q.Scan(&fresh).Error; err != nil {
		return nil, fmt.Errorf("count %s: %w", metric, err)
	}
	return append(out, fresh...), nil
}
