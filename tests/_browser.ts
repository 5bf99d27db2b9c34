/**
 * Helpers for gateway and browser tests: gateways beside in-process nodes, demo users, and
 * Debian's Chromium driven by playwright-core (never a downloaded browser).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DEFAULT_AUTH, Gateway, type GatewayConfig, type SeedUser } from '../gateway/index.js';
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
    { username: `auditor.${c}`, displayName: `Auditor ${country}`, roles: ['auditor'], password: pw('auditor'), lang: 'en' },
    { username: `operator.${c}`, displayName: `Operator ${country}`, roles: ['operator'], password: pw('operator'), lang: 'en' },
  ];
}

export function gatewayConfig(fed: Federation, country: string, over: Partial<GatewayConfig['auth']> = {}): GatewayConfig {
  const node = fed.nodes.get(country);
  if (!node) throw new Error(`node ${country} is not started`);
  return {
    node: { country, dataDir: fed.layout.dataDir(country), grpc: node.grpcAddress },
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
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Dictionary keys a page shows because no translation exists (rendered as ⟦key⟧). */
export async function missingKeys(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => document.documentElement.outerHTML);
  return [...text.matchAll(/⟦([^⟧]+)⟧/g)].map((m) => m[1]!);
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
