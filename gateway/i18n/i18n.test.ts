import { describe, expect, it } from 'vitest';
import { EventType, RequestStatus } from '../../generated/enlace/v1/exchange.js';
import { eventCode, REQUEST_KINDS, statusCode } from '../app/codes.js';
import { ACTIONS } from '../app/lifecycle.js';
import { USER_ROLES } from '../db/users.js';
import { DICTIONARIES, LANGS, negotiateLang, translator } from './index.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  const en = DICTIONARIES.en;
  it('every language has every key, none empty, with the same placeholders', () => {
    for (const lang of LANGS) {
      const dict = DICTIONARIES[lang] as Record<string, string>;
      expect(Object.keys(dict).sort(), lang).toEqual(Object.keys(en).sort());
      for (const [key, text] of Object.entries(dict)) {
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
        expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders((en as Record<string, string>)[key]!));
      }
    }
  });

  it('labels every request type, status, event, action and role the node can send', () => {
    const codes = [
      ...REQUEST_KINDS.map((k) => `kind.${k}`),
      ...Object.values(RequestStatus)
        .filter((s): s is RequestStatus => typeof s === 'number' && s > RequestStatus.REQUEST_STATUS_UNSPECIFIED)
        .map((s) => `status.${statusCode(s)}`),
      ...Object.values(EventType)
        .filter((e): e is EventType => typeof e === 'number' && e > EventType.EVENT_TYPE_UNSPECIFIED)
        .map((e) => `event.${eventCode(e)}`),
      ...ACTIONS.map((a) => `action.${a}`),
      ...USER_ROLES.map((r) => `role.${r}`),
    ];
    for (const key of codes) expect(Object.hasOwn(en, key), key).toBe(true);
  });

  it('fills placeholders and negotiates the language', () => {
    expect(translator('fr')('login.rateLimited', { minutes: 5 })).toBe('Trop de tentatives échouées. Réessayez dans 5 minutes.');
    expect(negotiateLang('pt-BR,pt;q=0.9,en;q=0.5')).toBe('pt');
    expect(negotiateLang('de-DE, fr;q=0.4')).toBe('fr');
    expect(negotiateLang(undefined)).toBe('es');
  });
});
