import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { layers, protocolSections, sectionProblems } from '../scripts/protocol-report.js';

// Every vector of tests/vectors/ names a section of docs/protocol.md that exists (issue 16:
// "each vector names its spec section"); npm run protocol:report prints the counts per layer.
describe('vectors name their spec sections (npm run protocol:report)', () => {
  const sections = protocolSections(readFileSync(new URL('../docs/protocol.md', import.meta.url), 'utf8'));
  const known = new Set(sections.map((s) => s.number));

  it('reads the numbered sections of docs/protocol.md', () => {
    expect(sections.find((s) => s.number === '8')?.title).toBe('Opening: the validation order');
    expect(sections.find((s) => s.number === '18.4')?.title).toBe('Attachments');
  });

  it('every case of every layer names a section the spec has', () => {
    expect(sectionProblems(layers(), known)).toEqual([]);
  });

  it('flags a case without a section and one naming a section the spec lacks', () => {
    const probe = [{ layer: 'probe', file: 'x.json', cases: [{ name: 'none' }, { name: 'missing', section: '§8 step 2, §99.1' }], valid: () => true }];
    expect(sectionProblems(probe, known)).toEqual(['x.json probe none: no section', 'x.json probe missing: §99.1 is not a section of docs/protocol.md']);
  });

  it('every layer the issue names has valid and invalid cases', () => {
    for (const l of layers()) {
      const valid = l.cases.filter(l.valid).length;
      expect(l.cases.length, l.layer).toBeGreaterThan(0);
      // Two-check envelopes are all invalid by design; lane sequences are all behaviours a receiver must follow.
      if (!l.layer.startsWith('envelopes failing two checks') && !l.layer.startsWith('lanes:')) expect([valid > 0, valid < l.cases.length], l.layer).toEqual([true, true]);
    }
  });
});
