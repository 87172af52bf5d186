/**
 * `--help` text: for the top level (command list, global options, exit codes),
 * for a command group (its subcommands), and for a command (usage, an options
 * table with types, defaults and allowed values, and examples). Everything is
 * generated from the Command objects, so help cannot go stale.
 */
import type { Command } from './command.js';
import { EXIT_CODE_HELP } from './exitCodes.js';
import { GLOBAL_OPTIONS } from './globalOptions.js';
import { describeRange } from './options/coerce.js';
import type { OptionSpec } from './options/spec.js';
import type { Style } from './style.js';

export interface HelpFormat {
  style: Style;
  /** Terminal width; text wraps to it. */
  width: number;
}

const PLACEHOLDERS: Record<OptionSpec['type'], string> = { int: 'N', number: 'X', path: 'PATH', string: 'TEXT', enum: 'NAME', boolean: '' };

export function formatCommandHelp(command: Command, path: readonly string[], fmt: HelpFormat): string {
  const { style } = fmt;
  const out = [`${style.bold(`semifer ${path.join(' ')}`)} — ${command.summary}`, '', `${style.bold('Usage:')} ${command.usage}`];
  if (command.description) out.push('', ...wrap(command.description, fmt.width));
  if (command.subcommands) {
    out.push('', style.bold('Commands:'), ...twoColumns(command.subcommands.map((c): Row => [c.name, c.summary]), fmt));
  } else {
    const visible = command.options.filter((o) => !o.hidden);
    if (visible.length > 0) out.push('', style.bold('Options:'), ...optionTable(visible, fmt));
  }
  for (const section of command.helpSections ?? []) out.push('', style.bold(`${section.title}:`), ...twoColumns(section.rows, fmt));
  out.push('', style.bold('Global options:'), ...optionTable(GLOBAL_OPTIONS, fmt));
  if (command.examples.length > 0) out.push('', style.bold('Examples:'), ...command.examples.map((e) => `  ${e}`));
  if (command.subcommands) out.push('', `Run 'semifer ${path.join(' ')} <command> --help' for a command's options.`);
  return out.join('\n') + '\n';
}

export function formatTopHelp(commands: readonly Command[], version: string, fmt: HelpFormat): string {
  const { style } = fmt;
  const rows: Row[] = [];
  for (const c of commands) {
    if (c.subcommands) for (const sub of c.subcommands) rows.push([`${c.name} ${sub.name}`, sub.summary]);
    else rows.push([c.name, c.summary]);
  }
  return [
    `${style.bold('semifer')} ${version} — facial expression recognition with few labels`,
    '',
    `${style.bold('Usage:')} semifer <command> [subcommand] [options]`,
    '',
    style.bold('Commands:'),
    ...twoColumns(rows, fmt),
    '',
    style.bold('Global options:'),
    ...optionTable(GLOBAL_OPTIONS, fmt, [['    --version', 'Print the version and exit.']]),
    '',
    style.bold('Exit codes:'),
    ...EXIT_CODE_HELP.map(([code, text]) => `  ${String(code).padStart(3)}  ${text}`),
    '',
    "Run 'semifer <command> --help' for a command's options and examples.",
  ].join('\n') + '\n';
}

/** `-n, --n N` / `--[no-]cache` / `--format NAME`. */
export function optionFlags(o: OptionSpec): string {
  const long = o.type === 'boolean' && o.default === true ? `--[no-]${o.name}` : `--${o.name}`;
  const value = o.type === 'boolean' ? '' : ` ${o.placeholder ?? PLACEHOLDERS[o.type]}`;
  return `${o.short ? `-${o.short}, ` : '    '}${long}${value}`;
}

/** "(int ≥ 1; default 0; required)" — the facts a user needs beyond the description. */
export function optionFacts(o: OptionSpec): string {
  const facts: string[] = [];
  switch (o.type) {
    case 'int':
    case 'number':
      facts.push(`${o.type}${describeRange(o.min, o.max)}`);
      break;
    case 'enum':
      facts.push(`one of: ${o.values.join(', ')}`);
      break;
    case 'path':
    case 'string':
      facts.push(o.type);
      break;
    case 'boolean':
      break;
  }
  if (o.default !== undefined && !(o.type === 'boolean' && o.default === false)) facts.push(`default: ${String(o.default)}`);
  if (o.required) facts.push(o.exclusive ? 'one of the group required' : 'required');
  if (o.array) facts.push(o.type === 'int' || o.type === 'number' || o.type === 'enum' ? 'repeatable or comma-separated' : 'repeatable');
  if (o.positional) facts.push(`or as argument <${o.name}>`);
  return facts.length > 0 ? `(${facts.join('; ')})` : '';
}

function optionTable(specs: readonly OptionSpec[], fmt: HelpFormat, extra: readonly (readonly [string, string])[] = []): string[] {
  const rows: Row[] = specs.filter((o) => !o.hidden).map((o) => {
    const others = o.exclusive ? specs.filter((x) => x.exclusive === o.exclusive && x !== o).map((x) => `--${x.name}`) : [];
    const text = `${o.description.replace(/\.$/, '')}.${others.length > 0 ? ` Not with ${others.join(', ')}.` : ''}`;
    return [optionFlags(o), text, optionFacts(o)];
  });
  return twoColumns([...rows, ...extra.map(([l, r]): Row => [l, r, ''])], fmt);
}

/** Left cell, text, and an optional dim note kept whole on one line where it fits. */
type Row = readonly [string, string, string?];

/** Left column padded; right column wrapped; a long left cell puts its text on the next line. */
function twoColumns(rows: readonly Row[], fmt: HelpFormat): string[] {
  const leftWidth = Math.min(30, Math.max(0, ...rows.map(([l]) => l.length)));
  const indent = 2 + leftWidth + 2;
  const textWidth = Math.max(30, fmt.width - indent);
  const out: string[] = [];
  for (const [left, right, note] of rows) {
    const lines = wrap(right, textWidth);
    if (note) {
      const last = lines[lines.length - 1]!;
      if (last.length + 1 + note.length <= textWidth) lines[lines.length - 1] = `${last} ${fmt.style.dim(note)}`;
      else lines.push(...wrap(note, textWidth).map((l) => fmt.style.dim(l)));
    }
    if (left.length > leftWidth) {
      out.push(`  ${left}`);
      for (const l of lines) out.push(' '.repeat(indent) + l);
    } else {
      lines.forEach((l, i) => out.push(i === 0 ? `  ${left.padEnd(leftWidth)}  ${l}` : ' '.repeat(indent) + l));
    }
  }
  return out;
}

/** Greedy word wrap that measures visible width (ANSI codes take no room). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let len = 0;
    for (const word of paragraph.split(/ +/)) {
      // eslint-disable-next-line no-control-regex
      const w = word.replace(/\x1b\[[0-9;]*m/g, '').length;
      if (len > 0 && len + 1 + w > width) {
        lines.push(line);
        line = word;
        len = w;
      } else {
        line = len > 0 ? `${line} ${word}` : word;
        len += (len > 0 ? 1 : 0) + w;
      }
    }
    lines.push(line);
  }
  return lines;
}
