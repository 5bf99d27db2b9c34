import { describe, expect, it } from 'vitest';
import { thumbprint } from './jwk.js';

describe('thumbprint', () => {
  it('matches the RFC 8037 appendix A.3 example', () => {
    expect(thumbprint({ crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' })).toBe('kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k');
  });
});
