/**
 * Live meetings: the websocket protocol's messages (docs/live-protocol.md),
 * join codes, the participant token kept for a reload, and a socket that
 * reconnects with back-off. Shared by the participant page, the projector
 * screen and the facilitator's console; it has no dependency on the API
 * client, so the participant's phone loads only this.
 */

export type RoundKind = 'agree' | 'scale' | 'pick' | 'rank' | 'dots' | 'comment';
export type RoundState = 'draft' | 'open' | 'closed' | 'revealed';
export const roundKinds: readonly RoundKind[] = ['agree', 'scale', 'pick', 'rank', 'dots', 'comment'];

/** The longest comment a participant may write: the kiosk's limit for free text. */
export const maxComment = 1000;

export interface LiveSession {
  id: string;
  code: string;
  title: string;
  language: string;
  state: string;
  min_voters?: number;
  /** How many people the facilitator says are in the room; null until given. */
  room_size?: number | null;
}

export interface Round {
  id: string;
  kind: RoundKind;
  prompt: string;
  options: string[] | null;
  state: RoundState;
  position: number;
  max_rank?: number;
  dots?: number;
  proposal_id?: string;
  /** A member-check round: the prompt is this finding's statement, asked as "Did we get this right?". */
  finding_id?: string;
}

export interface Tally {
  type?: 'tally';
  round_id: string;
  seq: number;
  voters: number;
  /** Voters plus the people counted by hand (in dots rounds, voters only): compared with the room size. */
  people?: number;
  /** Null while the results are hidden from this viewer. */
  counts: Record<string, number> | null;
  first?: Record<string, number> | null;
  hand_counts: Record<string, number> | null;
  hidden: boolean;
}

export type Choice = string | string[] | Record<string, number>;

export type ServerMessage =
  | {
      type: 'welcome';
      participant: string | null;
      session: LiveSession;
      round: Round | null;
      view: 'participant' | 'screen' | 'facilitator';
      /** Set once the connection showed a shared-tablet key. */
      shared?: boolean;
    }
  | { type: 'round'; round: Round }
  | ({ type: 'tally' } & Tally)
  | { type: 'ack'; vote_id?: string; comment_id?: string; seq: number }
  | { type: 'error'; vote_id?: string; comment_id?: string; code: string; message: string }
  | { type: 'session'; session: LiveSession }
  /** A comment round's comments that staff approved: to the facilitator at once, to the room once revealed. */
  | { type: 'comments'; round_id: string; comments: string[] };

export type ClientMessage =
  | { type: 'resume'; participant: string }
  | { type: 'vote'; vote_id: string; round_id: string; choice: Choice }
  | { type: 'comment'; comment_id: string; round_id: string; text: string }
  | { type: 'shared'; key: string }
  | { type: 'reset' };

/** The join code alphabet: no 0/O, 1/I/L, 5/S, 8/B. */
export const codeAlphabet = '234679ACDEFGHJKMNPQRTUVWXYZ';
export const codeLength = 6;

/** A typed code in canonical form (upper case, no spaces or dashes), or undefined when it cannot be one. */
export function normalizeCode(typed: string): string | undefined {
  const code = typed.replace(/[\s-]+/g, '').toUpperCase();
  if (code.length !== codeLength) return undefined;
  for (const ch of code) if (!codeAlphabet.includes(ch)) return undefined;
  return code;
}

/** The options a round is voted on: fixed for agree and scale, the facilitator's otherwise. */
export function roundOptions(round: Pick<Round, 'kind' | 'options'>): string[] {
  if (round.kind === 'agree') return ['agree', 'disagree', 'unsure'];
  if (round.kind === 'scale') return ['1', '2', '3', '4', '5'];
  return round.options ?? [];
}

/** How many options a rank ballot may order. */
export function rankLimit(round: Pick<Round, 'kind' | 'options' | 'max_rank'>): number {
  return Math.min(round.max_rank ?? 3, roundOptions(round).length);
}

/** How many dots a participant may place. */
export function dotsLimit(round: Pick<Round, 'dots'>): number {
  return round.dots ?? 5;
}

/** The address people open to join: `<origin>/live/<CODE>`. */
export function joinLink(origin: string, code: string): string {
  return `${origin}/live/${code}`;
}

/** The link that opens a shared tablet: the key rides in the fragment, which never reaches a server. */
export function sharedLink(origin: string, code: string, key: string): string {
  return `${joinLink(origin, code)}#tablet=${encodeURIComponent(key)}`;
}

/** The shared-tablet key in a page's fragment (`#tablet=…`), if any. */
export function sharedKeyIn(hash: string): string | undefined {
  const key = new URLSearchParams(hash.replace(/^#/, '')).get('tablet');
  return key || undefined;
}

/** True when more people voted in a round than the facilitator says are in the room. */
export function overRoom(session: Pick<LiveSession, 'room_size'> | null | undefined, tally: Tally | undefined): boolean {
  const room = session?.room_size;
  return typeof room === 'number' && room > 0 && !!tally && (tally.people ?? tally.voters) > room;
}

/** The websocket address for a session: the participant's socket, the read-only screen (the console's view when signed in), or the projector (always the room's view). */
export function socketURL(loc: Pick<Location, 'protocol' | 'host'>, code: string, kind: 'ws' | 'screen' | 'projector'): string {
  const scheme = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  // The projector reads the screen socket in the room's view, even from the facilitator's signed-in laptop.
  const path = kind === 'projector' ? 'screen?view=room' : kind;
  return `${scheme}//${loc.host}/api/v1/live/${encodeURIComponent(code)}/${path}`;
}

/** The later of two tallies for the same round: a smaller seq never replaces a larger one. */
export function newerTally(current: Tally | undefined, next: Tally): Tally {
  return current && current.round_id === next.round_id && current.seq > next.seq ? current : next;
}

/** Adds hand counts to device counts where the server reports them separately (the counts already include them). */
export function totalOf(counts: Record<string, number> | null | undefined): number {
  return counts ? Object.values(counts).reduce((sum, n) => sum + n, 0) : 0;
}

// --- the participant token, kept for this tab only ------------------------------------------

const tokenPrefix = 'chorus.live.';

interface StoredToken {
  session: string;
  participant: string;
}

/** The participant token kept for the session with this join code, or undefined. */
export function storedToken(code: string, storage: Storage | undefined = safeSessionStorage()): StoredToken | undefined {
  try {
    const raw = storage?.getItem(tokenPrefix + code);
    if (!raw) return undefined;
    const value = JSON.parse(raw) as Partial<StoredToken>;
    return typeof value.session === 'string' && typeof value.participant === 'string'
      ? { session: value.session, participant: value.participant }
      : undefined;
  } catch {
    return undefined;
  }
}

export function storeToken(code: string, token: StoredToken, storage: Storage | undefined = safeSessionStorage()): void {
  try {
    storage?.setItem(tokenPrefix + code, JSON.stringify(token));
  } catch {
    // Without storage a reload joins as a new participant; voting still works.
  }
}

const sharedPrefix = 'chorus.live.shared.';

/** Keeps a shared-tablet key for a code in this tab, so a reload stays shared. */
export function storeSharedKey(code: string, key: string, storage: Storage | undefined = safeSessionStorage()): void {
  try {
    storage?.setItem(sharedPrefix + code, key);
  } catch {
    // Without storage the tablet stays shared until it is reloaded.
  }
}

/** The shared-tablet key kept for a code, if any. */
export function storedSharedKey(code: string, storage: Storage | undefined = safeSessionStorage()): string | undefined {
  try {
    return storage?.getItem(sharedPrefix + code) ?? undefined;
  } catch {
    return undefined;
  }
}

export function dropToken(code: string, storage: Storage | undefined = safeSessionStorage()): void {
  try {
    storage?.removeItem(tokenPrefix + code);
  } catch {
    // Nothing stored.
  }
}

function safeSessionStorage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined;
  }
}

// --- the socket --------------------------------------------------------------------------------

export type SocketStatus = 'connecting' | 'open' | 'reconnecting' | 'ended' | 'missing';

export interface LiveSocketOptions {
  url: string;
  onMessage: (message: ServerMessage) => void;
  /** Called on every connect, before any message: send `resume` and unacknowledged votes here. */
  onOpen?: (send: (message: ClientMessage) => boolean) => void;
  onStatus?: (status: SocketStatus) => void;
  /** Answers whether the session still exists after a connection failed (default: a GET on the socket's address). */
  exists?: () => Promise<boolean>;
  WebSocketImpl?: typeof WebSocket;
  /** Back-off: the first delay and the cap, in ms. */
  minDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

/** The delay before reconnect attempt n (0-based): doubling from minDelay, capped, with up to 50 % jitter. */
export function backoffDelay(attempt: number, minDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(attempt, 20));
  return Math.round(base / 2 + (base / 2) * random());
}

/**
 * A websocket that reconnects with back-off whenever it closes, until the
 * session ends (a `session` message with state "ended"), the server says the
 * code names no session, or close() is called.
 */
export class LiveSocket {
  private ws: WebSocket | undefined;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly options: LiveSocketOptions;

  constructor(options: LiveSocketOptions) {
    this.options = options;
    this.connect();
  }

  /** Sends a message if the socket is open; returns whether it went. */
  send = (message: ClientMessage): boolean => {
    if (!this.ws || this.ws.readyState !== 1) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  };

  /** Stops for good. */
  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.ws?.close(1000);
    this.ws = undefined;
  }

  private status(status: SocketStatus) {
    this.options.onStatus?.(status);
  }

  private connect() {
    if (this.stopped) return;
    const Impl = this.options.WebSocketImpl ?? WebSocket;
    this.status(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const ws = new Impl(this.options.url);
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.status('open');
      this.options.onOpen?.(this.send);
    };
    ws.onmessage = (event: MessageEvent) => {
      let message: ServerMessage;
      try {
        message = JSON.parse(String(event.data)) as ServerMessage;
      } catch {
        return;
      }
      if (message.type === 'session' && message.session.state === 'ended') {
        this.stopped = true;
        this.status('ended');
      }
      this.options.onMessage(message);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      if (this.stopped) return;
      void this.retry(opened);
    };
  }

  private async retry(opened: boolean) {
    if (!opened) {
      // A refused handshake shows no status to scripts: ask whether the code still names a session.
      const exists = await (this.options.exists ?? (() => sessionExists(this.options.url)))();
      if (this.stopped) return;
      if (!exists) {
        this.stopped = true;
        this.status('missing');
        return;
      }
    }
    this.status('reconnecting');
    const delay = backoffDelay(this.attempt++, this.options.minDelayMs ?? 500, this.options.maxDelayMs ?? 15_000, this.options.random);
    this.timer = setTimeout(() => this.connect(), delay);
  }
}

/** GET on the socket's address: 404 means no open session has the code; anything else (400, network) means try again. */
async function sessionExists(wsURL: string): Promise<boolean> {
  try {
    const response = await fetch(wsURL.replace(/^ws/, 'http'), { headers: { Accept: 'application/json' } });
    return response.status !== 404;
  } catch {
    return true;
  }
}
