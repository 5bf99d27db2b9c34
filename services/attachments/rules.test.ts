import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../keys/index.js';
import { validAttachments } from '../grpc/validate-attachments.js';
import { extensionProblem } from './rules.js';

const PDF = new TextEncoder().encode('%PDF-1.7\n<script>alert(1)</script>');

describe('file name extension against the sniffed type', () => {
  it.each([
    ['report.pdf', 'application/pdf'],
    ['REPORT.PDF', 'application/pdf'],
    ['photo.jpeg', 'image/jpeg'],
    ['photo.JPG', 'image/jpeg'],
    ['scan.png', 'image/png'],
  ] as const)('accepts %s as %s', (name, type) => {
    expect(extensionProblem(name, type)).toBeUndefined();
  });

  it.each([
    ['evidence.html', 'application/pdf'],
    ['evidence.pdf.html', 'application/pdf'],
    ['evidence', 'application/pdf'],
    ['photo.png', 'image/jpeg'],
    ['scan.svg', 'image/png'],
  ] as const)('refuses %s as %s', (name, type) => {
    expect(extensionProblem(name, type)).toMatch(/must end in \./);
  });

  it('the node refuses evidence.html declared as PDF and starting with the PDF signature, naming the field', () => {
    let err: unknown;
    try {
      validAttachments([{ fileName: 'evidence.html', mediaType: 'application/pdf', content: PDF }]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect((err as InvalidArgumentError).field).toBe('attachments[0].file_name');
    expect(validAttachments([{ fileName: 'evidence.pdf', mediaType: 'application/pdf', content: PDF }])).toHaveLength(1);
  });
});
