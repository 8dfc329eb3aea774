#!/usr/bin/env node
// Checks the question atlas (docs/answers/) and every relative link in the docs:
//   - every question id has exactly one entry, and no entry names an unknown id;
//   - every entry marked `answered` links at least one code file and one test file (an answer is a claim,
//     and a claim without a test that fails when it breaks is not an answer);
//   - every relative link in docs/**/*.md and README.md resolves: the file exists inside the repository,
//     `#Lx-Ly` fits in the file, and `#heading` anchors into markdown name a heading that exists.
// Prints `atlas: N of M question ids answered; K broken links` and exits 1 on any problem.
//
// Usage: node scripts/atlas-check.mjs [--root DIR] [--questions FILE] [--update-ids]
// Question ids come from --questions, else $CASEBOOK_QUESTIONS, else ../shared/spec/questions.json next to
// the repo, else the copy committed at docs/answers/questions.ids.json (so the repo never needs ../shared).
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const USAGE = 'usage: node scripts/atlas-check.mjs [--root DIR] [--questions FILE] [--update-ids]';
const IDS_FILE = 'docs/answers/questions.ids.json';
const ATLAS_DIR = 'docs/answers';
const ENTRY_HEADING = /^(#{1,6})\s+(Q\d+\.\d+)\b(.*)$/;
const FIELD = /^(Status|Answer|Code|Test|Figure):\s*(.*)$/;
const TEST_FILE = /\.(spec|test)\.[cm]?[jt]sx?$/;

class UsageError extends Error {}

function parseOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      root: { type: 'string' },
      questions: { type: 'string' },
      'update-ids': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  const scriptRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  return {
    root: path.resolve(values.root ?? scriptRoot),
    questions: values.questions ?? process.env.CASEBOOK_QUESTIONS ?? undefined,
    updateIds: values['update-ids'],
    help: values.help,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Question ids

function readQuestionList(file) {
  let data;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read question ids from ${file}: ${error.message}`);
  }
  const list = Array.isArray(data) ? data : data?.questions;
  if (!Array.isArray(list) || list.some((q) => typeof q?.id !== 'string')) {
    throw new UsageError(`${file}: expected an array of { id, case, topic } objects`);
  }
  return list.map(({ id, case: caseId, topic }) => ({ id, case: caseId, topic }));
}

function loadQuestions(options, problems) {
  const idsFile = path.join(options.root, IDS_FILE);
  const sibling = path.resolve(options.root, '../shared/spec/questions.json');
  let source;
  if (options.questions) {
    source = path.resolve(options.questions);
    if (!existsSync(source)) throw new UsageError(`question file not found: ${options.questions}`);
  } else if (existsSync(sibling)) {
    source = sibling;
  } else if (existsSync(idsFile)) {
    source = idsFile;
  } else {
    throw new UsageError(`no question ids: neither ${sibling} nor ${IDS_FILE} exists (use --questions FILE)`);
  }
  const questions = readQuestionList(source);

  // The committed copy must follow the spec, or the atlas would be checked against a stale list once
  // ../shared is gone.
  if (source !== idsFile) {
    const copy = existsSync(idsFile) ? readQuestionList(idsFile) : [];
    const same = JSON.stringify(copy) === JSON.stringify(questions);
    if (!same && options.updateIds) {
      writeFileSync(idsFile, `${JSON.stringify(questions, null, 1)}\n`);
    } else if (!same) {
      const copyIds = new Set(copy.map((q) => q.id));
      const specIds = new Set(questions.map((q) => q.id));
      const missing = [...specIds].filter((id) => !copyIds.has(id));
      const extra = [...copyIds].filter((id) => !specIds.has(id));
      const list = (ids) =>
        ids.length > 8 ? `${ids.slice(0, 8).join(', ')} and ${ids.length - 8} more` : ids.join(', ');
      const detail = [
        missing.length > 0 ? `missing ${list(missing)}` : '',
        extra.length > 0 ? `extra ${list(extra)}` : '',
        missing.length + extra.length === 0 ? 'case or topic differ' : '',
      ].filter(Boolean);
      problems.push({
        file: IDS_FILE,
        line: 1,
        message: `out of date with ${path.relative(options.root, source)} (${detail.join('; ')}); run node scripts/atlas-check.mjs --update-ids`,
      });
    }
  }
  const seen = new Set();
  for (const { id } of questions) {
    if (seen.has(id))
      problems.push({
        file: path.relative(options.root, source),
        line: 1,
        message: `question id ${id} is listed twice`,
      });
    seen.add(id);
  }
  return { questions, source };
}

// ---------------------------------------------------------------------------------------------------------
// Markdown

function listMarkdown(root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.md')) files.push(full);
    }
  };
  if (existsSync(path.join(root, 'docs'))) walk(path.join(root, 'docs'));
  if (existsSync(path.join(root, 'README.md'))) files.push(path.join(root, 'README.md'));
  return files.sort();
}

/** Heading text as GitHub renders it, turned into its anchor (github-slugger's rules). */
function slugBase(text) {
  const rendered = text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/[`*]/g, '');
  return rendered
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

const LINK = /!?\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
const REFERENCE = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/;
const HTML_ANCHOR = /<a\s+[^>]*(?:id|name)\s*=\s*["']([^"']+)["']/gi;

/** Lines outside fenced code, with inline code blanked out: links and headings inside code are examples. */
function parseMarkdown(text) {
  const lines = text.split(/\r?\n/);
  const visible = [];
  let fence = null;
  lines.forEach((line, index) => {
    const marker = line.match(/^ {0,3}(`{3,}|~{3,})/);
    if (fence) {
      if (marker && marker[1][0] === fence[0] && marker[1].length >= fence.length && line.trim() === marker[1])
        fence = null;
      return;
    }
    if (marker) {
      fence = marker[1];
      return;
    }
    visible.push({ number: index + 1, text: line.replace(/(`+)[^`]*?\1/g, (m) => ' '.repeat(m.length)) });
  });

  const anchors = new Set();
  const counts = new Map();
  const links = [];
  for (const { number, text: line } of visible) {
    if (/^ {0,3}#{1,6}\s/.test(line)) {
      const raw = lines[number - 1].replace(/^ {0,3}#{1,6}\s+/, '').replace(/\s+#+\s*$/, '');
      const base = slugBase(raw);
      const n = counts.get(base) ?? 0;
      counts.set(base, n + 1);
      anchors.add(n === 0 ? base : `${base}-${n}`);
    }
    for (const match of line.matchAll(HTML_ANCHOR)) anchors.add(match[1]);
    for (const match of line.matchAll(LINK)) links.push({ number, target: match[1].replace(/^<|>$/g, '') });
    const reference = line.match(REFERENCE);
    if (reference) links.push({ number, target: reference[1].replace(/^<|>$/g, '') });
  }
  return { visible, anchors, links };
}

function isExternal(target) {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');
}

// ---------------------------------------------------------------------------------------------------------
// Links

function createLinkChecker(root, docs) {
  const lineCounts = new Map();
  const countLines = (file) => {
    if (!lineCounts.has(file)) {
      const text = readFileSync(file, 'utf8');
      const lines = text.split(/\r?\n/);
      lineCounts.set(file, text.endsWith('\n') ? lines.length - 1 : lines.length);
    }
    return lineCounts.get(file);
  };
  const anchorsOf = (file) => {
    if (!docs.has(file)) docs.set(file, parseMarkdown(readFileSync(file, 'utf8')));
    return docs.get(file).anchors;
  };

  /** Why the link is broken, or null when it resolves. */
  return function check(fromFile, target) {
    if (isExternal(target)) return null;
    const hash = target.indexOf('#');
    let filePart = hash === -1 ? target : target.slice(0, hash);
    const anchorPart = hash === -1 ? null : target.slice(hash + 1);
    try {
      filePart = decodeURIComponent(filePart);
    } catch {
      return 'malformed percent-encoding';
    }
    filePart = filePart.replace(/\?.*$/, '');
    const resolved =
      filePart === ''
        ? fromFile
        : filePart.startsWith('/')
          ? path.join(root, filePart)
          : path.resolve(path.dirname(fromFile), filePart);
    const relative = path.relative(root, resolved);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return 'points outside the repository';
    if (!existsSync(resolved)) return 'no such file';
    if (anchorPart === null || anchorPart === '') return null;

    const lineAnchor = anchorPart.match(/^L(\d+)(?:-L(\d+))?$/);
    if (lineAnchor) {
      if (!statSync(resolved).isFile()) return 'line anchor on a directory';
      const start = Number(lineAnchor[1]);
      const end = Number(lineAnchor[2] ?? lineAnchor[1]);
      const total = countLines(resolved);
      if (start < 1 || end < start) return `line range #${anchorPart} is empty`;
      if (end > total) return `line ${end} is past the end of the file (${total} lines)`;
      return null;
    }
    if (!resolved.endsWith('.md')) return `only #Lx or #Lx-Ly anchors can be checked in a non-markdown file`;
    let anchor;
    try {
      anchor = decodeURIComponent(anchorPart);
    } catch {
      return 'malformed percent-encoding';
    }
    return anchorsOf(resolved).has(anchor.toLowerCase()) || anchorsOf(resolved).has(anchor)
      ? null
      : `no heading #${anchor}`;
  };
}

// ---------------------------------------------------------------------------------------------------------
// Atlas entries

function parseEntries(file, doc) {
  const entries = [];
  const { visible } = doc;
  for (let i = 0; i < visible.length; i += 1) {
    const match = visible[i].text.match(ENTRY_HEADING);
    if (!match) continue;
    const [, hashes, id, rest] = match;
    const entry = { file, line: visible[i].number, id, problems: [], status: null, fields: {}, quoted: false };
    if (hashes.length !== 3 || !/^ — \S/.test(rest))
      entry.problems.push(`heading must read "### ${id} — <short topic>"`);

    const body = [];
    for (let j = i + 1; j < visible.length; j += 1) {
      const next = visible[j].text.match(/^ {0,3}(#{1,6})\s/);
      if (next && next[1].length <= 3) break;
      body.push(visible[j]);
    }
    // An answer runs to the next label, so it may have paragraphs. Status is one line. Code, Test and Figure
    // hold a link or a list of links, and end at the first blank line after them, so prose that follows
    // (a "see also") is not taken for a code or test link.
    let field = null;
    let filled = false;
    const statuses = [];
    for (const { number, text } of body) {
      if (/^\s*>/.test(text)) entry.quoted = true;
      const labelled = text.match(FIELD);
      if (labelled) {
        field = labelled[1];
        filled = labelled[2].trim() !== '';
        if (field === 'Status') statuses.push({ number, value: labelled[2].trim() });
        entry.fields[field] ??= [];
        entry.fields[field].push({ number, text: labelled[2] });
        if (field === 'Status') field = null;
      } else if (text.trim() === '') {
        if (field !== 'Answer' && filled) field = null;
      } else if (field) {
        entry.fields[field].push({ number, text });
        filled = true;
      }
    }
    if (!entry.quoted) entry.problems.push('the question is not quoted (a "> ..." line)');
    if (statuses.length !== 1) {
      entry.problems.push(statuses.length === 0 ? 'no "Status:" line' : 'more than one "Status:" line');
    } else if (/^answered\s*$/.test(statuses[0].value)) {
      entry.status = 'answered';
    } else if (/^open — planned in \S/.test(statuses[0].value)) {
      entry.status = 'open';
    } else {
      entry.problems.push(`unknown status "${statuses[0].value}" (expected "answered" or "open — planned in <piece>")`);
    }
    entries.push(entry);
  }
  return entries;
}

function linksIn(lines) {
  return lines.flatMap(({ number, text }) =>
    [...text.matchAll(LINK)]
      .map((m) => ({ number, target: m[1].replace(/^<|>$/g, '') }))
      .filter((l) => !isExternal(l.target)),
  );
}

// ---------------------------------------------------------------------------------------------------------

function checkAtlas(options) {
  const problems = [];
  const brokenLinks = [];
  const { root } = options;
  const rel = (file) => path.relative(root, file) || '.';
  const { questions, source } = loadQuestions(options, problems);

  const files = listMarkdown(root);
  const docs = new Map(files.map((file) => [file, parseMarkdown(readFileSync(file, 'utf8'))]));
  const checkLink = createLinkChecker(root, docs);

  for (const file of files) {
    for (const link of docs.get(file).links) {
      const reason = checkLink(file, link.target);
      if (reason)
        brokenLinks.push({ file: rel(file), line: link.number, message: `broken link ${link.target}: ${reason}` });
    }
  }

  const atlasDir = path.join(root, ATLAS_DIR);
  const atlasFiles = files.filter((file) => file.startsWith(`${atlasDir}${path.sep}`));
  const entries = atlasFiles.flatMap((file) => parseEntries(rel(file), docs.get(file)));
  const known = new Set(questions.map((q) => q.id));
  const byId = new Map();
  for (const entry of entries) {
    for (const message of entry.problems)
      problems.push({ file: entry.file, line: entry.line, message: `${entry.id}: ${message}` });
    if (!known.has(entry.id))
      problems.push({ file: entry.file, line: entry.line, message: `${entry.id}: not a question id` });
    byId.set(entry.id, [...(byId.get(entry.id) ?? []), entry]);

    if (entry.status === 'answered') {
      const answer = (entry.fields.Answer ?? [])
        .map((l) => l.text)
        .join(' ')
        .trim();
      const code = linksIn(entry.fields.Code ?? []);
      const tests = linksIn(entry.fields.Test ?? []);
      if (answer === '')
        problems.push({
          file: entry.file,
          line: entry.line,
          message: `${entry.id}: answered without an "Answer:" paragraph`,
        });
      if (code.length === 0)
        problems.push({ file: entry.file, line: entry.line, message: `${entry.id}: answered without a "Code:" link` });
      if (tests.length === 0)
        problems.push({ file: entry.file, line: entry.line, message: `${entry.id}: answered without a "Test:" link` });
      for (const test of tests) {
        if (!TEST_FILE.test(test.target.split('#')[0])) {
          problems.push({
            file: entry.file,
            line: test.number,
            message: `${entry.id}: "Test:" link ${test.target} is not a *.spec.ts / *.test.ts file`,
          });
        }
      }
    }
  }
  for (const [id, found] of byId) {
    if (found.length > 1) {
      const where = found.map((e) => `${e.file}:${e.line}`).join(', ');
      problems.push({ file: found[1].file, line: found[1].line, message: `${id}: duplicate entry (${where})` });
    }
  }
  for (const { id } of questions) {
    if (!byId.has(id)) problems.push({ file: ATLAS_DIR, line: 0, message: `${id}: no entry in any atlas page` });
  }

  // A page nobody can find from the index is as good as missing.
  const readme = path.join(atlasDir, 'README.md');
  if (!docs.has(readme)) {
    problems.push({ file: ATLAS_DIR, line: 0, message: 'README.md (the atlas index) is missing' });
  } else {
    const listed = new Set(
      docs
        .get(readme)
        .links.filter((l) => !isExternal(l.target))
        .map((l) => path.resolve(atlasDir, decodeURIComponent(l.target.split('#')[0]))),
    );
    for (const file of atlasFiles) {
      if (file !== readme && !listed.has(file))
        problems.push({ file: rel(file), line: 0, message: 'page is not listed in docs/answers/README.md' });
    }
  }

  const answered = [...byId].filter(
    ([id, found]) => known.has(id) && found.some((e) => e.status === 'answered'),
  ).length;
  return { problems, brokenLinks, answered, total: known.size, source: rel(source) };
}

function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`atlas: ${error.message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  let result;
  try {
    result = checkAtlas(options);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`atlas: ${error.message}`);
    return 2;
  }
  const { problems, brokenLinks, answered, total, source } = result;
  const all = [...brokenLinks, ...problems].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  for (const p of all) console.error(`${p.file}${p.line > 0 ? `:${p.line}` : ''}: ${p.message}`);
  console.log(`atlas: questions from ${source}`);
  console.log(`atlas: ${answered} of ${total} question ids answered; ${brokenLinks.length} broken links`);
  if (all.length > 0) console.error(`atlas: ${all.length} problem${all.length === 1 ? '' : 's'}`);
  return all.length > 0 ? 1 : 0;
}

process.exitCode = main();
