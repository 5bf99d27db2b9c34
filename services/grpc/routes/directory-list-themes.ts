import type { DirectoryServiceServer, ListThemesRequest, ListThemesResponse } from '../../../generated/enlace/v1/directory.js';
import { LABEL_LANGUAGES, REQUEST_KIND_THEMES, THEME_LABELS, THEMES, themeLabel } from '../../registry/index.js';
import type { ApiContext } from '../context.js';
import { validLanguage } from '../directory-validate.js';
import { PERMISSIONS, unary } from '../guard.js';

export function directoryListThemesRoute(ctx: ApiContext): Pick<DirectoryServiceServer, 'listThemes'> {
  return {
    listThemes: unary<ListThemesRequest, ListThemesResponse>(ctx, PERMISSIONS.directoryRead, async (req) => {
      const lang = validLanguage(req.language) ?? 'en';
      return {
        themes: THEMES.map((code) => ({
          code,
          label: themeLabel(code, lang),
          labels: LABEL_LANGUAGES.map((l) => ({ lang: l, text: THEME_LABELS[code][l] })),
          requestKinds: Object.entries(REQUEST_KIND_THEMES)
            .filter(([, themes]) => (themes as readonly string[]).includes(code))
            .map(([kind]) => kind),
        })),
      };
    }),
  };
}
