package deliver_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/store"
	"github.com/chorus-hr/chorus/internal/testutil"
	"github.com/chorus-hr/chorus/models"
)

// errTransient stands in for a dropped connection or a timeout: an error
// that is not the row being missing.
var errTransient = errors.New("connection reset by peer")

// fault makes every read of one table fail while it is on, the way a
// database that is briefly away fails one lookup in the middle of a pass.
type fault struct {
	table string
	on    atomic.Bool
}

// injectFault registers a fault on db's reads of table, off at first.
func injectFault(t *testing.T, db *database.DB, table string) *fault {
	t.Helper()
	f := &fault{table: table}
	fail := func(tx *gorm.DB) {
		if f.on.Load() && tx.Statement.Table == f.table {
			_ = tx.AddError(errTransient)
		}
	}
	if err := db.Callback().Query().Before("gorm:query").Register("test:fault_query", fail); err != nil {
		t.Fatal(err)
	}
	if err := db.Callback().Row().Before("gorm:row").Register("test:fault_row", fail); err != nil {
		t.Fatal(err)
	}
	return f
}

// A staff user whose lookup fails for a moment is not dropped from an
// urgent alert: the pass fails and routes nothing, and once the database
// answers again the next pass reaches everyone, each once.
func TestUrgentAlertSurvivesAFailedRecipientLookup(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		users := injectFault(t, db, "users")
		mb, smtpURL := startSMTP(t)
		f.rule(t, store.RuleInput{Name: "Urgent words", Event: models.EventUrgent, UserIDs: []string{f.staff.ID},
			Emails: []string{"oncall@partner.test"}})
		f.submit(t, store.SubmissionInput{Text: "overdose by the bridge", Urgent: []string{"overdose"}})
		w := f.worker(f.st, mustSMTP(t, smtpURL))

		users.on.Store(true)
		if err := w.Tick(ctx); !errors.Is(err, errTransient) {
			t.Errorf("a pass whose recipient lookup failed returned %v, want the failure", err)
		}
		if ds := f.deliveries(t); len(ds) != 0 {
			t.Errorf("the failed pass left %d deliveries; want none until every recipient is known", len(ds))
		}

		users.on.Store(false)
		if err := w.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(mb.to(t, f.staff.Email)); n != 1 {
			t.Errorf("staff got %d e-mails after the fault cleared, want 1", n)
		}
		if n := len(mb.to(t, "oncall@partner.test")); n != 1 {
			t.Errorf("the on-call address got %d e-mails, want 1", n)
		}
	})
}

// Only a recipient who is really gone is skipped: a staff user removed
// from the organization after the rule was written gets nothing, and the
// others still get the alert.
func TestUrgentAlertSkipsARemovedMember(t *testing.T) {
	testutil.EachDB(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		mb, smtpURL := startSMTP(t)
		f.rule(t, store.RuleInput{Name: "Urgent words", Event: models.EventUrgent, UserIDs: []string{f.staff.ID, f.admin.ID}})
		if err := f.st.RemoveMember(ctx, f.org.ID, f.staff.ID); err != nil {
			t.Fatal(err)
		}
		f.submit(t, store.SubmissionInput{Text: "overdose", Urgent: []string{"overdose"}})
		if err := f.worker(f.st, mustSMTP(t, smtpURL)).Tick(ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(mb.to(t, f.staff.Email)); n != 0 {
			t.Errorf("a removed member got %d e-mails", n)
		}
		if n := len(mb.to(t, f.admin.Email)); n != 1 {
			t.Errorf("admin got %d e-mails, want 1", n)
		}
	})
}
