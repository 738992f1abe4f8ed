/** The needs and strengths editor's choices and checks, free of the DOM so they are easy to test. */
import type { MessageKey } from '../../lib/i18n';
import { categoryKinds, type Category, type CategoryKind, type Labels } from '../../lib/moderation';

/** The pictures the kiosk knows, by name, with the words staff read for each. */
export const icons: readonly { name: string; label: MessageKey }[] = [
  { name: 'syringe', label: 'staff.categories.icon.syringe' },
  { name: 'naloxone', label: 'staff.categories.icon.naloxone' },
  { name: 'test-strip', label: 'staff.categories.icon.test-strip' },
  { name: 'test-tube', label: 'staff.categories.icon.test-tube' },
  { name: 'heart', label: 'staff.categories.icon.heart' },
  { name: 'pill', label: 'staff.categories.icon.pill' },
  { name: 'clock', label: 'staff.categories.icon.clock' },
  { name: 'bandage', label: 'staff.categories.icon.bandage' },
  { name: 'chat', label: 'staff.categories.icon.chat' },
  { name: 'home', label: 'staff.categories.icon.home' },
  { name: 'food', label: 'staff.categories.icon.food' },
  { name: 'briefcase', label: 'staff.categories.icon.briefcase' },
  { name: 'bus', label: 'staff.categories.icon.bus' },
  { name: 'id-card', label: 'staff.categories.icon.id-card' },
  { name: 'scale', label: 'staff.categories.icon.scale' },
  { name: 'people', label: 'staff.categories.icon.people' },
  { name: 'shield', label: 'staff.categories.icon.shield' },
];

/** The kind a ?kind= query asks for; needs when it names none or an unknown one. */
export function kindFrom(search: string): CategoryKind {
  const wanted = new URLSearchParams(search).get('kind');
  return categoryKinds.find((kind) => kind === wanted) ?? 'need';
}

export function hrefForKind(kind: CategoryKind): string {
  return kind === 'need' ? '/staff/categories' : `/staff/categories?kind=${kind}`;
}

/** The same rule as the server's (internal/store/categories.go). */
export const codePattern = /^[a-z0-9_]{1,64}$/;
export const maxLabel = 120;

/**
 * A code made from an English label, offered until the admin types their own:
 * "Hot meals & coffee" → "hot_meals_coffee".
 */
export function suggestCode(label: string): string {
  return label
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 64)
    .replace(/_+$/, '');
}

/** Each field's problem before anything is sent, as message keys; empty when the form can go. */
export function categoryProblems(code: string | undefined, label: Labels): Partial<Record<'code' | 'en' | 'es', MessageKey>> {
  const problems: Partial<Record<'code' | 'en' | 'es', MessageKey>> = {};
  if (code !== undefined && !codePattern.test(code)) problems.code = 'staff.categories.code.invalid';
  for (const lang of ['en', 'es'] as const) {
    const text = label[lang].trim();
    if (text === '') problems[lang] = 'staff.categories.label.missing';
    else if ([...text].length > maxLabel) problems[lang] = 'staff.categories.label.tooLong';
  }
  return problems;
}

/**
 * The position changes that move the category at index by delta (-1 up,
 * +1 down): the list is numbered 0, 1, 2… in its new order, and only the
 * categories whose number changes are returned. Equal or sparse positions
 * (as an older list may have) are put right on the way.
 */
export function reorder(list: readonly Pick<Category, 'id' | 'position'>[], index: number, delta: -1 | 1): { id: string; position: number }[] {
  const target = index + delta;
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return [];
  const order = [...list];
  [order[index], order[target]] = [order[target]!, order[index]!];
  return order.flatMap((category, position) => (category.position === position ? [] : [{ id: category.id, position }]));
}
