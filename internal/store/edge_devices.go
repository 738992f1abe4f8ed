package store

import (
	"context"
	"errors"
	"strings"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/models"
)

// Edge device audit actions.
const (
	AuditEdgeCreated  = "edge.created"
	AuditEdgeCode     = "edge.enrollment_code"
	AuditEdgeEnrolled = "edge.enrolled"
	AuditEdgeRevoked  = "edge.revoked"
)

// EdgeTokenPrefix starts an edge device token (internal/edge.TokenPrefix).
const EdgeTokenPrefix = "chorus_edge_"

// EdgeAuth is an edge device as an authenticated sync request sees it.
type EdgeAuth struct {
	Device models.EdgeDevice
	Site   models.Site
}

// CreateEdgeDevice adds an edge device for a site, with its first
// one-time enrollment code; the audit row is in the same transaction.
func (a Actor) CreateEdgeDevice(ctx context.Context, orgID, siteID, name string) (models.EdgeDevice, Enrollment, error) {
	s := a.s
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 200 {
		return models.EdgeDevice{}, Enrollment{}, invalid("name", "must be 1 to 200 characters")
	}
	var (
		d  models.EdgeDevice
		en Enrollment
	)
	err := s.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.Site(ctx, orgID, siteID); err != nil {
			if errors.Is(err, ErrNotFound) {
				return invalid("site_id", "is not a site of this organization")
			}
			return err
		}
		now := s.now()
		d = models.EdgeDevice{ID: models.NewID(), OrganizationID: orgID, SiteID: siteID, Name: name, CreatedAt: now, UpdatedAt: now}
		if err := s.conn(ctx).Create(&d).Error; err != nil {
			return translate(err, "create edge device")
		}
		var err error
		if en, err = s.newEdgeEnrollment(ctx, d.ID, a.userID()); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditEdgeCreated, "edge_device", d.ID, models.Bands{"name": d.Name})
	})
	return d, en, err
}

// NewEdgeEnrollment issues a fresh one-time code for an edge device, to
// set up or replace the laptop; earlier unused codes stop working.
func (a Actor) NewEdgeEnrollment(ctx context.Context, orgID, deviceID string) (Enrollment, error) {
	var en Enrollment
	err := a.s.InTx(ctx, func(ctx context.Context) error {
		if _, err := a.s.EdgeDevice(ctx, orgID, deviceID); err != nil {
			return err
		}
		var err error
		if en, err = a.s.newEdgeEnrollment(ctx, deviceID, a.userID()); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditEdgeCode, "edge_device", deviceID, nil)
	})
	return en, err
}

func (s *Store) newEdgeEnrollment(ctx context.Context, deviceID, createdBy string) (Enrollment, error) {
	now := s.now()
	if err := s.conn(ctx).Model(&models.EdgeEnrollment{}).Where("device_id = ? AND used_at IS NULL", deviceID).
		Update("used_at", now).Error; err != nil {
		return Enrollment{}, translate(err, "cancel earlier codes")
	}
	code := auth.NewCode(EnrollmentCodeLength)
	en := models.EdgeEnrollment{CodeHash: auth.HashSecret(code), DeviceID: deviceID, ExpiresAt: now.Add(EnrollmentTTL)}
	if createdBy != "" {
		en.CreatedBy = &createdBy
	}
	if err := s.conn(ctx).Create(&en).Error; err != nil {
		return Enrollment{}, translate(err, "create edge enrollment")
	}
	return Enrollment{Code: code, ExpiresAt: en.ExpiresAt}, nil
}

// EnrollEdge trades a valid, unused code for a device token. The code
// works once; the device's earlier token, if any, stops working.
func (a Actor) EnrollEdge(ctx context.Context, code string) (EdgeAuth, string, error) {
	s := a.s
	code = auth.NormalizeCode(code)
	var (
		ea     EdgeAuth
		secret string
	)
	err := s.InTx(ctx, func(ctx context.Context) error {
		now := s.now()
		var en models.EdgeEnrollment
		if err := s.claimCode(ctx, code, &en, "edge enrollment"); err != nil {
			return err
		}
		var hash []byte
		secret, hash = auth.NewSecret(EdgeTokenPrefix)
		res := s.conn(ctx).Model(&models.EdgeDevice{}).Where("id = ? AND revoked_at IS NULL", en.DeviceID).
			Updates(map[string]any{"token_hash": hash, "enrolled_at": now, "updated_at": now})
		if res.Error != nil {
			return translate(res.Error, "enroll edge device")
		}
		if res.RowsAffected == 0 {
			return ErrCredentials
		}
		var err error
		if ea, err = s.edgeAuth(ctx, "edge_devices.id = ?", en.DeviceID); err != nil {
			return err
		}
		return a.record(ctx, ea.Device.OrganizationID, AuditEdgeEnrolled, "edge_device", ea.Device.ID, models.Bands{"name": ea.Device.Name})
	})
	return ea, secret, err
}

// EdgeByToken authenticates an edge device token. Revoked devices and
// unknown tokens are ErrCredentials.
func (s *Store) EdgeByToken(ctx context.Context, secret string) (EdgeAuth, error) {
	if !strings.HasPrefix(secret, EdgeTokenPrefix) {
		return EdgeAuth{}, ErrCredentials
	}
	ea, err := s.edgeAuth(ctx, "edge_devices.token_hash = ? AND edge_devices.revoked_at IS NULL", auth.HashSecret(secret))
	if errors.Is(err, ErrNotFound) {
		return EdgeAuth{}, ErrCredentials
	}
	return ea, err
}

func (s *Store) edgeAuth(ctx context.Context, where string, arg any) (EdgeAuth, error) {
	var d models.EdgeDevice
	if err := s.conn(ctx).Where(where, arg).First(&d).Error; err != nil {
		return EdgeAuth{}, translate(err, "edge device")
	}
	site, err := s.Site(ctx, d.OrganizationID, d.SiteID)
	if err != nil {
		return EdgeAuth{}, err
	}
	return EdgeAuth{Device: d, Site: site}, nil
}

// RevokeEdgeDevice stops an edge device's token at once, with its unused
// codes. What the device already sent stays; what it holds stays on it.
func (a Actor) RevokeEdgeDevice(ctx context.Context, orgID, id string) (models.EdgeDevice, error) {
	s := a.s
	var d models.EdgeDevice
	err := s.InTx(ctx, func(ctx context.Context) error {
		var err error
		if d, err = s.EdgeDevice(ctx, orgID, id); err != nil {
			return err
		}
		now := s.now()
		if err := s.conn(ctx).Model(&models.EdgeDevice{}).Where("id = ?", id).
			Updates(map[string]any{"token_hash": nil, "revoked_at": now, "updated_at": now}).Error; err != nil {
			return translate(err, "revoke edge device")
		}
		if err := s.conn(ctx).Model(&models.EdgeEnrollment{}).Where("device_id = ? AND used_at IS NULL", id).
			Update("used_at", now).Error; err != nil {
			return translate(err, "cancel edge codes")
		}
		if d, err = s.EdgeDevice(ctx, orgID, id); err != nil {
			return err
		}
		return a.record(ctx, orgID, AuditEdgeRevoked, "edge_device", id, models.Bands{"name": d.Name})
	})
	return d, err
}

// EdgeDevices lists an organization's edge devices.
func (s *Store) EdgeDevices(ctx context.Context, orgID string) ([]models.EdgeDevice, error) {
	var out []models.EdgeDevice
	return out, translate(s.conn(ctx).Where("organization_id = ?", orgID).Order("name, id").Find(&out).Error, "edge devices")
}

// EdgeDevice returns one edge device of the organization.
func (s *Store) EdgeDevice(ctx context.Context, orgID, id string) (models.EdgeDevice, error) {
	var d models.EdgeDevice
	if !models.IsID(id) {
		return d, translate(errNotFound, "edge device")
	}
	return d, translate(s.conn(ctx).Where("organization_id = ? AND id = ?", orgID, id).First(&d).Error, "edge device")
}
