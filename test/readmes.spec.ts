import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * Docs drift (STYLE.md §12): every package and service has a README with a TypeScript usage example,
 * every name a README imports from `@casebook/x` is exported by x's `src/index.ts`, and every other
 * code name it mentions (in its examples or in backticks) still occurs in the workspace's source.
 */

const root = path.resolve(__dirname, '..');

const workspaces = ['packages', 'services'].flatMap((dir) =>
  fs
    .readdirSync(path.join(root, dir))
    .filter((name) => fs.existsSync(path.join(root, dir, name, 'package.json')))
    .map((name) => ({ name, dir: path.join(root, dir, name), label: `${dir}/${name}` })),
);

const FENCE = /^```(\w*)\n([\s\S]*?)^```/gm;

function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(FENCE)].filter((m) => ['ts', 'typescript'].includes(m[1]!)).map((m) => m[2]!);
}

function prose(markdown: string): string {
  return markdown.replace(FENCE, '');
}

/** `import { A, type B } from '@casebook/x'` → [{ from: 'x', names: ['A', 'B'] }] */
export function importsOf(code: string): { from: string; names: string[] }[] {
  const out: { from: string; names: string[] }[] = [];
  for (const m of code.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s*from\s*'@casebook\/([\w-]+)'/g)) {
    const names = m[1]!
      .split(',')
      .map((part) =>
        part
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)[0]!
          .trim(),
      )
      .filter(Boolean);
    out.push({ from: m[2]!, names });
  }
  return out;
}

// A code name: camelCase, PascalCase or UPPER_SNAKE; plain words (`cache`, `POST`) are prose, not names.
const CODE_NAME = /^(?:[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*|[A-Z][a-z0-9]+[A-Za-z0-9]*|[A-Z][A-Z0-9]*_[A-Z0-9_]+)$/;

// Stand-ins for what the caller brings, in READMEs this test may not edit (packages/moderation's).
const CALLER_SUPPLIED = new Set(['llmTokens']);

/** Code names in an example, leaving out comments, string literals and names the example declares itself. */
export function namesInCode(code: string): string[] {
  const stripped = code
    .replace(/^import[\s\S]*?from\s*'[^']*';?$/gm, '') // imports are checked against the exports
    .replace(/\/\/.*$/gm, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`/g, "''");
  const declared = new Set(
    [...stripped.matchAll(/\b(?:const|let|var|function|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g)].map(
      (m) => m[1]!,
    ),
  );
  for (const m of stripped.matchAll(/\b(?:const|let)\s+\{([^}]*)\}/g)) {
    for (const name of m[1]!.split(',')) declared.add(name.split(':').pop()!.trim());
  }
  return [...new Set(stripped.match(/[A-Za-z_$][\w$]*/g) ?? [])].filter(
    (word) => CODE_NAME.test(word) && !declared.has(word) && !CALLER_SUPPLIED.has(word),
  );
}

/** Code names in backticks: `TieredCache`, `getOrLoad()`, `@Audited`, `AuditModule.forRoot`. */
export function namesInProse(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(/`([^`\n]+)`/g)) {
    const span = m[1]!.trim();
    if (!/^@?[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(?:\(\))?$/.test(span)) continue;
    for (const part of span.replace(/^@/, '').replace(/\(\)$/, '').split('.')) {
      if (CODE_NAME.test(part)) names.add(part);
    }
  }
  return [...names];
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist'].includes(entry.name) ? [] : sourceFiles(full);
    return /\.(ts|mjs|cjs|js|json)$/.test(entry.name) ? [full] : [];
  });
}

function wordsOf(files: string[]): Set<string> {
  const words = new Set<string>();
  for (const file of files)
    for (const word of fs.readFileSync(file, 'utf8').match(/[A-Za-z_$][\w$]*/g) ?? []) words.add(word);
  return words;
}

function exportsByWorkspace(): Map<string, Set<string>> {
  const indexes = workspaces.map((w) => path.join(w.dir, 'src', 'index.ts')).filter((f) => fs.existsSync(f));
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(root, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: () => undefined,
    },
  );
  const program = ts.createProgram(indexes, { ...config!.options, noEmit: true, composite: false, incremental: false });
  const checker = program.getTypeChecker();
  const out = new Map<string, Set<string>>();
  for (const w of workspaces) {
    const file = program.getSourceFile(path.join(w.dir, 'src', 'index.ts'));
    const symbol = file && checker.getSymbolAtLocation(file);
    out.set(w.name, new Set(symbol ? checker.getExportsOfModule(symbol).map((s) => s.name) : []));
  }
  return out;
}

describe('READMEs', () => {
  let exported: Map<string, Set<string>>;
  let codeWords: Set<string>;

  beforeAll(() => {
    exported = exportsByWorkspace();
    codeWords = wordsOf(
      [
        ...workspaces.flatMap((w) => [
          ...sourceFiles(path.join(w.dir, 'src')),
          ...sourceFiles(path.join(w.dir, 'test')),
          path.join(w.dir, 'package.json'),
        ]),
        ...sourceFiles(path.join(root, 'scripts')),
        ...sourceFiles(path.join(root, 'test')),
      ].filter((file) => !/\.spec\.ts$/.test(file)),
    );
  }, 120_000);

  it('When the docs are extracted, then imports, code names and backticked names are all found', () => {
    const sample =
      "import { TieredCache, type Page as P } from '@casebook/cache';\nconst myCache = new TieredCache(getOrLoad('KEY_NAME')); // notHere";
    expect(importsOf(sample)).toEqual([{ from: 'cache', names: ['TieredCache', 'Page'] }]);
    expect(namesInCode(sample)).toEqual(['TieredCache', 'getOrLoad']);
    expect(
      namesInProse('`AuditModule.forRoot` and `@Audited` and `getOrLoad()`, not `Cache-Status` or `POST`'),
    ).toEqual(['AuditModule', 'forRoot', 'Audited', 'getOrLoad']);
  });

  it.each(workspaces.map((w) => [w.label, w] as const))(
    'When %s is read, then it has a README with a TypeScript usage example of about twenty lines',
    (_label, w) => {
      const file = path.join(w.dir, 'README.md');
      expect(fs.existsSync(file)).toBe(true);
      const examples = tsBlocks(fs.readFileSync(file, 'utf8'));
      const longest = Math.max(0, ...examples.map((code) => code.trim().split('\n').length));
      expect(longest).toBeGreaterThanOrEqual(12);
    },
  );

  it.each(workspaces.map((w) => [w.label, w] as const))(
    'When the README of %s imports from a casebook package, then each name is exported by its src/index.ts',
    (_label, w) => {
      const markdown = fs.readFileSync(path.join(w.dir, 'README.md'), 'utf8');
      const missing = tsBlocks(markdown)
        .flatMap(importsOf)
        .flatMap(({ from, names }) =>
          names.filter((name) => !exported.get(from)?.has(name)).map((name) => `${name} from @casebook/${from}`),
        );
      expect(missing).toEqual([]);
    },
  );

  it.each(workspaces.map((w) => [w.label, w] as const))(
    'When the README of %s names code, then every name still occurs in the source',
    (_label, w) => {
      const markdown = fs.readFileSync(path.join(w.dir, 'README.md'), 'utf8');
      const names = [...tsBlocks(markdown).flatMap(namesInCode), ...namesInProse(prose(markdown))];
      expect([...new Set(names)].filter((name) => !codeWords.has(name))).toEqual([]);
    },
  );
});
