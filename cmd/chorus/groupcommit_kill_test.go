package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
	"github.com/chorus-hr/chorus/internal/testutil"
)

// killTest is what the kill test sent and what it was told.
type killTest struct {
	mu    sync.Mutex
	acked map[string]string // idempotency key → id, for every 201 or 200
	text  map[string]string // idempotency key → free text sent with it
}

func (k *killTest) ack(key, id string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.acked[key] = id
}

// Killing `chorus serve` while kiosks send submissions (one at a time and
// in batches, so that groups are being committed): every submission that
// was acknowledged is in the database, and every submission in the
// database is whole — one sent with free text has its text.
func TestKilledServerKeepsEveryAcknowledgedSubmission(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts server processes")
	}
	bin := buildChorus(t)
	for _, dialect := range testutil.Dialects(t) {
		t.Run(string(dialect), func(t *testing.T) {
			dbURL := testutil.NewDatabaseURL(t, dialect)
			bootstrapWithSite(t, dbURL, "Killed")
			kiosks := make([]string, 6)
			for i := range kiosks {
				r := runWith(context.Background(), map[string]string{"DATABASE_URL": dbURL},
					"admin", "kiosk", "add", "--org", "Killed", "--site", "Hall", "--name", fmt.Sprint("Tablet ", i))
				if r.code != 0 {
					t.Fatalf("kiosk add: %+v", r)
				}
				lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
				kiosks[i] = lines[len(lines)-1]
			}
			s := startServe(t, bin, dbURL)
			k := &killTest{acked: map[string]string{}, text: map[string]string{}}
			var sent atomic.Int32
			stop := make(chan struct{})
			var wg sync.WaitGroup
			for i, tok := range kiosks {
				wg.Go(func() { k.send(t, s, tok, i, &sent, stop) })
			}
			testutil.Eventually(t, multiWait, "40 acknowledged submissions", func() bool {
				k.mu.Lock()
				defer k.mu.Unlock()
				return len(k.acked) >= 40
			})
			if err := s.cmd.Process.Kill(); err != nil {
				t.Fatal(err)
			}
			<-s.exited
			close(stop)
			wg.Wait()
			k.check(t, dbURL, int(sent.Load()))
		})
	}
}

// send posts submissions as one kiosk until the server is gone: every
// fourth request a batch of 20, the others one at a time; every other
// submission has free text. Every answer with an id is recorded.
func (k *killTest) send(t *testing.T, s serveProc, token string, kiosk int, sent *atomic.Int32, stop chan struct{}) {
	client := &http.Client{Timeout: 10 * time.Second}
	for n := 0; n < 28; n++ {
		select {
		case <-stop:
			return
		default:
		}
		var items []map[string]any
		for j := range map[bool]int{true: 20, false: 1}[n%4 == 3] {
			key := fmt.Sprintf("k%d-%d-%d", kiosk, n, j)
			sub := map[string]any{"language": "en", "needs": []string{"food"}}
			if (n+j)%2 == 0 {
				sub["text"] = "more hours on Fridays, please " + key
				k.mu.Lock()
				k.text[key] = sub["text"].(string)
				k.mu.Unlock()
			}
			items = append(items, map[string]any{"idempotency_key": key, "submission": sub})
		}
		sent.Add(int32(len(items)))
		path, body := "/api/v1/kiosk/submissions", any(items[0]["submission"])
		if len(items) > 1 {
			path, body = "/api/v1/kiosk/submissions:batch", map[string]any{"items": items}
		}
		b, _ := json.Marshal(body)
		req, _ := http.NewRequest(http.MethodPost, s.base+path, bytes.NewReader(b))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		if len(items) == 1 {
			req.Header.Set("Idempotency-Key", items[0]["idempotency_key"].(string))
		}
		resp, err := client.Do(req)
		if err != nil {
			return // the server was killed
		}
		var out struct {
			ID      string `json:"id"`
			Results []struct {
				IdempotencyKey string `json:"idempotency_key"`
				Status         int    `json:"status"`
				ID             string `json:"id"`
			} `json:"results"`
		}
		err = json.NewDecoder(resp.Body).Decode(&out)
		_ = resp.Body.Close()
		switch {
		case err != nil:
			return // cut off mid-answer: nothing acknowledged
		case len(items) == 1 && (resp.StatusCode == http.StatusCreated || resp.StatusCode == http.StatusOK):
			k.ack(items[0]["idempotency_key"].(string), out.ID)
		case len(items) == 1:
			t.Errorf("submission answered %d", resp.StatusCode)
		}
		for _, r := range out.Results {
			if r.Status == http.StatusCreated || r.Status == http.StatusOK {
				k.ack(r.IdempotencyKey, r.ID)
			}
		}
	}
}

// check reads the database back after the kill.
func (k *killTest) check(t *testing.T, dbURL string, sent int) {
	db, err := database.Open(context.Background(), dbURL, testutil.Logger())
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = db.Close() }()
	var rows []struct {
		ID             string
		IdempotencyKey []byte
		Body           *string
	}
	if err := db.Raw(`SELECT s.id, s.idempotency_key, t.body FROM submissions s LEFT JOIN feedback_texts t ON t.submission_id = s.id`).
		Scan(&rows).Error; err != nil {
		t.Fatal(err)
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	byHash := map[string]string{}
	for key := range k.text {
		byHash[hashHex(key)] = key
	}
	stored := map[string]bool{}
	for _, r := range rows {
		stored[r.ID] = true
		key, withText := byHash[hex.EncodeToString(r.IdempotencyKey)]
		switch {
		case withText && (r.Body == nil || *r.Body != k.text[key]):
			t.Errorf("submission %s (%s) is stored without its text", r.ID, key)
		case !withText && r.Body != nil:
			t.Errorf("submission %s has a text it was not sent with", r.ID)
		}
	}
	for key, id := range k.acked {
		if !stored[id] {
			t.Errorf("submission %s (%s) was acknowledged but is not stored", id, key)
		}
	}
	t.Logf("%d sent, %d acknowledged, %d stored", sent, len(k.acked), len(rows))
}

func hashHex(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}
