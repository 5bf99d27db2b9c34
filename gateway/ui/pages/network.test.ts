import { describe, expect, it } from 'vitest';
import { GetNodeInfoResponse } from '../../../generated/enlace/v1/node.js';
import { LANGS, translator, type Lang } from '../../i18n/index.js';
import { networkPage } from './network.js';

const view = (lang: Lang) => ({ lang, t: translator(lang), country: 'AR', csrf: 'x', path: '/network', timeZone: 'UTC' });

describe('network page: clocks', () => {
  const info = GetNodeInfoResponse.fromPartial({
    country: 'AR',
    clockSkewThresholdMs: 120_000,
    clockSkewed: true,
    clockOffsets: [
      { source: 'broker', offsetMs: 600_000, measuredAt: Date.UTC(2026, 0, 1), samples: 3 },
      { source: 'UY', offsetMs: -400, measuredAt: Date.UTC(2026, 0, 1), samples: 2 },
    ],
  });

  it('shows each measured offset, flags the one past the threshold, in every language', () => {
    for (const lang of LANGS) {
      const page = networkPage(view(lang), { info, members: [] });
      expect(page).toContain('data-clock-skewed="yes"');
      expect(page).toMatch(/data-clock="broker" class="alarm"/);
      expect(page).toMatch(/data-clock="UY" class=""/);
      expect(page).toContain('data-offset-ms="600000">+600.0 s');
      expect(page).toContain('role="alert"');
    }
  });

  it('says when nothing is measured yet', () => {
    const page = networkPage(view('en'), { info: GetNodeInfoResponse.fromPartial({ country: 'AR' }), members: [] });
    expect(page).toContain('data-clock-skewed="no"');
    expect(page).toContain('Not measured yet');
  });
});
