/** How many alerts the inbox holds, for the badge in the staff menu. */
import { moderationApi } from '../../lib/moderation';

let count = $state<number | null>(null);

/** Reactive: read `alertCount.value` in a component; null until known. */
export const alertCount = {
  get value(): number | null {
    return count;
  },
};

/** Records a count the alerts page has just read, so the badge agrees with it. */
export function setAlertCount(value: number): void {
  count = value;
}

/** Asks the server once; a failure leaves the badge as it was, since the inbox itself shows any error. */
export async function loadAlertCount(): Promise<void> {
  try {
    count = (await moderationApi.alerts()).length;
  } catch {
    // The badge is a convenience: the alerts page reports the failure when opened.
  }
}
