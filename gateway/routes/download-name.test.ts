import { describe, expect, it } from 'vitest';
import { downloadName } from './requests.js';

describe('download names', () => {
  it('keeps a right name, gives a wrong extension the type’s own, and never lets a type other than PDF, JPEG or PNG through', () => {
    expect(downloadName('informe policial.pdf', 'application/pdf')).toEqual({ name: 'informe policial.pdf', ascii: 'informe policial.pdf', type: 'application/pdf' });
    expect(downloadName('evidence.html', 'application/pdf').name).toBe('evidence.html.pdf');
    expect(downloadName('foto.JPEG', 'image/jpeg').name).toBe('foto.JPEG');
    expect(downloadName('x.svg', 'image/svg+xml')).toMatchObject({ name: 'x.svg.bin', type: 'application/octet-stream' });
    expect(downloadName('a"b\\c/d\u202e.pdf', 'application/pdf').name).toBe('a_b_c_d_.pdf');
    expect(downloadName('declaración.pdf', 'application/pdf')).toMatchObject({ name: 'declaración.pdf', ascii: 'declaraci_n.pdf' });
  });
});
