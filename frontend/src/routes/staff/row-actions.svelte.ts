/**
 * What a staff list's row actions (turn off, revoke, delete) last said: a
 * notice of what was done, or the error that stopped it. Each action clears
 * the last one's message first, and the list is read again after a change.
 */
import { redirectIfSignedOut } from '../../lib/session.svelte';

/** A ConfirmDialog: resolves true when the person goes ahead. */
interface Asker {
  ask(question: { title: string; body: string; confirm: string }): Promise<boolean>;
}

export class RowActions {
  notice = $state('');
  error = $state<unknown>();

  /** @param reload reads the list again; it shows its own errors. */
  constructor(private readonly reload: () => Promise<void>) {}

  /** Clears the last action's message. */
  clear(): void {
    this.notice = '';
    this.error = undefined;
  }

  /**
   * Runs `action`, shows the notice it returns and reloads the list; an
   * error is shown instead (a signed-out session goes to sign in).
   */
  async run(action: () => Promise<string>): Promise<void> {
    this.clear();
    try {
      this.notice = await action();
      await this.reload();
    } catch (err) {
      if (!redirectIfSignedOut(err)) this.error = err;
    }
  }

  /** Asks first in `dialog`; "no" (or Escape) does nothing more than clear the last message. */
  async confirmThen(dialog: Asker, question: Parameters<Asker['ask']>[0], action: () => Promise<string>): Promise<void> {
    this.clear();
    if (await dialog.ask(question)) await this.run(action);
  }
}
