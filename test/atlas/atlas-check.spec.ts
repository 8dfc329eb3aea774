import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// scripts/atlas-check.mjs is run as users run it (a child `node` process), on the real docs and on fixtures
// that break one rule each, so a check that silently stopped checking would fail here.

const ROOT = path.resolve(__dirname, '../..');
const SCRIPT = path.join(ROOT, 'scripts/atlas-check.mjs');
const SUMMARY = /^atlas: (\d+) of (\d+) question ids answered; (\d+) broken links$/m;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runCheck(args: string[], env: Record<string, string> = {}): Run {
  // The caller's CASEBOOK_QUESTIONS would change where ids come from; each test sets it explicitly or not at all.
  const { CASEBOOK_QUESTIONS: _ignored, ...inherited } = process.env;
  const result = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...inherited, ...env },
    timeout: 20_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function summary(run: Run): { answered: number; total: number; broken: number } {
  const match = run.stdout.match(SUMMARY);
  if (!match) throw new Error(`no summary line in:\n${run.stdout}\n${run.stderr}`);
  return { answered: Number(match[1]), total: Number(match[2]), broken: Number(match[3]) };
}

const IDS = [
  { id: 'Q1.1', case: 'CS1', topic: 'Fixture topic' },
  { id: 'Q1.2', case: 'CS1', topic: 'Fixture topic' },
];

const ANSWERED_Q11 = `### Q1.1 — Answered fixture entry

> How does the fixture prove a behaviour?

Status: answered

Answer: The fixture function returns its input.

Code: [src/thing.ts](../../src/thing.ts#L1-L3)

Test:

- [src/thing.spec.ts](../../src/thing.spec.ts)

See also [the open entry](#q12--open-fixture-entry).
`;

const OPEN_Q12 = `### Q1.2 — Open fixture entry

> What is not answered yet?

Status: open — planned in packages/auth
`;

/** A small repository whose atlas passes every rule; each test breaks one thing in it. */
function validFixture(): Record<string, string> {
  return {
    'docs/answers/questions.ids.json': JSON.stringify(IDS, null, 2),
    'docs/answers/README.md': '# Atlas\n\n- [Case study 1](case-study-1.md)\n',
    'docs/answers/case-study-1.md': `# Case study 1\n\n## 1. Fixture topic\n\n${ANSWERED_Q11}\n${OPEN_Q12}`,
    'docs/guide.md': '# Guide\n\nSee [the atlas](answers/README.md#atlas) and [the code](../src/thing.ts#L2).\n',
    'src/thing.ts': 'export function thing(value: string): string {\n  return value;\n}\n',
    'src/thing.spec.ts': "it('returns its input', () => undefined);\n",
  };
}

describe('scripts/atlas-check.mjs', () => {
  let tmp: string;

  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'casebook-atlas-'));
  });

  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  /** Writes the fixture as <tmp>/repo, so <tmp>/shared plays the role of ../shared next to the repository. */
  function writeRepo(files: Record<string, string>): string {
    const repo = path.join(tmp, 'repo');
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
      writeFileSync(path.join(repo, file), content);
    }
    return repo;
  }

  describe('on the real docs', () => {
    it('When the atlas of this repository is checked, then it passes and reports how many of all question ids are answered', () => {
      const run = runCheck([]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const ids = JSON.parse(readFileSync(path.join(ROOT, 'docs/answers/questions.ids.json'), 'utf8'));
      const { answered, total, broken } = summary(run);
      expect(total).toBe(ids.length);
      expect(total).toBeGreaterThan(100);
      expect(answered).toBeLessThanOrEqual(total);
      expect(broken).toBe(0);
    });

    it('When only the committed copy of the ids is available, then the check passes on it alone', () => {
      const run = runCheck(['--questions', 'docs/answers/questions.ids.json']);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain('atlas: questions from docs/answers/questions.ids.json');
    });
  });

  describe('on fixtures', () => {
    it('When every rule holds, then it exits 0 and counts the answered entry', () => {
      const run = runCheck(['--root', writeRepo(validFixture())]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(summary(run)).toEqual({ answered: 1, total: 2, broken: 0 });
    });

    it('When a link is broken and an id has two entries, then it exits 1 naming both', () => {
      const files = validFixture();
      files['docs/answers/case-study-1.md'] += `\n${OPEN_Q12}\nRead [the missing file](../../src/missing.ts).\n`;
      const run = runCheck(['--root', writeRepo(files)]);
      expect(run.status).toBe(1);
      expect(summary(run).broken).toBe(1);
      expect(run.stderr).toMatch(
        /docs\/answers\/case-study-1\.md:\d+: broken link \.\.\/\.\.\/src\/missing\.ts: no such file/,
      );
      expect(run.stderr).toMatch(
        /Q1\.2: duplicate entry \(docs\/answers\/case-study-1\.md:\d+, docs\/answers\/case-study-1\.md:\d+\)/,
      );
    });

    it('When a question id has no entry, then it exits 1 naming the id', () => {
      const files = validFixture();
      files['docs/answers/case-study-1.md'] = files['docs/answers/case-study-1.md'].replace(OPEN_Q12, '');
      files['docs/answers/case-study-1.md'] = files['docs/answers/case-study-1.md'].replace(
        '[the open entry](#q12--open-fixture-entry)',
        'the open entry',
      );
      const run = runCheck(['--root', writeRepo(files)]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('Q1.2: no entry in any atlas page');
    });

    it('When an answered entry links no test, then it exits 1 naming the id', () => {
      const files = validFixture();
      files['docs/answers/case-study-1.md'] = files['docs/answers/case-study-1.md'].replace(
        '- [src/thing.spec.ts](../../src/thing.spec.ts)',
        'to be written',
      );
      const run = runCheck(['--root', writeRepo(files)]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('Q1.1: answered without a "Test:" link');
    });

    it('When an answered entry links no code, then it exits 1 naming the id', () => {
      const files = validFixture();
      files['docs/answers/case-study-1.md'] = files['docs/answers/case-study-1.md'].replace(
        'Code: [src/thing.ts](../../src/thing.ts#L1-L3)',
        'Code: see the fixture',
      );
      const run = runCheck(['--root', writeRepo(files)]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('Q1.1: answered without a "Code:" link');
    });

    it('When a "Test:" link points at a file that is not a test, then it exits 1', () => {
      const files = validFixture();
      files['docs/answers/case-study-1.md'] = files['docs/answers/case-study-1.md'].replace(
        '- [src/thing.spec.ts](../../src/thing.spec.ts)',
        '- [src/thing.ts](../../src/thing.ts)',
      );
      const run = runCheck(['--root', writeRepo(files)]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('Q1.1: "Test:" link ../../src/thing.ts is not a *.spec.ts / *.test.ts file');
    });

    it('When a line range runs past the end of the file, then the link is broken', () => {
      const files = validFixture();
      files['docs/guide.md'] = files['docs/guide.md'].replace('thing.ts#L2', 'thing.ts#L2-L9');
      const run = runCheck(['--root', writeRepo(files)]);
      expect(run.status).toBe(1);
      expect(summary(run).broken).toBe(1);
      expect(run.stderr).toContain(
        'docs/guide.md:3: broken link ../src/thing.ts#L2-L9: line 9 is past the end of the file (3 lines)',
      );
    });

    it('When a heading anchor names no heading, then the link is broken', () => {
      const files = validFixture();
      files['docs/guide.md'] = files['docs/guide.md'].replace('README.md#atlas', 'README.md#no-such-heading');
      const run = runCheck(['--root', writeRepo(files)]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('broken link answers/README.md#no-such-heading: no heading #no-such-heading');
    });

    it('When a link leaves the repository, then it is broken even if the target exists', () => {
      const files = validFixture();
      files['docs/guide.md'] += '\nThe spec: [questions](../../shared/spec/questions.json).\n';
      mkdirSync(path.join(tmp, 'shared/spec'), { recursive: true });
      const repo = writeRepo(files);
      // The sibling spec must not be what makes the run pass or fail here: give it the same ids as the copy.
      writeFileSync(path.join(tmp, 'shared/spec/questions.json'), JSON.stringify(IDS));
      const run = runCheck(['--root', repo]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('broken link ../../shared/spec/questions.json: points outside the repository');
    });

    it('When links appear inside fenced code, then they are examples and not checked', () => {
      const files = validFixture();
      files['docs/guide.md'] += '\n```markdown\n[example](../src/does-not-exist.ts)\n### Q9.9 — Example heading\n```\n';
      const run = runCheck(['--root', writeRepo(files)]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    });

    it('When a page is not listed in the atlas README, then it exits 1 naming the page', () => {
      const files = validFixture();
      files['docs/answers/case-study-2.md'] = '# Case study 2\n';
      const run = runCheck(['--root', writeRepo(files)]);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('docs/answers/case-study-2.md: page is not listed in docs/answers/README.md');
    });

    it('When ../shared/spec/questions.json exists next to the repo, then its ids win and a stale copy is reported', () => {
      const repo = writeRepo(validFixture());
      mkdirSync(path.join(tmp, 'shared/spec'), { recursive: true });
      const spec = [...IDS, { id: 'Q1.3', case: 'CS1', topic: 'Fixture topic', question: 'New?' }];
      writeFileSync(path.join(tmp, 'shared/spec/questions.json'), JSON.stringify(spec));

      const run = runCheck(['--root', repo]);
      expect(run.status).toBe(1);
      expect(summary(run).total).toBe(3);
      expect(run.stderr).toContain('Q1.3: no entry in any atlas page');
      expect(run.stderr).toMatch(
        /docs\/answers\/questions\.ids\.json:1: out of date with \.\.\/shared\/spec\/questions\.json \(missing Q1\.3\)/,
      );

      const updated = runCheck(['--root', repo, '--update-ids']);
      expect(updated.stderr).not.toContain('out of date');
      const copy = JSON.parse(readFileSync(path.join(repo, 'docs/answers/questions.ids.json'), 'utf8'));
      expect(copy).toEqual(spec.map(({ id, case: caseId, topic }) => ({ id, case: caseId, topic })));
    });

    it('When CASEBOOK_QUESTIONS names a question file, then the ids come from it', () => {
      const repo = writeRepo(validFixture());
      const file = path.join(tmp, 'questions.json');
      writeFileSync(file, JSON.stringify([IDS[0]]));
      const run = runCheck(['--root', repo], { CASEBOOK_QUESTIONS: file });
      expect(run.status).toBe(1);
      expect(summary(run).total).toBe(1);
      expect(run.stderr).toContain('Q1.2: not a question id');
    });
  });
});
