// Vite plugin (build time, Node): turns an app's message files (JSON) into vue-i18n's message AST, so the app ships
// vue-i18n's runtime build without its message compiler. A broken message fails the build with its path.
import { baseCompile } from '@intlify/message-compiler';
import type { Plugin } from 'vite';

type MessageTree = string | MessageTree[] | { [key: string]: MessageTree };

function toAst(node: MessageTree, at: string): unknown {
  if (Array.isArray(node)) return node.map((child, i) => toAst(child, `${at}[${i}]`));
  if (typeof node !== 'string') {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, toAst(v, at ? `${at}.${k}` : k)]));
  }
  const problems: string[] = [];
  const { ast } = baseCompile(node, {
    jit: true,
    location: false,
    minify: true,
    onError: (e) => problems.push(e.message),
  });
  if (problems.length) throw new Error(`i18n message ${at}: ${problems.join('; ')} in ${JSON.stringify(node)}`);
  return ast;
}

/** Precompiles every JSON module whose id matches `files`; Vite's JSON plugin still makes it a module after. */
export function precompileMessages(files: RegExp): Plugin {
  return {
    name: 'ecom:precompile-messages',
    enforce: 'pre',
    transform(source, id) {
      return files.test(id) ? { code: JSON.stringify(toAst(JSON.parse(source) as MessageTree, '')), map: null } : null;
    },
  };
}
