package store

import (
	"context"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/models"
)

// Audit actions of a session's room settings.
const (
	AuditLiveSharedDevice = "live.shared_device_added"
	AuditLiveRoomSize     = "live.room_size_set"
)

// SharedKeyPrefix marks a shared-tablet key.
const SharedKeyPrefix = "chorus_tablet_"

// MaxRoomSize is the largest room a facilitator may enter.
const MaxRoomSize = 10000

// AddSharedDevice issues the key that puts one tablet of an open session in
// shared mode, where each person who votes on it is a new participant. The
// key is returned once; only its hash is kept, with an audit row in the
// same transaction.
func (s *Store) AddSharedDevice(ctx context.Context, orgID string, actor *models.User, sessionID string) (string, error) {
	key, hash := auth.NewSecret(SharedKeyPrefix)
	err := s.InTx(ctx, func(ctx context.Context) error {
		if err := s.openSession(ctx, orgID, sessionID); err != nil {
			return err
		}
		dev := models.LiveSharedDevice{ID: models.NewID(), SessionID: sessionID, KeyHash: hash}
		if err := translate(s.conn(ctx).Create(&dev).Error, "add shared device"); err != nil {
			return err
		}
		return s.Audit(ctx, orgID, actor, AuditLiveSharedDevice, "live_session", sessionID, nil)
	})
	if err != nil {
		return "", err
	}
	return key, nil
}

// SharedDeviceKnown reports whether keyHash is a shared-tablet key of the
// session while the session is open: an ended session's keys are dead.
func (s *Store) SharedDeviceKnown(ctx context.Context, sessionID string, keyHash []byte) (bool, error) {
	var n int64
	err := s.conn(ctx).Model(&models.LiveSharedDevice{}).
		Joins("JOIN live_sessions ON live_sessions.id = live_shared_devices.session_id").
		Where("live_shared_devices.session_id = ? AND live_shared_devices.key_hash = ? AND live_sessions.state = ?",
			sessionID, keyHash, models.LiveOpen).
		Count(&n).Error
	return n > 0, translate(err, "shared device")
}

// SetRoomSize records how many people the facilitator says are in the
// room of an open session; nil clears it.
func (s *Store) SetRoomSize(ctx context.Context, orgID string, actor *models.User, sessionID string, size *int) (models.LiveSession, error) {
	if size != nil && (*size < 1 || *size > MaxRoomSize) {
		return models.LiveSession{}, invalid("room_size", "must be between 1 and 10000, or empty")
	}
	var sess models.LiveSession
	err := s.InTx(ctx, func(ctx context.Context) error {
		if err := s.openSession(ctx, orgID, sessionID); err != nil {
			return err
		}
		res := s.conn(ctx).Model(&models.LiveSession{}).Where("id = ?", sessionID).Update("room_size", size)
		if err := translate(res.Error, "set room size"); err != nil {
			return err
		}
		if err := s.Audit(ctx, orgID, actor, AuditLiveRoomSize, "live_session", sessionID, nil); err != nil {
			return err
		}
		var err error
		sess, err = s.LiveSession(ctx, orgID, sessionID)
		return err
	})
	return sess, err
}
