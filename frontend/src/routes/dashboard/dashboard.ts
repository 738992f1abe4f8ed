/** What the dashboard's sections share: a report's loading state, table rows, and the words for codes the server sends. */
import type { MessageKey } from '../../lib/i18n';
import { isMissing, type Cell } from '../../lib/reports';

/** A report as a section holds it: asking, here, not on this server, or failed. */
export type Loaded<T> =
  | { status: 'loading' }
  | { status: 'ok'; data: T }
  | { status: 'missing' }
  | { status: 'error'; error: unknown };

/** Resolves a call into a Loaded; a call cut short by a newer view resolves to undefined (its answer is stale). */
export async function settle<T>(call: Promise<T>): Promise<Loaded<T> | undefined> {
  try {
    return { status: 'ok', data: await call };
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') return undefined;
    if (isMissing(error)) return { status: 'missing' };
    return { status: 'error', error };
  }
}

/** One line of a data table. */
export interface TableRow {
  key: string;
  name: string;
  cells: Cell[];
  total?: Cell;
  share?: number | null;
}

/** The "about you" questions in the order the kiosk asks them, each with its bands. */
export const aboutQuestions: readonly { question: string; title: MessageKey; bands: Record<string, MessageKey> }[] = [
  {
    question: 'age_band',
    title: 'staff.dashboard.about.age_band',
    bands: {
      under_25: 'staff.dashboard.about.age_band.under_25',
      '25_34': 'staff.dashboard.about.age_band.25_34',
      '35_44': 'staff.dashboard.about.age_band.35_44',
      '45_54': 'staff.dashboard.about.age_band.45_54',
      '55_plus': 'staff.dashboard.about.age_band.55_plus',
    },
  },
  {
    question: 'gender',
    title: 'staff.dashboard.about.gender',
    bands: {
      woman: 'staff.dashboard.about.gender.woman',
      man: 'staff.dashboard.about.gender.man',
      nonbinary: 'staff.dashboard.about.gender.nonbinary',
      another: 'staff.dashboard.about.gender.another',
    },
  },
  {
    question: 'race_ethnicity',
    title: 'staff.dashboard.about.race_ethnicity',
    bands: {
      black: 'staff.dashboard.about.race_ethnicity.black',
      latino: 'staff.dashboard.about.race_ethnicity.latino',
      white: 'staff.dashboard.about.race_ethnicity.white',
      asian: 'staff.dashboard.about.race_ethnicity.asian',
      native: 'staff.dashboard.about.race_ethnicity.native',
      multiple: 'staff.dashboard.about.race_ethnicity.multiple',
      another: 'staff.dashboard.about.race_ethnicity.another',
    },
  },
  {
    question: 'housing',
    title: 'staff.dashboard.about.housing',
    bands: {
      stable: 'staff.dashboard.about.housing.stable',
      unstable: 'staff.dashboard.about.housing.unstable',
      unhoused: 'staff.dashboard.about.housing.unhoused',
    },
  },
];
