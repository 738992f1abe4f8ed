package store

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"time"

	"github.com/chorus-hr/chorus/internal/database"
)

// Bounds of the kiosk cache. kioskCacheTTL only backs up the listener: a
// change is forgotten at its commit's notification, and an entry is read
// again after kioskCacheTTL even if a notification was somehow missed.
const (
	kioskCacheSize = 20000
	kioskCacheTTL  = time.Minute
)

// KioskCache keeps kiosk authentications (KioskByToken) in memory between
// requests on PostgreSQL, where the query is a round trip and a third of a
// submission's CPU. It is safe because every process hears of every change
// at its commit: a trigger on kiosks, sites and organizations (migration
// 00025) notifies a channel this cache listens on, and the cache then
// forgets everything. While the listener is not connected nothing is kept,
// so a notification missed in an outage cannot leave a revoked kiosk
// accepted; this process's own revocations forget at once, without waiting
// for their notification.
//
// Unknown and revoked tokens are never kept: each is a query, as before.
type KioskCache struct {
	mu        sync.Mutex
	gen       uint64 // moves on every change heard and every outage
	listening bool
	entries   map[[32]byte]kioskCached

	listener *database.Listener
	now      func() time.Time
}

type kioskCached struct {
	auth    KioskAuth
	expires time.Time
}

// KioskAuthChannel is the channel migration 00025's trigger notifies.
func KioskAuthChannel(ctx context.Context, db *sql.DB) (string, error) {
	return database.ChannelName(ctx, db, "chorus_kiosk_auth_")
}

// NewKioskCache listens for changes on the PostgreSQL database at url (db
// is a pool on the same database) and returns once it listens; Close stops
// it.
func NewKioskCache(ctx context.Context, url string, db *sql.DB, log *slog.Logger) (*KioskCache, error) {
	channel, err := KioskAuthChannel(ctx, db)
	if err != nil {
		return nil, err
	}
	c := &KioskCache{listening: true, entries: map[[32]byte]kioskCached{}, now: time.Now}
	c.listener, err = database.NewListener(ctx, url, channel, database.ListenHandlers{
		Notify:    func(string) { c.changed() },
		Lost:      func() { c.forget(false) },
		Listening: func() { c.forget(true) },
	}, log)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Close stops listening; the cache keeps nothing from then on.
func (c *KioskCache) Close() error {
	err := c.listener.Close()
	c.forget(false)
	return err
}

// forget drops every entry and says whether entries may be kept from now.
func (c *KioskCache) forget(listening bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.listening = listening
	clear(c.entries)
}

// changed forgets every entry after a change this process committed.
func (c *KioskCache) changed() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	clear(c.entries)
}

// get returns the kept authentication of a token hash, or the generation
// to give put after reading it from the database.
func (c *KioskCache) get(hash []byte) (KioskAuth, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[[32]byte(hash)]
	if ok && c.now().Before(e.expires) {
		return e.auth, c.gen, true
	}
	return KioskAuth{}, c.gen, false
}

// put keeps an authentication read from the database, unless something
// changed (or the listener was lost) since get gave gen: the row read may
// be older than that change.
func (c *KioskCache) put(gen uint64, hash []byte, ka KioskAuth) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || !c.listening {
		return
	}
	if len(c.entries) >= kioskCacheSize {
		clear(c.entries)
	}
	c.entries[[32]byte(hash)] = kioskCached{auth: ka, expires: c.now().Add(kioskCacheTTL)}
}

// UseKioskCache makes KioskByToken keep authentications in c (nil: one
// query per request).
func (s *Store) UseKioskCache(c *KioskCache) { s.kiosks = c }
