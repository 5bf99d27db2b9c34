import type { DirectoryServiceServer, ImportRequest, ImportResponse } from '../../../generated/enlace/v1/directory.js';
import { InvalidArgumentError } from '../../../keys/index.js';
import type { ApiContext } from '../context.js';
import { validFormat } from '../directory-validate.js';
import { PERMISSIONS, unary } from '../guard.js';

const MAX_IMPORT = 4 * 1024 * 1024;

export function directoryImportRoute(ctx: ApiContext): Pick<DirectoryServiceServer, 'import'> {
  return {
    import: unary<ImportRequest, ImportResponse>(ctx, PERMISSIONS.directoryWrite, async (req, principal) => {
      const format = validFormat(req.format);
      if (req.content.byteLength > MAX_IMPORT) throw new InvalidArgumentError('content', `must be at most ${MAX_IMPORT} bytes`);
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(req.content);
      } catch {
        throw new InvalidArgumentError('content', 'must be UTF-8 text');
      }
      return ctx.registry.importDirectory(format, text, principal.subject, { replace: req.replace, dryRun: req.dryRun });
    }),
  };
}
