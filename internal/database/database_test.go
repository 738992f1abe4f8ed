package database_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"gorm.io/gorm"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// Transactions that read and then write must not fail with SQLITE_BUSY
// when others write at the same time: they start IMMEDIATE and wait their
// turn under the busy timeout.
func TestSQLiteReadThenWriteTransactionsWait(t *testing.T) {
	db, err := database.Open(context.Background(), filepath.Join(t.TempDir(), "c.db"), testutil.Logger())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Exec("CREATE TABLE counter (n INTEGER)").Error; err != nil {
		t.Fatal(err)
	}
	const workers, rounds = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*rounds)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < rounds; i++ {
				errs <- db.Transaction(func(tx *gorm.DB) error {
					var n int64
					if err := tx.Raw("SELECT COUNT(*) FROM counter").Scan(&n).Error; err != nil {
						return err
					}
					return tx.Exec("INSERT INTO counter (n) VALUES (?)", n).Error
				})
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a read-then-write transaction failed: %v", err)
		}
	}
	var total int64
	db.Raw("SELECT COUNT(*) FROM counter").Scan(&total)
	if total != workers*rounds {
		t.Fatalf("%d rows, want %d", total, workers*rounds)
	}
}
