package store

import (
	"context"
	"crypto/rand"
	"errors"
	"strconv"
	"time"

	"gorm.io/gorm/clause"

	"github.com/chorus-hr/chorus/models"
)

// AuditSMSSettings records a change to the organization's SMS set-up.
const AuditSMSSettings = "sms.settings"

// ErrSMSReplay means a webhook with this message id was handled already.
var ErrSMSReplay = errors.New("sms: message already handled")

// SMSSettingsInput is an admin's SMS set-up.
type SMSSettingsInput struct {
	PhoneNumber string
	AccountSID  string
	SiteID      string
	MonthlyCap  int
	Enabled     bool
}

// SMSSettings returns the organization's SMS set-up; ErrNotFound when it
// has none.
func (s *Store) SMSSettings(ctx context.Context, orgID string) (models.SMSSettings, error) {
	var out models.SMSSettings
	if !models.IsID(orgID) {
		return out, translate(errNotFound, "sms settings")
	}
	err := s.conn(ctx).Where("organization_id = ?", orgID).First(&out).Error
	return out, translate(err, "sms settings")
}

// SetSMSSettings sets the organization's SMS set-up, with its audit row.
func (a Actor) SetSMSSettings(ctx context.Context, orgID string, in SMSSettingsInput) (out models.SMSSettings, err error) {
	err = a.s.InTx(ctx, func(ctx context.Context) error {
		if _, err := a.s.Site(ctx, orgID, in.SiteID); err != nil {
			return invalid("site_id", "is not a site of this organization")
		}
		out = models.SMSSettings{OrganizationID: orgID, Provider: "twilio", PhoneNumber: in.PhoneNumber,
			AccountSID: in.AccountSID, SiteID: in.SiteID, MonthlyCap: in.MonthlyCap, Enabled: in.Enabled}
		err := a.s.conn(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "organization_id"}}, UpdateAll: true}).
			Create(&out).Error
		if err != nil {
			if errors.Is(translate(err, ""), ErrConflict) {
				return invalid("phone_number", "is another organization's number")
			}
			return translate(err, "save sms settings")
		}
		return a.record(ctx, orgID, AuditSMSSettings, "organization", orgID, models.Bands{
			"phone_number": in.PhoneNumber, "monthly_cap": strconv.Itoa(in.MonthlyCap), "enabled": strconv.FormatBool(in.Enabled)})
	})
	return out, err
}

// SMSUsage is the organization's count of messages sent in a month
// ("2026-12"); zero when none were.
func (s *Store) SMSUsage(ctx context.Context, orgID, month string) (models.SMSUsage, error) {
	var found []models.SMSUsage
	err := s.conn(ctx).Where("organization_id = ? AND month = ?", orgID, month).Limit(1).Find(&found).Error
	if err != nil || len(found) == 0 {
		return models.SMSUsage{OrganizationID: orgID, Month: month}, translate(err, "sms usage")
	}
	return found[0], nil
}

// ReserveSMS counts one message to send this month when the
// organization is under its cap, and says whether it was. At the cap it
// records the day the cap was reached, for staff, and sends nothing more.
func (s *Store) ReserveSMS(ctx context.Context, orgID, month string, day models.Day, limit int) (bool, error) {
	ok := false
	err := s.InTx(ctx, func(ctx context.Context) error {
		row := models.SMSUsage{OrganizationID: orgID, Month: month}
		if err := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return translate(err, "sms usage")
		}
		res := s.conn(ctx).Model(&models.SMSUsage{}).Where("organization_id = ? AND month = ? AND sent < ?", orgID, month, limit).
			UpdateColumn("sent", clause.Expr{SQL: "sent + 1"})
		if res.Error != nil {
			return translate(res.Error, "reserve sms")
		}
		if ok = res.RowsAffected == 1; ok {
			return nil
		}
		err := s.conn(ctx).Model(&models.SMSUsage{}).Where("organization_id = ? AND month = ? AND capped_on IS NULL", orgID, month).
			UpdateColumn("capped_on", day).Error
		return translate(err, "sms cap reached")
	})
	return ok, err
}

// SMSKey returns the secret of a key, making it when there is none yet.
func (s *Store) SMSKey(ctx context.Context, name string, day models.Day) ([]byte, error) {
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	k := models.SMSKey{Name: name, Secret: secret, CreatedOn: day}
	if err := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&k).Error; err != nil {
		return nil, translate(err, "sms key")
	}
	var found models.SMSKey
	err := s.conn(ctx).Where("name = ?", name).First(&found).Error
	return found.Secret, translate(err, "sms key")
}

// SMSKeys returns the secrets of the keys among names that exist.
func (s *Store) SMSKeys(ctx context.Context, names []string) (map[string][]byte, error) {
	var found []models.SMSKey
	err := s.conn(ctx).Where("name IN ?", names).Find(&found).Error
	out := make(map[string][]byte, len(found))
	for _, k := range found {
		out[k.Name] = k.Secret
	}
	return out, translate(err, "sms keys")
}

// MarkSMSSeen records a webhook's message id (as its HMAC); ErrSMSReplay
// when it was recorded before. Called in the transaction of what the
// message changes, a failed change leaves the message unseen, so the
// provider's retry is handled afresh.
func (s *Store) MarkSMSSeen(ctx context.Context, sidHash []byte, day models.Day) error {
	res := s.conn(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&models.SMSSeen{SidHash: sidHash, SeenOn: day})
	if res.Error != nil {
		return translate(res.Error, "sms seen")
	}
	if res.RowsAffected == 0 {
		return ErrSMSReplay
	}
	return nil
}

// SMSConversations returns the organization's conversations whose party
// hash is one of hashes.
func (s *Store) SMSConversations(ctx context.Context, orgID string, hashes [][]byte) ([]models.SMSConversation, error) {
	var out []models.SMSConversation
	if len(hashes) == 0 {
		return nil, nil
	}
	err := s.conn(ctx).Where("organization_id = ? AND party_hash IN ?", orgID, hashes).Find(&out).Error
	return out, translate(err, "sms conversations")
}

// SaveSMSConversation stores a conversation as it is now.
func (s *Store) SaveSMSConversation(ctx context.Context, c *models.SMSConversation) error {
	if c.Needs == nil {
		c.Needs = models.Codes{}
	}
	if c.Priorities == nil {
		c.Priorities = models.Codes{}
	}
	return translate(s.conn(ctx).Save(c).Error, "save sms conversation")
}

// EndSMSConversation deletes a conversation: nothing of it is left.
func (s *Store) EndSMSConversation(ctx context.Context, id string) error {
	return translate(s.conn(ctx).Where("id = ?", id).Delete(&models.SMSConversation{}).Error, "end sms conversation")
}

// ExpiredSMSConversations lists conversations idle past their end.
func (s *Store) ExpiredSMSConversations(ctx context.Context, now time.Time, limit int) ([]models.SMSConversation, error) {
	var out []models.SMSConversation
	err := s.conn(ctx).Where("expires_at <= ?", now).Order("expires_at").Limit(limit).Find(&out).Error
	return out, translate(err, "expired sms conversations")
}

// SweepSMS deletes what SMS no longer needs: meeting conversations and
// keys of meetings no longer open, day keys of past days that no
// conversation uses, and handled message ids older than yesterday (their
// key is gone, so they match nothing anyway).
func (s *Store) SweepSMS(ctx context.Context, today models.Day) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		open := s.conn(ctx).Model(&models.LiveSession{}).Select("id").Where("state <> ?", models.LiveEnded)
		if err := s.conn(ctx).Where("kind = ? AND (session_id IS NULL OR session_id NOT IN (?))", models.SMSMeeting, open).
			Delete(&models.SMSConversation{}).Error; err != nil {
			return translate(err, "sweep sms meetings")
		}
		used := s.conn(ctx).Model(&models.SMSConversation{}).Select("key_name")
		if err := s.conn(ctx).Where("name <> ? AND name NOT IN (?) AND (name LIKE 'day:%' OR name LIKE 'meeting:%')",
			"day:"+today.String(), used).Delete(&models.SMSKey{}).Error; err != nil {
			return translate(err, "sweep sms keys")
		}
		err := s.conn(ctx).Where("seen_on < ?", today.AddDays(-1)).Delete(&models.SMSSeen{}).Error
		return translate(err, "sweep sms seen")
	})
}

// SMSSource is the source of an SMS submission: the settings' site, with
// the organization's urgent words and categories as of now.
func (s *Store) SMSSource(ctx context.Context, set models.SMSSettings) (Source, error) {
	site, err := s.Site(ctx, set.OrganizationID, set.SiteID)
	if err != nil {
		return Source{}, err
	}
	var org struct {
		UrgentWords       models.Codes
		CategoriesVersion int64
	}
	err = s.conn(ctx).Table("organizations").Select("urgent_words", "categories_version").Where("id = ?", set.OrganizationID).Take(&org).Error
	if err != nil {
		return Source{}, translate(err, "organization")
	}
	return Source{OrganizationID: set.OrganizationID, Site: site, Channel: models.ChannelSMS,
		UrgentWords: org.UrgentWords, categoriesVersion: org.CategoriesVersion}, nil
}
