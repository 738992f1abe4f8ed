package store

import (
	"context"
	"net/url"
	"slices"
	"strings"

	"github.com/chorus-hr/chorus/internal/auth"
	"github.com/chorus-hr/chorus/models"
)

// WebhookSecretPrefix marks a Chorus webhook secret, so one pasted in the
// wrong place is easy to recognize.
const WebhookSecretPrefix = "whsec_"

// CreateWebhook adds a receiver and returns it with its secret: the only
// time the secret leaves Chorus.
func (s *Store) CreateWebhook(ctx context.Context, orgID string, by models.User, name, rawURL string) (models.Webhook, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 200 {
		return models.Webhook{}, "", invalid("name", "must be 1 to 200 characters")
	}
	u, err := checkWebhookURL(rawURL)
	if err != nil {
		return models.Webhook{}, "", err
	}
	secret, _ := auth.NewSecret(WebhookSecretPrefix)
	w := models.Webhook{ID: models.NewID(), OrganizationID: orgID, Name: name, URL: u, Secret: secret,
		CreatedBy: userRef(by), CreatedAt: s.now()}
	if err := s.conn(ctx).Create(&w).Error; err != nil {
		return models.Webhook{}, "", translate(err, "create webhook")
	}
	return w, secret, nil
}

// checkWebhookURL accepts an absolute http(s) URL without credentials in
// it (they would show in the admin's list; the signature authenticates).
func checkWebhookURL(raw string) (string, error) {
	raw = strings.TrimSpace(raw)
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(raw) > 2000 {
		return "", invalid("url", "must be an http:// or https:// address")
	}
	if u.User != nil {
		return "", invalid("url", "must not hold a user name or password")
	}
	return u.String(), nil
}

// Webhooks lists the organization's receivers by name.
func (s *Store) Webhooks(ctx context.Context, orgID string) ([]models.Webhook, error) {
	var out []models.Webhook
	err := s.conn(ctx).Where("organization_id = ?", orgID).Order("name, id").Find(&out).Error
	return out, translate(err, "webhooks")
}

// Webhook returns one receiver of the organization, secret included, for
// signing.
func (s *Store) Webhook(ctx context.Context, orgID, id string) (models.Webhook, error) {
	var w models.Webhook
	if !models.IsID(id) {
		return w, translate(errNotFound, "webhook")
	}
	err := s.conn(ctx).Where("organization_id = ? AND id = ?", orgID, id).First(&w).Error
	return w, translate(err, "webhook")
}

// DeleteWebhook removes a receiver, takes it out of every rule, and gives
// up its pending deliveries: nothing is sent to it afterwards.
func (s *Store) DeleteWebhook(ctx context.Context, orgID, id string) error {
	return s.InTx(ctx, func(ctx context.Context) error {
		if _, err := s.Webhook(ctx, orgID, id); err != nil {
			return err
		}
		rules, err := s.Rules(ctx, orgID)
		if err != nil {
			return err
		}
		for _, r := range rules {
			if !slices.Contains(r.WebhookIDs, id) {
				continue
			}
			kept := slices.DeleteFunc(slices.Clone(r.WebhookIDs), func(w string) bool { return w == id })
			if err := s.conn(ctx).Model(&models.RoutingRule{}).Where("id = ?", r.ID).
				Updates(map[string]any{"webhook_ids": models.Codes(kept), "updated_at": s.now()}).Error; err != nil {
				return translate(err, "update rule")
			}
		}
		err = s.conn(ctx).Model(&models.Delivery{}).
			Where("organization_id = ? AND channel = ? AND target = ? AND state = ?", orgID, models.ChannelWebhook, id, models.DeliveryPending).
			Updates(map[string]any{"state": models.DeliveryDead, "next_attempt_at": models.Unscheduled, "last_error": "the webhook was removed"}).Error
		if err != nil {
			return translate(err, "give up deliveries")
		}
		return translate(s.conn(ctx).Where("organization_id = ? AND id = ?", orgID, id).Delete(&models.Webhook{}).Error, "delete webhook")
	})
}
