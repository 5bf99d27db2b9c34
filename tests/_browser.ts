/**
 * Helpers for gateway and browser tests: gateways beside in-process nodes, demo users, and
 * Debian's Chromium driven by playwright-core (never a downloaded browser).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEFAULT_AUTH, DICTIONARIES, Gateway, LANGS, type GatewayConfig, type Lang, type SeedUser } from '../gateway/index.js';
import { translateDynamic } from '../gateway/i18n/index.js';
import { FIELD_LABELS, GROUP_LABELS } from '../gateway/i18n/fields.js';
import { PASSPHRASE, quietLogger, type Federation } from './_util.js';

export const CHROMIUM = process.env.ENLACE_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = new URL('../test-artifacts/screenshots/', import.meta.url).pathname;

/** One user per role, with a password that is only ever used in tests. */
export function demoUsers(country: string): (SeedUser & { password: string })[] {
  const c = country.toLowerCase();
  const pw = (role: string) => `test-${c}-${role}-password`;
  return [
    { username: `focal.${c}`, displayName: `Focal point ${country}`, roles: ['focal_point'], password: pw('focal'), lang: 'en' },
    { username: `prosecutor.${c}`, displayName: `Prosecutor ${country}`, roles: ['prosecutor'], password: pw('prosecutor'), lang: 'en' },
    { username: `admin.${c}`, displayName: `Directory admin ${country}`, roles: ['directory_admin'], password: pw('admin'), lang: 'en' },
    { username: `users.${c}`, displayName: `User admin ${country}`, roles: ['user_admin'], password: pw('users'), lang: 'en' },
    { username: `auditor.${c}`, displayName: `Auditor ${country}`, roles: ['auditor'], password: pw('auditor'), lang: 'en' },
    { username: `operator.${c}`, displayName: `Operator ${country}`, roles: ['operator'], password: pw('operator'), lang: 'en' },
  ];
}

export function gatewayConfig(fed: Federation, country: string, over: Partial<GatewayConfig['auth']> = {}): GatewayConfig {
  const node = fed.nodes.get(country);
  if (!node) throw new Error(`node ${country} is not started`);
  return {
    // TLS to the node whenever it serves TLS (the default federation): the gateway checks its certificate against the network CA.
    node: { country, dataDir: fed.layout.dataDir(country), grpc: node.grpcAddress, ...(node.cfg.grpc.tls ? { grpcCa: fed.pki.caCert } : {}) },
    http: { host: '127.0.0.1', port: 0, secureCookies: false },
    auth: { ...DEFAULT_AUTH, passwordStrength: 'min', ...over },
    log: { level: 'silent' },
  };
}

/** A started gateway for a started node of `fed`, with the demo users. */
export async function startGateway(fed: Federation, country: string, over: Partial<GatewayConfig['auth']> = {}): Promise<Gateway> {
  const cfg = gatewayConfig(fed, country, over);
  const seed = join(fed.dir, `users-${country}.json`);
  await writeFile(seed, JSON.stringify(demoUsers(country)));
  cfg.seedUsersFile = seed;
  const gw = await Gateway.create(cfg, { passphrase: PASSPHRASE }, { logger: quietLogger });
  await gw.start();
  return gw;
}

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

/**
 * Debian's Chromium, headless. Playwright gives each launch a fresh temporary profile
 * (--user-data-dir) and removes it on close.
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser context (its own cookies) at a laptop-sized viewport. */
export async function newSession(browser: Browser, lang = 'en-US'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: lang });
  context.setDefaultTimeout(15_000);
  return { context, page: await context.newPage() };
}

export async function login(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel(/user name|usuario|nom d'utilisateur|usuário/i).fill(username);
  await page.locator('input[name="password"]').fill(password);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.locator('form[action="/login"] button[type="submit"]').click()]);
  await liveReady(page);
}

/**
 * Waits until a page with live parts has opened its event stream and fetched once what changed
 * meanwhile (app.js sets data-live-ready): until then the page still makes an audited read at
 * the node, which a test counting the node's audit entries would otherwise see as its own.
 */
export async function liveReady(page: Page): Promise<void> {
  if (await page.locator('body[data-live]').count()) await page.locator('body[data-live-ready="1"]').waitFor();
}

/** A page of its own (a fresh context in `locale`) with the demo user of `country` holding `role` signed in, switched to `lang` if given. */
export async function signedInPage(browser: Browser, gw: Gateway, country: string, role: string, opts: { locale?: string; lang?: Lang } = {}): Promise<Page> {
  const { page } = await newSession(browser, opts.locale);
  const u = demoUser(country, role);
  await login(page, gw.url, u.username, u.password);
  if (opts.lang) {
    await page.goto(`${gw.url}/lang/${opts.lang}?next=/`);
    await liveReady(page);
  }
  return page;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Every key a page can look up: the dictionaries and the typed-form field and section labels. */
const ALL_KEYS = [...Object.keys(DICTIONARIES.en), ...Object.keys(FIELD_LABELS).map((k) => `field.${k}`), ...Object.keys(GROUP_LABELS).map((k) => `group.${k}`)];
const NO_TRANSLATION = '\u0000';

/**
 * What a page in `lang` would show for a key it cannot translate, mapped to that key: the key
 * itself, or the code a label falls back to (`status.in_progress` → "in_progress", `field.date_of_birth`
 * → "date of birth"), unless some translation in that language reads exactly like it ("new").
 */
const FALLBACKS: Record<Lang, Map<string, string>> = Object.fromEntries(
  LANGS.map((lang) => {
    const translations = new Set(ALL_KEYS.map((key) => translateDynamic(lang, key, NO_TRANSLATION)));
    const shown = new Map<string, string>();
    const add = (raw: string, key: string) => shown.set(raw, shown.has(raw) ? `${shown.get(raw)} or ${key}` : key);
    for (const key of ALL_KEYS) {
      const code = key.slice(key.indexOf('.') + 1);
      for (const raw of new Set([key, code, code.replaceAll('_', ' ')])) if (!translations.has(raw) && raw.length > 1) add(raw, key);
    }
    // A lookup that found an empty entry.
    for (const raw of ['undefined', 'null']) add(raw, 'a key without a text');
    return [lang, shown];
  }),
) as Record<Lang, Map<string, string>>;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'", nbsp: ' ' };
const decode = (s: string) => s.replace(/&(#?\w+);/g, (m, e: string) => ENTITIES[e] ?? m);

/** The text a person reads on a page: text nodes and the labelling attributes, outside scripts and styles. */
function readableTexts(html: string): string[] {
  const body = html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '');
  const texts = body.split(/<[^>]*>/);
  const attributes = [...body.matchAll(/\s(?:placeholder|aria-label|title|alt)="([^"]*)"/g)].map((m) => m[1]!);
  return [...texts, ...attributes].map((t) => decode(t).replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/**
 * What a page in `lang` shows untranslated: ⟦key⟧ markers (a key no dictionary has), any text
 * that is exactly a dictionary key or the code a missing label falls back to, and labels that
 * read like a bare code.
 */
export function untranslated(html: string, lang: Lang): string[] {
  const found = [...html.matchAll(/⟦([^⟧]+)⟧/g)].map((m) => m[1]!);
  for (const text of readableTexts(html)) {
    const key = FALLBACKS[lang].get(text);
    if (key) found.push(`${key} (shown as "${text}")`);
  }
  // A label with no dictionary entry at all falls back to its code: lower-case ASCII words.
  for (const m of html.matchAll(/<(label|legend|dt|th)\b[^>]*>([^<]*)</g)) {
    const text = decode(m[2]!).trim();
    if (/^[a-z0-9]+(?:[ _][a-z0-9]+)*$/.test(text)) found.push(`a ${m[1]} without a translation (shown as "${text}")`);
  }
  return found;
}

/** A cookie-keeping HTTP client for one person at one gateway (no browser). */
export class HttpSession {
  readonly base: string;
  readonly cookies = new Map<string, string>();
  constructor(base: string) {
    this.base = base;
  }

  #keep(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i);
      if (/Max-Age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, pair!.slice(i + 1));
    }
  }

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  csrf(country: string): string {
    return decodeURIComponent(this.cookies.get(`enlace_${country}_csrf`) ?? '');
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(this.base + path, { redirect: 'manual', headers: { cookie: this.cookieHeader, ...headers } });
    this.#keep(res);
    return res;
  }

  /** A form post from this gateway's own pages (Origin and CSRF token set) unless told otherwise. */
  async post(path: string, form: Record<string, string | string[]>, opts: { origin?: string | null; csrf?: string; json?: boolean; headers?: Record<string, string> } = {}): Promise<Response> {
    const country = /enlace_([A-Z]{2})_csrf/.exec([...this.cookies.keys()].join(' '))?.[1] ?? '';
    const token = opts.csrf ?? this.csrf(country);
    const headers: Record<string, string> = { cookie: this.cookieHeader, ...(opts.headers ?? {}) };
    if (opts.origin !== null) headers.origin = opts.origin ?? this.base;
    let body: string;
    if (opts.json) {
      headers['content-type'] = 'application/json';
      headers['x-csrf-token'] = token;
      body = JSON.stringify(form);
    } else {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      const params = new URLSearchParams();
      params.set('_csrf', token);
      for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) params.append(k, x);
      body = params.toString();
    }
    const res = await fetch(this.base + path, { method: 'POST', redirect: 'manual', headers, body });
    this.#keep(res);
    return res;
  }

  /** Signs in through the login form; returns the final response of the form post. */
  async login(username: string, password: string): Promise<Response> {
    await this.get('/login');
    return this.post('/login', { username, password });
  }
}

/** The demo user of `country` who holds `role`. */
export function demoUser(country: string, role: string): SeedUser & { password: string } {
  const u = demoUsers(country).find((x) => x.roles.includes(role as never));
  if (!u) throw new Error(`no demo user of ${country} holds ${role}`);
  return u;
}

/** An HTTP session of the demo user of `country` holding `role`, signed in, its pages in `lang`. */
export async function signedIn(gw: Gateway, country: string, role: string, lang = 'en'): Promise<HttpSession> {
  const u = demoUser(country, role);
  const s = new HttpSession(gw.url);
  const res = await s.login(u.username, u.password);
  if (res.status !== 303) throw new Error(`${u.username} could not sign in at ${country}: HTTP ${res.status}`);
  await s.get(`/lang/${lang}?next=/`);
  return s;
}

/** Accessibility basics a page must meet: one h1, every form control labelled, the document language set. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    if (document.querySelectorAll('h1').length !== 1) problems.push(`${document.querySelectorAll('h1').length} h1 elements`);
    if (!document.documentElement.lang) problems.push('no lang on <html>');
    document.querySelectorAll<HTMLInputElement>('input:not([type="hidden"]), select, textarea').forEach((el) => {
      if (!(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')) problems.push(`unlabelled ${el.tagName.toLowerCase()} ${el.name}`);
    });
    document.querySelectorAll('img:not([alt])').forEach((img) => problems.push(`img without alt ${img.getAttribute('src')}`));
    return problems;
  });
}

let axeSource: string | undefined;

/**
 * axe-core's violations on the page as it is now (WCAG 2.0-2.2 A and AA and axe's best
 * practices), one line each: rule, impact, and the first elements it found.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the pages' Content-Security-Policy does not govern (a script tag would be refused).
  axeSource ??= await readFile(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const { violations } = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] }, resultTypes: ['violations'] });
    return violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .slice(0, 3)
          .map((n) => JSON.stringify(n.target))
          .join(', ')}`,
    );
  });
}

/** Fails with every axe-core violation of the page state, named by `where`. */
export async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  const found = await axeViolations(page);
  if (found.length) throw new Error(`axe-core found ${found.length} violation(s) on ${where}:\n${found.join('\n')}`);
}
