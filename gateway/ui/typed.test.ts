import { describe, expect, it } from 'vitest';
import { completeRequest } from '../../services/requests/testkit.js';
import { REQUEST_FORMS } from '../app/typed-forms.js';
import { typedView } from './typed.js';

describe('typedView: a typed request as labelled facts', () => {
  it('shows the forms of exploitation by their labels and a photograph as attached, never its bytes', () => {
    const page = String(typedView('es', completeRequest('nationality_verification'), false));
    expect(page).toContain('Trabajos o servicios forzados');
    expect(page).not.toContain('forced_labour');
    expect(page).toContain('fotografía adjunta (1 KB)');
    // TEST_PNG in base64 starts so.
    expect(page).not.toContain('iVBORw0KGgo');
  });

  it('lets the sender choose the forms of exploitation on the two forms that gained them (issue 18 item 1)', () => {
    for (const kind of ['nationality_verification', 'consular_notification'] as const) {
      const paths = REQUEST_FORMS[kind].map((f) => f.path);
      expect(paths).toContain('exploitation_forms');
      expect(paths).toContain('exploitation_details');
    }
  });
});
