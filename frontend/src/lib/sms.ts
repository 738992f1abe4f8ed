/** Taking part by text message (docs/sms.md): the admin's set-up and the projector's line. */
import { api } from './api';

export interface SMSSettings {
  provider: 'twilio';
  phone_number: string;
  account_sid: string;
  site_id: string;
  monthly_cap: number;
  enabled: boolean;
}

export interface SMSSettingsView {
  configured: boolean;
  settings: SMSSettings | null;
  /** Whether CHORUS_TWILIO_AUTH_TOKEN is set on the server. */
  token_set: boolean;
  webhook_url: string;
  status_url: string;
  month: string;
  sent: number;
  /** The day this month's cap was reached; null until then. */
  capped_on: string | null;
}

export type SMSSettingsInput = Omit<SMSSettings, 'provider'>;

export const smsApi = {
  settings: (signal?: AbortSignal) => api.get<SMSSettingsView>('/v1/organization/sms', { signal }),
  save: (input: SMSSettingsInput) => api.put<SMSSettingsView>('/v1/organization/sms', input),
  /** The number a meeting's code may be texted to; null when the organization takes no texts. */
  line: (code: string, signal?: AbortSignal) =>
    api.get<{ number: string | null }>(`/v1/live/${encodeURIComponent(code)}/sms`, { signal }),
};

/** A number as people read it aloud: (555) 010-0000 for a North American number, else as stored. */
export function displayNumber(e164: string): string {
  const m = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return m ? `(${m[1]}) ${m[2]}-${m[3]}` : e164;
}
