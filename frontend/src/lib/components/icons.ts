/**
 * Chorus's icons, drawn here as 24×24 line drawings (no icon font, nothing
 * fetched): the category icons the server names in the kiosk's
 * configuration, and the few the kiosk's own buttons use. Each icon is a
 * list of SVG path data, stroked in the text colour.
 */

/** A circle as path data. */
function circle(cx: number, cy: number, r: number): string {
  return `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
}

/** A rectangle with rounded corners as path data. */
function rect(x: number, y: number, w: number, h: number, r: number): string {
  return (
    `M${x + r} ${y}h${w - 2 * r}a${r} ${r} 0 0 1 ${r} ${r}v${h - 2 * r}a${r} ${r} 0 0 1 ${-r} ${r}` +
    `h${-(w - 2 * r)}a${r} ${r} 0 0 1 ${-r} ${-r}v${-(h - 2 * r)}a${r} ${r} 0 0 1 ${r} ${-r}z`
  );
}

/** The icons a need or strength can have (the server's `icon` names). */
export const categoryIcons = {
  syringe: ['M18 2l4 4M20 4l-3 3M14 4l6 6M16 8l-9 9-3-3 9-9M2 22l3-3M9 11l2 2M11 9l2 2'],
  naloxone: ['M10 13V7l2-5 2 5v6', rect(7, 13, 10, 9, 1.5), 'M10 17h4'],
  'test-strip': [rect(9, 2, 6, 20, 1), 'M9 7h6M9 10h6', rect(10.5, 14, 3, 4, 0.5)],
  'test-tube': ['M8 2h8M10 2v15a2 2 0 0 0 4 0V2M10 11h4'],
  heart: ['M12 20s-7.5-4.5-9-9.5A4.8 4.8 0 0 1 12 7a4.8 4.8 0 0 1 9 3.5C19.5 15.5 12 20 12 20z'],
  pill: ['M10.5 3.5a4.95 4.95 0 0 1 7 7l-7 7a4.95 4.95 0 0 1-7-7z', 'M7 7l7 7'],
  clock: [circle(12, 12, 9), 'M12 7v5l3 3'],
  bandage: ['M3.5 14.5l11-11a3.5 3.5 0 0 1 5 5l-11 11a3.5 3.5 0 0 1-5-5z', 'M10 10h.01M14 14h.01M12 12h.01M10 14h.01M14 10h.01'],
  chat: ['M21 15a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z', 'M7 8h10M7 12h6'],
  home: ['M3 11l9-8 9 8', 'M5 9.5V21h14V9.5', 'M10 21v-6h4v6'],
  food: ['M3 12h18a9 8 0 0 1-18 0z', 'M8 8c0-1.5 1.5-1.5 1.5-3M12.5 8c0-1.5 1.5-1.5 1.5-3'],
  briefcase: [rect(3, 7, 18, 13, 2), 'M9 7V5a2 2 0 0 1 2-2h2a2 2 0 0 1 2 2v2M3 13h18'],
  bus: [rect(4, 3, 16, 15, 2), 'M4 11h16M8 21v-3M16 21v-3M8 14.5h.01M16 14.5h.01'],
  'id-card': [rect(2, 5, 20, 14, 2), circle(8, 11, 2), 'M5 16c.5-1.5 1.5-2 3-2s2.5.5 3 2M14 10h5M14 14h4'],
  scale: ['M12 3v18M8 21h8M4 7h16', 'M4 7l-3 7c0 2 6 2 6 0zM20 7l-3 7c0 2 6 2 6 0z'],
  people: [circle(9, 8, 3), 'M3 20c0-3 2.5-5 6-5s6 2 6 5', circle(17, 9, 2.5), 'M16.5 14.5c2.5 0 4.5 2 4.5 5'],
  shield: ['M12 2l8 3v6c0 5-3.5 9-8 11-4.5-2-8-6-8-11V5z', 'M9 12l2 2 4-4'],
} satisfies Record<string, readonly string[]>;

/** The icons the kiosk's own buttons use. */
export const uiIcons = {
  speaker: ['M11 5L6 9H3v6h3l5 4z', 'M15.5 8.5a5 5 0 0 1 0 7M18.5 5.5a9 9 0 0 1 0 13'],
  help: [circle(12, 12, 9), circle(12, 12, 4), 'M5.6 5.6l3.6 3.6M14.8 14.8l3.6 3.6M18.4 5.6l-3.6 3.6M9.2 14.8l-3.6 3.6'],
  back: ['M15 5l-7 7 7 7'],
  next: ['M9 5l7 7-7 7'],
  check: ['M4 12l5 5L20 6'],
  globe: [circle(12, 12, 9), 'M3 12h18M12 3c3.5 3.5 3.5 14.5 0 18M12 3c-3.5 3.5-3.5 14.5 0 18'],
  send: ['M3 11l18-8-8 18-2-8z', 'M11 13l10-10'],
  edit: ['M4 20h4L19 9l-4-4L4 16z', 'M13 7l4 4'],
  close: ['M6 6l12 12M18 6L6 18'],
  person: [circle(12, 8, 4), 'M4 21c0-4 3.5-7 8-7s8 3 8 7'],
  words: [rect(3, 4, 18, 16, 2), 'M7 9h10M7 13h10M7 17h6'],
  list: ['M9 6h12M9 12h12M9 18h12', 'M4 6h.01M4 12h.01M4 18h.01'],
  star: ['M12 3l2.7 5.6 6.1.9-4.4 4.3 1 6.1L12 17l-5.4 2.9 1-6.1-4.4-4.3 6.1-.9z'],
  unknown: [circle(12, 12, 8)],
} satisfies Record<string, readonly string[]>;

export type IconName = keyof typeof categoryIcons | keyof typeof uiIcons;

const all: Record<string, readonly string[]> = { ...categoryIcons, ...uiIcons };

/** The path data for name; a plain circle for a name Chorus does not draw (a newer server's icon). */
export function iconPaths(name: string): readonly string[] {
  return Object.hasOwn(all, name) ? all[name]! : uiIcons.unknown;
}
