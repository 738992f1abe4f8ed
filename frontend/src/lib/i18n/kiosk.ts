/**
 * The words of the participant's flow on the kiosk. Importing this module
 * (the kiosk page does) adds them to the dictionaries; it ships in the kiosk
 * page's chunk, so other pages never load it.
 */
import { addMessages, type KioskKey, type Lang } from './index';
import en from './kiosk/en.json';
import es from './kiosk/es.json';

const kiosk: Record<Lang, Record<KioskKey, string>> = { en, es };

addMessages(kiosk);
