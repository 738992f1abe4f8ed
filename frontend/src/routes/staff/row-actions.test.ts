import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api';
import { RowActions } from './row-actions.svelte';

const question = { title: 'Turn off Front desk?', body: 'It stops at once.', confirm: 'Turn off' };
const answering = (yes: boolean) => ({ asked: 0, ask: async function () { this.asked++; return yes; } });

describe('row actions on a staff list', () => {
  it('does nothing but clear the last message when the person says no', async () => {
    let reloads = 0;
    let ran = false;
    const actions = new RowActions(async () => void reloads++);
    actions.notice = 'Earlier notice';
    actions.error = new Error('earlier');
    const dialog = answering(false);
    await actions.confirmThen(dialog, question, async () => ((ran = true), 'done'));
    expect(dialog.asked).toBe(1);
    expect(ran).toBe(false);
    expect(reloads).toBe(0);
    expect(actions.notice).toBe('');
    expect(actions.error).toBeUndefined();
  });

  it('says what was done and reads the list again once confirmed', async () => {
    const order: string[] = [];
    const actions = new RowActions(async () => void order.push(`reload after "${actions.notice}"`));
    await actions.confirmThen(answering(true), question, async () => (order.push('act'), 'Front desk is turned off.'));
    expect(order).toEqual(['act', 'reload after "Front desk is turned off."']);
    expect(actions.notice).toBe('Front desk is turned off.');
    expect(actions.error).toBeUndefined();
  });

  it('shows the error and no notice when the action fails, without reloading', async () => {
    let reloads = 0;
    const actions = new RowActions(async () => void reloads++);
    actions.notice = 'Earlier notice';
    const refused = new ApiError(409, 'conflict', 'Already off');
    await actions.run(async () => {
      throw refused;
    });
    expect(actions.error).toBe(refused);
    expect(actions.notice).toBe('');
    expect(reloads).toBe(0);
  });
});
