/**
 * The benches' command lines: `--name value` flags only. `--help` prints the
 * bench's usage; an unknown flag, or one without its value, is refused with
 * the usage, because a misspelt flag would otherwise run the whole bench
 * (minutes to hours) with that flag's default.
 */
export type BenchArg = (name: string, fallback: string) => string;

/** Parses process.argv against `flags` (names without `--`); exits on --help (0) or a bad flag (2). */
export function benchArgs(usage: string, flags: readonly string[], argv: readonly string[] = process.argv.slice(2)): BenchArg {
  const fail = (why: string): never => {
    console.error(`${why}\nusage: ${usage}`);
    process.exit(2);
  };
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(`usage: ${usage}`);
    process.exit(0);
  }
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i]!;
    const name = flag.startsWith('--') ? flag.slice(2) : '';
    if (!flags.includes(name)) fail(`unknown argument '${flag}'; expected one of ${flags.map((f) => `--${f}`).join(', ')}`);
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) fail(`${flag} needs a value`);
    values.set(name, value!);
  }
  return (name, fallback) => values.get(name) ?? fallback;
}
