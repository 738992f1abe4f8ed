/**
 * The staff tools' words. Importing this module (the staff pages and
 * sign-in do) adds them to the dictionaries; it is its own chunk, so the
 * kiosk and live pages never load it.
 */
import { addMessages, type Lang, type StaffKey } from './index';
import en from './staff/en.json';
import es from './staff/es.json';

const staff: Record<Lang, Record<StaffKey, string>> = { en, es };

addMessages(staff);
