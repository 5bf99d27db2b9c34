import { describe, expect, it } from 'vitest';
import { countryPhrase } from './countries.js';
import { translator } from './index.js';

const name = (lang: string, code: string) => new Intl.DisplayNames([lang], { type: 'region' }).of(code)!;

describe('"from <country>" in each language', () => {
  it('French elides and contracts the article', () => {
    const fr = translator('fr');
    expect(fr('event.received', { country: name('fr', 'AR') })).toBe('Reçue d’Argentine');
    expect(fr('event.received', { country: name('fr', 'UY') })).toBe('Reçue de l’Uruguay');
    expect(fr('event.received', { country: name('fr', 'BR') })).toBe('Reçue du Brésil');
    expect(fr('event.received', { country: name('fr', 'US') })).toBe('Reçue des États-Unis');
    expect(fr('event.received', { country: name('fr', 'HN') })).toBe('Reçue du Honduras');
    expect(fr('event.received', { country: name('fr', 'HT') })).toBe('Reçue d’Haïti');
    expect(fr('event.received', { country: name('fr', 'CO') })).toBe('Reçue de Colombie');
    expect(fr('event.received', { country: name('fr', 'JM') })).toBe('Reçue de la Jamaïque');
    expect(fr('event.delivered', { country: name('fr', 'BR') })).toBe('Remise au Brésil');
    expect(fr('event.delivered', { country: name('fr', 'AR') })).toBe('Remise à l’Argentine');
    expect(fr('event.delivered', { country: name('fr', 'US') })).toBe('Remise aux États-Unis');
    expect(fr('subject.to', { country: name('fr', 'CL') })).toBe('vers le Chili');
    expect(fr('board.inbound', { country: name('fr', 'EC') })).toBe('demandée par l’Équateur');
    expect(fr('timeline.code.published_for', { country: name('fr', 'UY') })).toBe('Remise au réseau pour l’Uruguay');
  });

  it('Portuguese contracts de, a, para and por with the article', () => {
    const pt = translator('pt');
    expect(pt('event.received', { country: name('pt', 'BR') })).toBe('Recebida do Brasil');
    expect(pt('event.received', { country: name('pt', 'AR') })).toBe('Recebida da Argentina');
    expect(pt('event.received', { country: name('pt', 'UY') })).toBe('Recebida do Uruguai');
    expect(pt('event.received', { country: name('pt', 'US') })).toBe('Recebida dos Estados Unidos');
    expect(pt('event.received', { country: name('pt', 'CU') })).toBe('Recebida de Cuba');
    expect(pt('event.delivered', { country: name('pt', 'AR') })).toBe('Entregue à Argentina');
    expect(pt('event.delivered', { country: name('pt', 'BR') })).toBe('Entregue ao Brasil');
    expect(pt('subject.to', { country: name('pt', 'BS') })).toBe('para as Bahamas');
    expect(pt('board.inbound', { country: name('pt', 'MX') })).toBe('pedida a nós pelo México');
  });

  it('Spanish and English keep the phrase as written; an unknown name or a code is left alone', () => {
    expect(translator('es')('event.received', { country: name('es', 'SV') })).toBe('Recibida de El Salvador');
    expect(translator('es')('event.received', { country: name('es', 'UY') })).toBe('Recibida de Uruguay');
    expect(translator('en')('event.received', { country: name('en', 'AR') })).toBe('Received from Argentina');
    expect(translator('fr')('event.received', { country: 'AR' })).toBe('Reçue de AR');
    expect(countryPhrase('fr', 'de', 'Atlantide')).toBe('de Atlantide');
  });
});
